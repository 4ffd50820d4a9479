using System.Globalization;
using System.Text;
using Vigil.Templates;
using Vigil.Templates.Execution;

namespace Vigil.Alerting.Templates;

/// <summary>
/// Alertmanager 0.25's template functions (<c>template.DefaultFuncs</c>): <c>toUpper</c>, <c>toLower</c>, <c>title</c>,
/// <c>join</c>, <c>match</c>, <c>safeHtml</c>, <c>reReplaceAll</c>, <c>stringSlice</c>; plus the internal helpers the
/// default templates are written with (see <see cref="DefaultTemplates"/>).
/// </summary>
public static class AlertmanagerFunctions
{
    private delegate string[] StringSliceFunc(params string[] s);

    /// <summary>A fresh function map with every function.</summary>
    public static TemplateFunctions Create()
    {
        var f = new TemplateFunctions();
        f.Add("toUpper", (Func<string, string>)(s => s.ToUpperInvariant()));
        f.Add("toLower", (Func<string, string>)(s => s.ToLowerInvariant()));
        f.Add("title", (Func<string, string>)Title);
        // join inverts strings.Join's argument order, for pipelines.
        f.Add("join", (Func<string, string[], string>)((sep, s) => string.Join(sep, s)));
        f.Add("match", (Func<string, string, bool>)Match);
        // html/template.HTML in Alertmanager; Vigil's HTML templates are not auto-escaped, so this is the identity.
        f.Add("safeHtml", (Func<string, string>)(s => s));
        f.Add("reReplaceAll", (Func<string, string, string, string>)ReReplaceAll);
        f.Add("stringSlice", (StringSliceFunc)(s => s));

        // Alertmanager's methods on KV, Pairs and Alerts, as functions: MethodCallRewriter turns ".Alerts.Firing" into
        // "(__firing .Alerts)", because Vigil's engine calls Go methods only on struct-like values, not maps or slices.
        f.Add("__sortedPairs", (Func<KV, Pairs>)(kv => kv.SortedPairs()));
        f.Add("__names", (Func<object, string[]>)(v => v switch
        {
            KV kv => kv.Names(),
            Pairs pairs => pairs.Names(),
            _ => throw new ArgumentException($"can't evaluate field Names in type {v?.GetType().Name ?? "<nil>"}"),
        }));
        f.Add("__values", (Func<object, string[]>)(v => v switch
        {
            KV kv => kv.Values(),
            Pairs pairs => pairs.Values(),
            _ => throw new ArgumentException($"can't evaluate field Values in type {v?.GetType().Name ?? "<nil>"}"),
        }));
        f.Add("__remove", (Func<KV, string[], KV>)((kv, keys) => kv.Remove(keys)));
        f.Add("__firing", (Func<TemplateAlerts, TemplateAlerts>)(a => new TemplateAlerts(a.Firing())));
        f.Add("__resolved", (Func<TemplateAlerts, TemplateAlerts>)(a => new TemplateAlerts(a.Resolved())));
        return f;
    }

    /// <summary>Go's <c>regexp.MatchString</c> (unanchored); an invalid pattern is the function's error.</summary>
    public static bool Match(string pattern, string s)
    {
        if (!GoRegexp.TryCompile(pattern, out var re, out var error))
        {
            throw new ArgumentException(error);
        }
        return re.IsMatch(s);
    }

    /// <summary><c>regexp.MustCompile(pattern).ReplaceAllString(text, repl)</c>, with Go's <c>$1</c>/<c>${name}</c> expansion.</summary>
    public static string ReReplaceAll(string pattern, string repl, string text)
    {
        if (!GoRegexp.TryCompile(pattern, out var re, out var error))
        {
            throw new ArgumentException($"regexp: Compile(`{pattern}`): {error}");
        }
        return re.ReplaceAll(text, repl);
    }

    /// <summary>Go's (deprecated) <c>strings.Title</c>: the first letter of every word upper-cased.</summary>
    public static string Title(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new StringBuilder(s.Length);
        var prev = new Rune(' ');
        foreach (var r in s.EnumerateRunes())
        {
            sb.Append((IsSeparator(prev) ? Rune.ToUpperInvariant(r) : r).ToString());
            prev = r;
        }
        return sb.ToString();
    }

    // Go's strings.isSeparator.
    private static bool IsSeparator(Rune r)
    {
        if (r.Value <= 0x7F)
        {
            var c = (char)r.Value;
            return !(char.IsAsciiLetterOrDigit(c) || c == '_');
        }
        if (Rune.IsLetter(r) || Rune.IsDigit(r))
        {
            return false;
        }
        return Rune.IsWhiteSpace(r) || Rune.GetUnicodeCategory(r) is UnicodeCategory.SpaceSeparator;
    }
}
