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
    public static int Compare(string? a, string? b) => LabelText.CompareUtf8(a, b);

    /// <summary>Compares label sets as Prometheus's <c>labels.Compare</c>: pair by pair, name then value, shorter first.</summary>
    public static int Compare(Labels? a, Labels? b) => a is null ? (b is null ? 0 : -1) : a.CompareTo(b);

    /// <summary><see cref="Compare(string, string)"/> as a comparer.</summary>
    public static IComparer<string> Strings { get; } = Comparer<string>.Create(static (a, b) => Compare(a, b));

    /// <summary><see cref="Compare(Labels, Labels)"/> as a comparer; sort series with this before writing a block.</summary>
    public static IComparer<Labels> LabelSets { get; } = Comparer<Labels>.Create(static (a, b) => Compare(a, b));
}
