using System.Text;

namespace Vigil.Model;

/// <summary>Quoting and validation of label and metric names, as Prometheus does them.</summary>
public static class LabelText
{
    /// <summary>Go's <c>strconv.Quote</c> for the characters label values usually hold: escapes <c>\ " \n \t \r</c> and control characters.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            Exposition.GoQuote.AppendEscaped(sb, rune);
        }
        return sb.Append('"').ToString();
    }

    /// <summary>
    /// Compares strings by their UTF-8 bytes (equivalently, by code points): Go's string order, so the
    /// order of Prometheus's sorted label sets and of everything in a block. It differs from UTF-16
    /// ordinal order only when a character above U+FFFF meets one in U+E000..U+FFFF.
    /// </summary>
    public static int CompareUtf8(string? a, string? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }
        if (a is null || b is null)
        {
            return a is null ? -1 : 1;
        }
        var n = Math.Min(a.Length, b.Length);
        var i = a.AsSpan(0, n).CommonPrefixLength(b.AsSpan(0, n));
        if (i == n)
        {
            return a.Length.CompareTo(b.Length);
        }
        int x = a[i], y = b[i];
        if (x >= 0xD800 && y >= 0xD800)
        {
            // Surrogates (D800-DFFF) encode code points above FFFF: move them above E000-FFFF.
            x = x >= 0xE000 ? x - 0x800 : x + 0x2000;
            y = y >= 0xE000 ? y - 0x800 : y + 0x2000;
        }
        return x - y;
    }

    /// <summary>Whether <paramref name="name"/> is a valid metric name: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</summary>
    public static bool IsValidMetricName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':' || (i > 0 && c is >= '0' and <= '9');
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether <paramref name="name"/> is a valid label name: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
    public static bool IsValidLabelName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (i > 0 && c is >= '0' and <= '9');
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
