using System.Globalization;
using System.Text;

namespace Vigil.PromQL.Parser;

/// <summary>The bits of Go's <c>fmt</c> verbs that Prometheus's parse errors use (<c>%q</c>, <c>%.10q</c>, <c>%#U</c>, <c>%f</c>).</summary>
internal static class GoText
{
    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(int r)
    {
        if (r == ' ')
        {
            return true;
        }
        if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        {
            return false;
        }
        var category = Rune.GetUnicodeCategory(new Rune(r));
        return category switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }

    /// <summary><c>%q</c> of a rune (<c>strconv.QuoteRune</c>); -1 (end of input) prints as U+FFFD like Go.</summary>
    public static string QuoteRune(int r)
    {
        if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        {
            r = 0xFFFD;
        }
        var sb = new StringBuilder("'");
        switch (r)
        {
            case '\'': sb.Append("\\'"); break;
            case '\\': sb.Append("\\\\"); break;
            case '\a': sb.Append("\\a"); break;
            case '\b': sb.Append("\\b"); break;
            case '\f': sb.Append("\\f"); break;
            case '\n': sb.Append("\\n"); break;
            case '\r': sb.Append("\\r"); break;
            case '\t': sb.Append("\\t"); break;
            case '\v': sb.Append("\\v"); break;
            default:
                AppendRune(sb, r);
                break;
        }
        return sb.Append('\'').ToString();
    }

    /// <summary><c>%#U</c> of a rune: <c>U+0071 'q'</c>, or just <c>U+0007</c> when not printable.</summary>
    public static string UnicodeRune(int r)
    {
        var text = r < 0
            ? "U+" + (-r).ToString("X4", CultureInfo.InvariantCulture)
            : "U+" + r.ToString("X4", CultureInfo.InvariantCulture);
        if (r < 0)
        {
            text = "U+-" + text[2..];
        }
        return IsPrint(r) ? text + " '" + char.ConvertFromUtf32(r) + "'" : text;
    }

    /// <summary>
    /// <c>%q</c> of a string (Go's <c>strconv.Quote</c>). A lone surrogate U+DC80..U+DCFF stands for a byte that is not
    /// valid UTF-8 (see <see cref="GoLiterals.Unquote"/>) and prints as <c>\xNN</c>, as Go prints the raw byte.
    /// </summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            int r = s[i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                r = char.ConvertToUtf32(s[i], s[i + 1]);
                i++;
            }
            else if (r is >= 0xDC80 and <= 0xDCFF)
            {
                sb.Append("\\x").Append((r - 0xDC00).ToString("x2", CultureInfo.InvariantCulture));
                continue;
            }
            else if (char.IsSurrogate(s[i]))
            {
                r = 0xFFFD;
            }
            switch (r)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    AppendRune(sb, r);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    private static void AppendRune(StringBuilder sb, int r)
    {
        if (IsPrint(r))
        {
            sb.Append(char.ConvertFromUtf32(r));
        }
        else if (r < ' ' || r == 0x7f)
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

    /// <summary><c>%.10q</c> of a string followed by <c>...</c>, as <c>Item.String()</c> writes long items.</summary>
    public static string QuoteTruncated(string s)
    {
        var runes = 0;
        var i = 0;
        while (i < s.Length && runes < 10)
        {
            i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
            runes++;
        }
        return Quote(s[..i]) + "...";
    }

    /// <summary>Go's <c>%f</c> of a float64 (six decimals, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>).</summary>
    public static string FormatF(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }
        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }
        return value.ToString("F6", CultureInfo.InvariantCulture);
    }
}
