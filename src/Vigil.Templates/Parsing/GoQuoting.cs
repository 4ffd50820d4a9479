using System.Globalization;
using System.Text;

namespace Vigil.Templates;

/// <summary>Go's <c>strconv.Quote</c>/<c>Unquote</c> and <c>%#U</c>, as the template package uses them.</summary>
internal static class GoQuoting
{
    /// <summary>Go's <c>strconv.Quote</c> (also <c>%q</c> of a string).</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        AppendQuoted(sb, s, '"');
        return sb.ToString();
    }

    public static void AppendQuoted(StringBuilder sb, string s, char quote)
    {
        sb.Append(quote);
        foreach (var r in EnumerateRunesLenient(s))
        {
            AppendEscapedRune(sb, r, quote);
        }
        sb.Append(quote);
    }

    private static IEnumerable<int> EnumerateRunesLenient(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                yield return char.ConvertToUtf32(c, s[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                yield return 0xFFFD;
            }
            else
            {
                yield return c;
            }
        }
    }

    public static void AppendEscapedRune(StringBuilder sb, int r, char quote)
    {
        if (r == quote || r == '\\')
        {
            sb.Append('\\').Append((char)r);
            return;
        }
        if (IsPrint(r))
        {
            sb.Append(char.ConvertFromUtf32(r));
            return;
        }
        switch (r)
        {
            case '\a': sb.Append("\\a"); return;
            case '\b': sb.Append("\\b"); return;
            case '\f': sb.Append("\\f"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '\v': sb.Append("\\v"); return;
        }
        if (r < ' ' || r == 0x7F)
        {
            sb.Append("\\x").Append(r.ToString("x2", CultureInfo.InvariantCulture));
        }
        else if (r < 0x10000)
        {
            sb.Append("\\u").Append(r.ToString("x4", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append("\\U").Append(r.ToString("x8", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Go's <c>strconv.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(int r)
    {
        if (r < 0x80)
        {
            return r >= 0x20 && r < 0x7F;
        }
        if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        {
            return false;
        }
        var category = CharUnicodeInfo.GetUnicodeCategory(r);
        return category switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }

    /// <summary>Go's <c>%#U</c>: <c>U+0041 'A'</c>, or just <c>U+0001</c> when the rune is not printable.</summary>
    public static string FormatRuneU(int r)
    {
        if (r < 0)
        {
            return "U+FFFFFFFFFFFFFFFF";
        }
        var hex = "U+" + r.ToString("X4", CultureInfo.InvariantCulture);
        return IsPrint(r) ? hex + " '" + char.ConvertFromUtf32(r) + "'" : hex;
    }

    /// <summary>Go's <c>strconv.Unquote</c> for <c>"…"</c>, <c>`…`</c> and <c>'…'</c>; the error is Go's <c>invalid syntax</c>.</summary>
    public static bool TryUnquote(string s, out string value, out string error)
    {
        value = "";
        error = "invalid syntax";
        if (s.Length < 2)
        {
            return false;
        }
        var quote = s[0];
        if (quote != s[^1])
        {
            return false;
        }
        var body = s[1..^1];
        if (quote == '`')
        {
            if (body.Contains('`', StringComparison.Ordinal))
            {
                return false;
            }
            value = body.Replace("\r", "", StringComparison.Ordinal);
            return true;
        }
        if (quote != '"' && quote != '\'')
        {
            return false;
        }
        if (body.Contains('\n', StringComparison.Ordinal))
        {
            return false;
        }
        if (!body.Contains('\\', StringComparison.Ordinal) && !body.Contains(quote, StringComparison.Ordinal))
        {
            if (quote == '"')
            {
                value = body;
                return true;
            }
            if (quote == '\'' && body.Length > 0 && body.EnumerateRunes().Count() == 1)
            {
                value = body;
                return true;
            }
        }
        var sb = new StringBuilder(body.Length);
        var rest = body.AsSpan();
        while (rest.Length > 0)
        {
            if (!TryUnquoteChar(ref rest, quote, sb))
            {
                return false;
            }
            if (quote == '\'' && rest.Length != 0)
            {
                return false;
            }
        }
        value = sb.ToString();
        return quote != '\'' || value.Length > 0;
    }

    /// <summary>Go's <c>strconv.UnquoteChar</c>: decodes one (possibly escaped) character from the front of <paramref name="s"/>.</summary>
    public static bool TryUnquoteChar(ref ReadOnlySpan<char> s, char quote, StringBuilder destination)
    {
        var c = s[0];
        if (c == quote && (quote == '\'' || quote == '"'))
        {
            return false;
        }
        if (c != '\\')
        {
            if (char.IsHighSurrogate(c) && s.Length > 1 && char.IsLowSurrogate(s[1]))
            {
                destination.Append(c).Append(s[1]);
                s = s[2..];
                return true;
            }
            destination.Append(c);
            s = s[1..];
            return true;
        }
        if (s.Length <= 1)
        {
            return false;
        }
        var e = s[1];
        s = s[2..];
        switch (e)
        {
            case 'a': destination.Append('\a'); return true;
            case 'b': destination.Append('\b'); return true;
            case 'f': destination.Append('\f'); return true;
            case 'n': destination.Append('\n'); return true;
            case 'r': destination.Append('\r'); return true;
            case 't': destination.Append('\t'); return true;
            case 'v': destination.Append('\v'); return true;
            case 'x' or 'u' or 'U':
            {
                var n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (s.Length < n || !int.TryParse(s[..n], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
                {
                    return false;
                }
                s = s[n..];
                if (e == 'x')
                {
                    // A byte: Go strings are bytes; as text it is the Latin-1 character for a lone byte.
                    destination.Append((char)v);
                    return true;
                }
                if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || v < 0)
                {
                    return false;
                }
                destination.Append(char.ConvertFromUtf32(v));
                return true;
            }
            case >= '0' and <= '7':
            {
                if (s.Length < 2)
                {
                    return false;
                }
                var v = e - '0';
                for (var j = 0; j < 2; j++)
                {
                    var x = s[j] - '0';
                    if (x < 0 || x > 7)
                    {
                        return false;
                    }
                    v = (v << 3) | x;
                }
                s = s[2..];
                if (v > 255)
                {
                    return false;
                }
                destination.Append((char)v);
                return true;
            }
            case '\\':
                destination.Append('\\');
                return true;
            case '\'' or '"':
                if (e != quote)
                {
                    return false;
                }
                destination.Append(e);
                return true;
            default:
                return false;
        }
    }
}
