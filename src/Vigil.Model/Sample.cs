namespace Vigil.Model;

/// <summary>One float sample: a millisecond Unix timestamp and a value.</summary>
/// <param name="TimestampMs">Milliseconds since the Unix epoch.</param>
/// <param name="Value">The value; may be NaN, ±Inf, or the stale marker.</param>
public readonly record struct Sample(long TimestampMs, double Value);

/// <summary>Prometheus's staleness marker: a NaN with a specific bit pattern, distinct from an ordinary NaN.</summary>
public static class StaleMarker
{
    /// <summary>The bit pattern Prometheus writes for a stale sample (<c>value.StaleNaN</c>).</summary>
    public const ulong Bits = 0x7ff0000000000002;

    /// <summary>The stale-marker NaN.</summary>
    public static double Value => BitConverter.UInt64BitsToDouble(Bits);

    /// <summary>Whether <paramref name="value"/> is the stale marker (not merely any NaN).</summary>
    public static bool IsStale(double value) => BitConverter.DoubleToUInt64Bits(value) == Bits;
}
