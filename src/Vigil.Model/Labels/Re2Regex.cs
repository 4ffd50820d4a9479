using System.Text;
using System.Text.RegularExpressions;

namespace Vigil.Model;

/// <summary>
/// Translates RE2 syntax (what Prometheus's Go regexp accepts) into an equivalent .NET pattern.
/// The differences that change answers: RE2's <c>\d \w \s</c> are ASCII-only, <c>$</c> means end of
/// text (in .NET it also matches before a final newline), <c>(?P&lt;name&gt;…)</c>, POSIX classes
/// <c>[[:alpha:]]</c>, one-letter Unicode classes <c>\pL</c>, <c>\x{…}</c> and <c>\Q…\E</c> quoting.
/// Constructs RE2 rejects (backreferences, lookaround) are rejected by .NET's NonBacktracking engine.
/// </summary>
public static class Re2Regex
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

    /// <summary>Translates RE2 <paramref name="re2"/> into a .NET <paramref name="pattern"/> (unanchored); false with the reason in <paramref name="error"/> when RE2 would reject it.</summary>
    public static bool TryTranslate(string re2, out string pattern, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        var sb = new StringBuilder(re2.Length + 8);
        var multiline = re2.Contains("(?m", StringComparison.Ordinal) || re2.Contains("(?sm", StringComparison.Ordinal) || re2.Contains("(?im", StringComparison.Ordinal);
        var inClass = false;
        error = null;
        pattern = "";
        for (var i = 0; i < re2.Length; i++)
        {
            var c = re2[i];
            if (c == '\\')
            {
                if (i + 1 >= re2.Length)
                {
                    error = $"error parsing regexp: trailing backslash at end of expression: ``";
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
                        if (close < 0 || !int.TryParse(re2.AsSpan(i + 2, close - i - 2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var cp) || cp > 0x10FFFF)
                        {
                            error = $"error parsing regexp: invalid escape sequence: `{re2[(i - 1)..Math.Min(re2.Length, i + 8)]}`";
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
                    case '0' or (>= '1' and <= '7') when e == '0' || (i + 1 < re2.Length && re2[i + 1] is >= '0' and <= '7'):
                    {
                        // Go's octal escape: \0 or \1-\7 followed by an octal digit, up to three digits in all.
                        var value = e - '0';
                        for (var d = 1; d < 3 && i + 1 < re2.Length && re2[i + 1] is >= '0' and <= '7'; d++)
                        {
                            value = (value * 8) + (re2[++i] - '0');
                        }
                        var literal = ((char)value).ToString();
                        sb.Append(inClass ? EscapeInClass(literal) : Regex.Escape(literal));
                        break;
                    }
                    case >= '1' and <= '9':
                        error = $"error parsing regexp: invalid escape sequence: `\\{e}`";
                        return false;
                    case < '\x80' when !char.IsAsciiLetterOrDigit(e):
                        // Go lets any ASCII punctuation be escaped (e.g. \_ or \@); .NET refuses some.
                        sb.Append(inClass ? EscapeInClass(e.ToString()) : Regex.Escape(e.ToString()));
                        break;
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
                        var name = re2[(i + 2)..end];
                        var negated = name.StartsWith('^');
                        if (negated)
                        {
                            error = $"error parsing regexp: negated POSIX class not supported: `[:{name}:]`";
                            return false;
                        }
                        if (!s_posixClasses.TryGetValue(name, out var range))
                        {
                            error = $"error parsing regexp: invalid character class range: `[:{name}:]`";
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
                case '(' when i + 2 < re2.Length && re2[i + 1] == '?' && re2[i + 2] == '<':
                    // Go 1.19 (Prometheus 2.42's) knows only (?P<name>...).
                    error = $"error parsing regexp: invalid or unsupported Perl syntax: `(?<`";
                    return false;
                case '(' when i + 2 < re2.Length && re2[i + 1] == '?' && re2[i + 2] == 'P':
                    sb.Append("(?");
                    i += 2;
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        if (inClass)
        {
            error = $"error parsing regexp: missing closing ]: `{re2}`";
            return false;
        }
        pattern = sb.ToString();
        return true;
    }

    /// <summary>When <paramref name="re2"/> is a plain alternation of literals (<c>a|b|c</c>), the literals; else null.</summary>
    public static HashSet<string>? LiteralAlternatives(string re2)
    {
        foreach (var c in re2)
        {
            if (c is '\\' or '.' or '+' or '*' or '?' or '(' or ')' or '[' or ']' or '{' or '}' or '^' or '$')
            {
                return null;
            }
        }
        return new HashSet<string>(re2.Split('|'), StringComparer.Ordinal);
    }

    /// <summary>A short description of a .NET regex parse error.</summary>
    public static string Describe(ArgumentException e) => e is not RegexParseException p ? e.Message : p.Error switch
    {
        // Go's regexp/syntax wording for the errors people actually make.
        RegexParseError.InsufficientClosingParentheses => "missing closing )",
        RegexParseError.InsufficientOpeningParentheses => "unexpected )",
        RegexParseError.UnterminatedBracket => "missing closing ]",
        RegexParseError.QuantifierAfterNothing => "missing argument to repetition operator",
        RegexParseError.NestedQuantifiersNotParenthesized => "invalid nested repetition operator",
        RegexParseError.ReversedQuantifierRange => "invalid repeat count",
        RegexParseError.ReversedCharacterRange => "invalid character class range",
        RegexParseError.UnrecognizedEscape or RegexParseError.UnescapedEndingBackslash => "invalid escape sequence",
        _ => p.Error.ToString(),
    };

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
