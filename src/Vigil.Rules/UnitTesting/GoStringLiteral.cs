using System.Globalization;
using System.Text;

namespace Vigil.Rules.UnitTesting;

/// <summary>
/// PromQL string literals as Prometheus's lexer and <c>strutil.Unquote</c> read them: double- or single-quoted
/// with Go escapes (<c>\n</c>, <c>\x41</c>, <c>\u00e9</c>, <c>\101</c>, ...), or back-quoted and raw.
/// </summary>
internal static class GoStringLiteral
{
    /// <summary>
    /// Reads the literal that starts at <paramref name="start"/> (on its opening quote). On success
    /// <paramref name="end"/> is just past the closing quote; on failure <paramref name="error"/> says why and
    /// <paramref name="end"/> is where.
    /// </summary>
    public static bool TryRead(string text, int start, out string value, out int end, out string? error)
    {
        var quote = text[start];
        var sb = new StringBuilder();
        var i = start + 1;
        value = "";
        error = null;
        if (quote == '`')
        {
            var close = text.IndexOf('`', i);
            if (close < 0)
            {
                end = text.Length;
                error = "unterminated raw string";
                return false;
            }
            value = text[i..close];
            end = close + 1;
            return true;
        }
        while (true)
        {
            if (i >= text.Length || text[i] == '\n')
            {
                end = i;
                error = "unterminated quoted string";
                return false;
            }
            var c = text[i];
            if (c == quote)
            {
                end = i + 1;
                value = sb.ToString();
                return true;
            }
            if (c != '\\')
            {
                sb.Append(c);
                i++;
                continue;
            }
            i++;
            if (i >= text.Length)
            {
                end = i;
                error = "escape sequence not terminated";
                return false;
            }
            var e = text[i];
            switch (e)
            {
                case 'a': sb.Append('\a'); i++; break;
                case 'b': sb.Append('\b'); i++; break;
                case 'f': sb.Append('\f'); i++; break;
                case 'n': sb.Append('\n'); i++; break;
                case 'r': sb.Append('\r'); i++; break;
                case 't': sb.Append('\t'); i++; break;
                case 'v': sb.Append('\v'); i++; break;
                case '\\': sb.Append('\\'); i++; break;
                case '"' or '\'' when e == quote: sb.Append(e); i++; break;
                case 'x' or 'u' or 'U':
                    {
                        var digits = e switch { 'x' => 2, 'u' => 4, _ => 8 };
                        if (i + digits >= text.Length
                            || !int.TryParse(text.AsSpan(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        {
                            end = i;
                            error = "invalid character in escape sequence";
                            return false;
                        }
                        if (e == 'x')
                        {
                            // \xNN is a byte; PromQL strings are UTF-8, so only ASCII bytes stand alone.
                            sb.Append((char)code);
                        }
                        else if (!Rune.IsValid(code))
                        {
                            end = i;
                            error = "escape sequence is an invalid Unicode code point";
                            return false;
                        }
                        else
                        {
                            sb.Append(new Rune(code).ToString());
                        }
                        i += digits + 1;
                        break;
                    }
                case >= '0' and <= '7':
                    {
                        if (i + 2 >= text.Length || text[i + 1] is < '0' or > '7' || text[i + 2] is < '0' or > '7')
                        {
                            end = i;
                            error = "invalid character in escape sequence";
                            return false;
                        }
                        var code = ((e - '0') * 64) + ((text[i + 1] - '0') * 8) + (text[i + 2] - '0');
                        if (code > 255)
                        {
                            end = i;
                            error = "octal escape value > 255";
                            return false;
                        }
                        sb.Append((char)code);
                        i += 3;
                        break;
                    }
                default:
                    end = i;
                    error = string.Create(CultureInfo.InvariantCulture, $"unknown escape sequence '{e}'");
                    return false;
            }
        }
    }
}
