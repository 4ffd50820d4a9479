using System.Globalization;

namespace Vigil.Remote.Send;

/// <summary>A place in the WAL: a segment and a byte offset in it (a record boundary).</summary>
/// <param name="Segment">The segment index.</param>
/// <param name="Offset">The byte offset in the segment.</param>
public readonly record struct WalPosition(int Segment, long Offset) : IComparable<WalPosition>
{
    /// <summary>Orders by segment, then offset.</summary>
    public int CompareTo(WalPosition other)
        => Segment != other.Segment ? Segment.CompareTo(other.Segment) : Offset.CompareTo(other.Offset);

    /// <summary>Whether <paramref name="left"/> comes before <paramref name="right"/>.</summary>
    public static bool operator <(WalPosition left, WalPosition right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> comes after <paramref name="right"/>.</summary>
    public static bool operator >(WalPosition left, WalPosition right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is not after <paramref name="right"/>.</summary>
    public static bool operator <=(WalPosition left, WalPosition right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is not before <paramref name="right"/>.</summary>
    public static bool operator >=(WalPosition left, WalPosition right) => left.CompareTo(right) >= 0;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Segment:D8}@{Offset}");
}
