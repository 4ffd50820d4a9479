using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Vigil.PromQL.Functions;

/// <summary>
/// A fully anchored RE2 regular expression with Go's submatch numbering and <c>Regexp.ExpandString</c>, for
/// <c>label_replace</c>. The RE2 → .NET translation follows Vigil.Model's (internal) <c>Re2Regex</c>; it also turns
/// <c>(?P&lt;name&gt;…)</c> into a plain group, because .NET numbers named groups after the unnamed ones while Go
/// numbers every group by its opening parenthesis, and <c>$1</c> must mean the same group in both.
/// Matching uses .NET's linear-time NonBacktracking engine, like RE2 never backtracking.
/// </summary>
internal sealed class GoRegexp
{
    private static readonly Dictionary<string, string> s_posixClasses = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z",
        ["alpha"] = "A-Za-z",
        ["ascii"] = "\\x00-\\x7F",
        ["blank"] = "\\t ",
        ["cntrl"] = "\\x00-\\x1F\\x7F",
        ["digit"] = "0-9",
        ["graph"] = "!-~",
        ["lower"] = "a-z",
        ["print"] = " -~",
        ["punct"] = "!-/:-@\\[-`{-~",
        ["space"] = "\\t\\n\\v\\f\\r ",
        ["upper"] = "A-Z",
        ["word"] = "0-9A-Za-z_",
        ["xdigit"] = "0-9A-Fa-f",
    };

    private readonly Regex _regex;

    // Group names by Go's group index (index 0, the whole match, has none).
    private readonly List<string?> _names;

    private GoRegexp(Regex regex, List<string?> names)
    {
        _regex = regex;
        _names = names;
    }

    /// <summary>Compiles <c>^(?:re2)$</c> as Go's <c>regexp.Compile</c> would, or fails.</summary>
    public static bool TryCompileAnchored(string re2, [NotNullWhen(true)] out GoRegexp? regexp)
    {
        regexp = null;
        var names = new List<string?> { null };
        if (!TryTranslate(re2, names, out var pattern))
        {
            return false;
        }
        try
        {
            var regex = new Regex("\\A(?:" + pattern + ")\\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            if (regex.GetGroupNumbers().Length != names.Count)
            {
                return false;
            }
            regexp = new GoRegexp(regex, names);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (NotSupportedException)
        {
            // Backreferences, lookaround, atomic groups: RE2 rejects them too.
            return false;
        }
    }

    /// <summary>Matches the whole of <paramref name="input"/>; null when it does not match.</summary>
    public Match? Match(string input)
    {
        var m = _regex.Match(input);
        return m.Success ? m : null;
    }

    /// <summary>Go's <c>Regexp.ExpandString</c>: <c>$1</c>, <c>${1}</c>, <c>$name</c>, <c>${name}</c>, <c>$$</c>.</summary>
    public string Expand(string template, Match match)
    {
        var sb = new StringBuilder(template.Length + 16);
        var rest = template.AsSpan();
        while (true)
        {
            var dollar = rest.IndexOf('$');
            if (dollar < 0)
            {
                break;
            }
            sb.Append(rest[..dollar]);
            rest = rest[(dollar + 1)..];
            if (!rest.IsEmpty && rest[0] == '$')
            {
                sb.Append('$');
                rest = rest[1..];
                continue;
            }
            if (!TryExtract(rest, out var name, out var num, out var consumed))
            {
                // Malformed: the '$' is literal text.
                sb.Append('$');
                continue;
            }
            rest = rest[consumed..];
            if (num >= 0)
            {
                if (num < _names.Count && match.Groups[num].Success)
                {
                    sb.Append(match.Groups[num].ValueSpan);
                }
            }
            else
            {
                for (var i = 1; i < _names.Count; i++)
                {
                    if (_names[i] == name)
                    {
                        if (match.Groups[i].Success)
                        {
                            sb.Append(match.Groups[i].ValueSpan);
                        }
                        break;
                    }
                }
            }
        }
        sb.Append(rest);
        return sb.ToString();
    }

    // Go's regexp.extract: a name of letters, digits and '_' (optionally in braces); a number when all digits without
    // a leading zero and below 1e8.
    private static bool TryExtract(ReadOnlySpan<char> s, out string name, out int num, out int consumed)
    {
        name = "";
        num = -1;
        consumed = 0;
        if (s.IsEmpty)
        {
            return false;
        }
        var brace = s[0] == '{';
        var start = brace ? 1 : 0;
        var i = start;
        while (i < s.Length)
        {
            var r = s[i];
            int width;
            bool ok;
            if (char.IsHighSurrogate(r) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                var cp = char.ConvertToUtf32(r, s[i + 1]);
                var cat = CharUnicodeInfo.GetUnicodeCategory(cp);
                ok = IsLetterCategory(cat) || cat == UnicodeCategory.DecimalDigitNumber;
                width = 2;
            }
            else
            {
                ok = char.IsLetter(r) || char.IsDigit(r) || r == '_';
                width = 1;
            }
            if (!ok)
            {
                break;
            }
            i += width;
        }
        if (i == start)
        {
            return false;
        }
        name = s[start..i].ToString();
        if (brace)
        {
            if (i >= s.Length || s[i] != '}')
            {
                return false;
            }
            i++;
        }
        num = 0;
        foreach (var ch in name)
        {
            if (ch < '0' || ch > '9' || num >= 100_000_000)
            {
                num = -1;
                break;
            }
            num = (num * 10) + (ch - '0');
        }
        if (name[0] == '0' && name.Length > 1)
        {
            num = -1;
        }
        consumed = i;
        return true;
    }

    private static bool IsLetterCategory(UnicodeCategory c) => c is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
        or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;

    // RE2 syntax to .NET syntax (see Vigil.Model's Re2Regex for the differences that change answers), numbering
    // capturing groups by their opening parenthesis as Go does.
    private static bool TryTranslate(string re2, List<string?> names, out string pattern)
    {
        var sb = new StringBuilder(re2.Length + 8);
        var multiline = re2.Contains("(?m", StringComparison.Ordinal) || re2.Contains("(?sm", StringComparison.Ordinal) || re2.Contains("(?im", StringComparison.Ordinal);
        var inClass = false;
        pattern = "";
        for (var i = 0; i < re2.Length; i++)
        {
            var c = re2[i];
            if (c == '\\')
            {
                if (i + 1 >= re2.Length)
                {
                    return false;
                }
                var e = re2[++i];
                switch (e)
                {
                    case 'd': sb.Append(inClass ? "0-9" : "[0-9]"); break;
                    case 'D': sb.Append(inClass ? "\\x00-/:-\\uFFFF" : "[^0-9]"); break;
                    case 'w': sb.Append(inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]"); break;
                    case 'W': sb.Append(inClass ? "\\x00-/:-@\\[-^`{-\\uFFFF" : "[^0-9A-Za-z_]"); break;
                    case 's': sb.Append(inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]"); break;
                    case 'S': sb.Append(inClass ? "\\x00-\\x08\\x0B\\x0E-\\x1F!-\\uFFFF" : "[^\\t\\n\\f\\r ]"); break;
                    case 'p' or 'P' when i + 1 < re2.Length && re2[i + 1] != '{':
                        sb.Append('\\').Append(e).Append('{').Append(re2[++i]).Append('}');
                        break;
                    case 'x' when i + 1 < re2.Length && re2[i + 1] == '{':
                    {
                        var close = re2.IndexOf('}', i + 2);
                        if (close < 0 || !int.TryParse(re2.AsSpan(i + 2, close - i - 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp) || cp > 0x10FFFF)
                        {
                            return false;
                        }
                        sb.Append(Regex.Escape(char.ConvertFromUtf32(cp)));
                        i = close;
                        break;
                    }
                    case 'Q':
                    {
                        var end = re2.IndexOf("\\E", i + 1, StringComparison.Ordinal);
                        var literal = end < 0 ? re2[(i + 1)..] : re2[(i + 1)..end];
                        sb.Append(inClass ? EscapeInClass(literal) : Regex.Escape(literal));
                        i = end < 0 ? re2.Length : end + 1;
                        break;
                    }
                    case >= '1' and <= '9':
                        return false;
                    default:
                        sb.Append('\\').Append(e);
                        break;
                }
                continue;
            }
            if (inClass)
            {
                if (c == '[' && i + 1 < re2.Length && re2[i + 1] == ':')
                {
                    var end = re2.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    if (end > 0)
                    {
                        if (!s_posixClasses.TryGetValue(re2[(i + 2)..end], out var range))
                        {
                            return false;
                        }
                        sb.Append(range);
                        i = end + 1;
                        continue;
                    }
                }
                if (c == '[')
                {
                    sb.Append("\\[");
                    continue;
                }
                if (c == ']')
                {
                    inClass = false;
                }
                sb.Append(c);
                continue;
            }
            switch (c)
            {
                case '[':
                    inClass = true;
                    sb.Append(c);
                    // A ']' right after '[' or '[^' is a literal in both dialects.
                    if (i + 1 < re2.Length && re2[i + 1] == '^')
                    {
                        sb.Append('^');
                        i++;
                    }
                    if (i + 1 < re2.Length && re2[i + 1] == ']')
                    {
                        sb.Append("\\]");
                        i++;
                    }
                    break;
                case '$' when !multiline:
                    sb.Append("\\z");
                    break;
                case '(' when i + 1 < re2.Length && re2[i + 1] == '?':
                    if (i + 2 < re2.Length && re2[i + 2] == 'P')
                    {
                        // (?P<name>...): a numbered group here, the name kept for Expand.
                        var close = re2.IndexOf('>', i + 3);
                        if (i + 3 >= re2.Length || re2[i + 3] != '<' || close < 0)
                        {
                            return false;
                        }
                        var name = re2[(i + 4)..close];
                        if (name.Length == 0 || !IsWordName(name) || names.Contains(name))
                        {
                            return false;
                        }
                        names.Add(name);
                        sb.Append('(');
                        i = close;
                        break;
                    }
                    if (i + 2 < re2.Length && re2[i + 2] is '<' or '\'' or '=' or '!' or '>' or '#' or '(')
                    {
                        // Named groups without P (Go 1.22+), lookaround, atomic groups, comments, conditionals.
                        return false;
                    }
                    sb.Append(c);
                    break;
                case '(':
                    names.Add(null);
                    sb.Append(c);
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        if (inClass)
        {
            return false;
        }
        pattern = sb.ToString();
        return true;
    }

    private static bool IsWordName(string name)
    {
        foreach (var ch in name)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch == '_'))
            {
                return false;
            }
        }
        return true;
    }

    private static string EscapeInClass(string literal)
    {
        var sb = new StringBuilder();
        foreach (var ch in literal)
        {
            if (ch is '\\' or ']' or '[' or '^' or '-')
            {
                sb.Append('\\');
            }
            sb.Append(ch);
        }
        return sb.ToString();
    }
}
