using Vigil.Model;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// The order of strings as UTF-8 bytes, which is Go's string order and so the order of everything sorted in
/// a Prometheus block: symbols, series (by labels), postings tables. It differs from
/// <see cref="string.CompareOrdinal(string, string)"/> (UTF-16 code units) only when a character above
/// U+FFFF meets one in U+E000..U+FFFF, but then it differs, and a block sorted the wrong way is corrupt
/// to Prometheus.
/// </summary>
public static class Utf8Order
{
    /// <summary>Compares strings by their UTF-8 bytes (equivalently, by code points).</summary>
    public static int Compare(string? a, string? b)
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

    /// <summary>Compares label sets as Prometheus's <c>labels.Compare</c>: pair by pair, name then value, shorter first.</summary>
    public static int Compare(Labels? a, Labels? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }
        if (a is null || b is null)
        {
            return a is null ? -1 : 1;
        }
        var x = a.AsSpan();
        var y = b.AsSpan();
        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            var c = Compare(x[i].Name, y[i].Name);
            if (c != 0)
            {
                return c;
            }
            c = Compare(x[i].Value, y[i].Value);
            if (c != 0)
            {
                return c;
            }
        }
        return x.Length.CompareTo(y.Length);
    }

    /// <summary><see cref="Compare(string, string)"/> as a comparer.</summary>
    public static IComparer<string> Strings { get; } = Comparer<string>.Create(static (a, b) => Compare(a, b));

    /// <summary><see cref="Compare(Labels, Labels)"/> as a comparer; sort series with this before writing a block.</summary>
    public static IComparer<Labels> LabelSets { get; } = Comparer<Labels>.Create(static (a, b) => Compare(a, b));
}
