using System.Diagnostics.CodeAnalysis;
using System.Text;
using Vigil.Model;

namespace Vigil.Alerting.Matching;

/// <summary>
/// Alertmanager 0.25's matcher syntax (<c>pkg/labels/parse.go</c>), used by route and inhibition <c>matchers</c>,
/// silences and amtool. A matcher is a label name (<c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>), an operator (<c>=</c>,
/// <c>!=</c>, <c>=~</c>, <c>!~</c>) and a value that may be double-quoted; whitespace around each part is dropped.
/// Inside the value <c>\"</c>, <c>\n</c> and <c>\\</c> are escapes, any other backslash is literal, and an
/// unescaped <c>"</c> may only open and close the value. A list is comma-separated, optionally in braces, and
/// commas inside quotes do not split it. Errors are Alertmanager's texts (<c>bad matcher format: 1a=b</c>).
/// </summary>
public static class MatcherParser
{
    /// <summary>Parses one matcher such as <c>severity=~"crit|warn"</c> or <c>team = a</c>.</summary>
    public static bool TryParseMatcher(string text, [NotNullWhen(true)] out Matcher? matcher, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        matcher = null;
        if (!TrySplit(text, out var name, out var type, out var rawStart, out var rawEnd))
        {
            error = "bad matcher format: " + text;
            return false;
        }
        var raw = text.AsSpan(rawStart, rawEnd - rawStart);
        var quoted = raw.Length > 0 && raw[0] == '"';
        if (quoted)
        {
            raw = raw[1..];
        }
        var value = new StringBuilder(raw.Length);
        var escaped = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (escaped)
            {
                escaped = false;
                switch (c)
                {
                    case 'n': value.Append('\n'); break;
                    case '"' or '\\': value.Append(c); break;
                    default: value.Append('\\').Append(c); break; // a spurious escape stays literal
                }
                continue;
            }
            switch (c)
            {
                case '\\':
                    if (i < raw.Length - 1)
                    {
                        escaped = true;
                        continue;
                    }
                    value.Append('\\'); // a backslash as the last character is literal
                    break;
                case '"':
                    if (!quoted || i < raw.Length - 1)
                    {
                        error = "matcher value contains unescaped double quote: " + text[rawStart..rawEnd];
                        return false;
                    }
                    quoted = false;
                    break;
                default:
                    value.Append(c);
                    break;
            }
        }
        if (quoted)
        {
            error = "matcher value contains unescaped double quote: " + text[rawStart..rawEnd];
            return false;
        }
        return Matcher.TryCreate(type, name, value.ToString(), out matcher, out error);
    }

    /// <summary>Parses a comma-separated list such as <c>{a="b", c=~"d.*"}</c> or <c>a=b,c!=d</c>.</summary>
    public static bool TryParseMatchers(string text, [NotNullWhen(true)] out List<Matcher>? matchers, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.AsSpan();
        if (s.StartsWith("{"))
        {
            s = s[1..];
        }
        if (s.EndsWith("}"))
        {
            s = s[..^1];
        }
        var tokens = new List<string>();
        var token = new StringBuilder();
        bool insideQuotes = false, escaped = false;
        foreach (var c in s)
        {
            switch (c)
            {
                case ',':
                    if (!insideQuotes)
                    {
                        tokens.Add(token.ToString());
                        token.Clear();
                        continue;
                    }
                    break;
                case '"':
                    if (!escaped)
                    {
                        insideQuotes = !insideQuotes;
                    }
                    else
                    {
                        escaped = false;
                    }
                    break;
                case '\\':
                    escaped = !escaped;
                    break;
                default:
                    escaped = false;
                    break;
            }
            token.Append(c);
        }
        var last = token.ToString().Trim(s_goSpace);
        if (last.Length > 0)
        {
            tokens.Add(last);
        }
        matchers = new List<Matcher>(tokens.Count);
        foreach (var t in tokens)
        {
            if (!TryParseMatcher(t, out var m, out error))
            {
                matchers = null;
                return false;
            }
            matchers.Add(m);
        }
        error = null;
        return true;
    }

    // Go's unicode.IsSpace for strings.TrimSpace: ASCII white space, NEL, NBSP and Unicode spaces.
    private static readonly char[] s_goSpace = ['\t', '\n', '\v', '\f', '\r', ' ', '\u0085', '\u00A0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200A', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000'];

    // RE2's \s: [\t\n\f\r ] (no \v).
    private static bool IsRe2Space(char c) => c is '\t' or '\n' or '\f' or '\r' or ' ';

    // The regex ^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*((?s).*?)\s*$ by hand.
    private static bool TrySplit(string s, out string name, out LabelMatchType type, out int valueStart, out int valueEnd)
    {
        name = "";
        type = LabelMatchType.Equal;
        valueStart = valueEnd = 0;
        var i = 0;
        while (i < s.Length && IsRe2Space(s[i]))
        {
            i++;
        }
        var nameStart = i;
        if (i >= s.Length || !(char.IsAsciiLetter(s[i]) || s[i] is '_' or ':'))
        {
            return false;
        }
        i++;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '_' or ':'))
        {
            i++;
        }
        name = s[nameStart..i];
        while (i < s.Length && IsRe2Space(s[i]))
        {
            i++;
        }
        if (i < s.Length && s[i] == '=')
        {
            if (i + 1 < s.Length && s[i + 1] == '~')
            {
                type = LabelMatchType.Regex;
                i += 2;
            }
            else
            {
                type = LabelMatchType.Equal;
                i++;
            }
        }
        else if (i + 1 < s.Length && s[i] == '!' && s[i + 1] is '=' or '~')
        {
            type = s[i + 1] == '=' ? LabelMatchType.NotEqual : LabelMatchType.NotRegex;
            i += 2;
        }
        else
        {
            return false;
        }
        while (i < s.Length && IsRe2Space(s[i]))
        {
            i++;
        }
        var end = s.Length;
        while (end > i && IsRe2Space(s[end - 1]))
        {
            end--;
        }
        valueStart = i;
        valueEnd = end;
        return true;
    }
}
