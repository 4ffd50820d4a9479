using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Vigil.Templates;

namespace Vigil.Alerting.Templates;

/// <summary>
/// The notification template set of one Alertmanager configuration (Alertmanager 0.25's <c>template.Template</c>):
/// the default templates, then every file matched by the configuration's <c>templates:</c> globs (their
/// <c>define</c>s override the defaults), with <see cref="AlertmanagerFunctions"/>. <see cref="ExecuteText"/> runs a
/// configuration field (<c>title: '{{ template "x" . }}'</c>) as a new template in a copy of the set, with
/// <c>missingkey=zero</c>, as <c>ExecuteTextString</c> does. Each distinct text is parsed once.
/// </summary>
/// <remarks>
/// HTML fields (<c>email_configs.html</c>) run through the same text engine: Go's <c>html/template</c> contextual
/// auto-escaping is not implemented. The default <c>email.default.html</c> escapes its values explicitly; a custom HTML
/// template should pipe untrusted values through <c>html</c>.
/// </remarks>
public sealed class NotificationTemplates
{
    private readonly IReadOnlyList<(string Name, string Text)> _files;
    private readonly ConcurrentDictionary<string, GoTemplate> _parsed = new(StringComparer.Ordinal);

    private NotificationTemplates(IReadOnlyList<(string Name, string Text)> files)
    {
        _files = files;
        // Parse the set once now, so that a broken template file is reported when the configuration loads.
        NewSet();
    }

    /// <summary>The defaults alone.</summary>
    public static NotificationTemplates Default { get; } = new([]);

    /// <summary>The template files the set was built from (after the defaults), in load order.</summary>
    public IReadOnlyList<string> Files => _files.Select(f => f.Name).ToList();

    /// <summary>
    /// The defaults plus every file matching <paramref name="globs"/> (each glob's matches in name order, as Go's
    /// <c>filepath.Glob</c>; a glob matching nothing is allowed).
    /// </summary>
    /// <exception cref="NotificationTemplateException">A file cannot be read or parsed (the message names it).</exception>
    public static NotificationTemplates Load(IReadOnlyList<string> globs)
    {
        ArgumentNullException.ThrowIfNull(globs);
        var files = new List<(string, string)>();
        foreach (var glob in globs)
        {
            foreach (var path in Glob(glob))
            {
                string text;
                try
                {
                    text = File.ReadAllText(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new NotificationTemplateException($"reading template file \"{path}\": {e.Message}", e);
                }
                files.Add((path, text));
            }
        }
        try
        {
            return new NotificationTemplates(files);
        }
        catch (TemplateException e)
        {
            throw new NotificationTemplateException($"parsing templates ({string.Join(", ", globs)}): {e.Message}", e);
        }
    }

    /// <summary>Runs <paramref name="text"/> on <paramref name="data"/>; "" for "".</summary>
    /// <exception cref="TemplateException">Go's parse or execution error.</exception>
    public string ExecuteText(string text, TemplateData data)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return "";
        }
        var template = _parsed.GetOrAdd(text, t => NewSet().ParseMore(MethodCallRewriter.Rewrite(t)));
        return template.Execute(data);
    }

    /// <summary>Runs an HTML field; see the remarks on escaping.</summary>
    public string ExecuteHtml(string text, TemplateData data) => ExecuteText(text, data);

    /// <summary>Runs the named template of the set (<c>{{ template "name" . }}</c>).</summary>
    public string ExecuteTemplate(string name, object? data) => NewSet().ExecuteTemplate(name, data);

    private GoTemplate NewSet()
    {
        var set = GoTemplate.Parse("", MethodCallRewriter.Rewrite(DefaultTemplates.Text), AlertmanagerFunctions.Create(), MissingKeyBehavior.Zero);
        foreach (var (name, text) in _files)
        {
            set.ParseMore(Path.GetFileName(name), MethodCallRewriter.Rewrite(text));
        }
        return set;
    }

    /// <summary>Go's <c>filepath.Glob</c> for <c>*</c>, <c>?</c> and <c>[...]</c> in any path segment; sorted matches.</summary>
    internal static List<string> Glob(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!HasMeta(pattern))
        {
            return File.Exists(pattern) ? [pattern] : [];
        }
        var dir = Path.GetDirectoryName(pattern);
        var file = Path.GetFileName(pattern);
        var dirs = string.IsNullOrEmpty(dir) ? ["."] : HasMeta(dir) ? GlobDirectories(dir) : [dir];
        var result = new List<string>();
        var re = SegmentRegex(file);
        foreach (var d in dirs)
        {
            if (!Directory.Exists(d))
            {
                continue;
            }
            var matches = Directory.GetFiles(d).Where(f => re.IsMatch(Path.GetFileName(f))).ToList();
            matches.Sort(StringComparer.Ordinal);
            result.AddRange(matches);
        }
        return result;
    }

    private static List<string> GlobDirectories(string pattern)
    {
        var parent = Path.GetDirectoryName(pattern);
        var name = Path.GetFileName(pattern);
        var parents = string.IsNullOrEmpty(parent) ? ["."] : HasMeta(parent) ? GlobDirectories(parent) : [parent];
        var re = SegmentRegex(name);
        var result = new List<string>();
        foreach (var p in parents)
        {
            if (Directory.Exists(p))
            {
                var matches = Directory.GetDirectories(p).Where(d => re.IsMatch(Path.GetFileName(d))).ToList();
                matches.Sort(StringComparer.Ordinal);
                result.AddRange(matches);
            }
        }
        return result;
    }

    private static bool HasMeta(string s) => s.AsSpan().IndexOfAny("*?[\\") >= 0;

    private static Regex SegmentRegex(string segment)
    {
        var sb = new System.Text.StringBuilder("^");
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            switch (c)
            {
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    var end = segment.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        throw new NotificationTemplateException($"template glob \"{segment}\": syntax error in pattern");
                    }
                    var cls = segment[(i + 1)..end];
                    sb.Append('[').Append(cls.StartsWith('^') ? "^" + Regex.Escape(cls[1..]) : Regex.Escape(cls)).Append(']');
                    i = end;
                    break;
                case '\\' when i + 1 < segment.Length:
                    sb.Append(Regex.Escape(segment[++i].ToString()));
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}

/// <summary>Template files could not be loaded; the message names the file and Go's error.</summary>
public sealed class NotificationTemplateException(string message, Exception? inner = null) : Exception(message, inner);
