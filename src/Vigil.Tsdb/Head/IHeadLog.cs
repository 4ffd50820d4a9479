using Vigil.Model;

namespace Vigil.Tsdb;

/// <summary>
/// Where the head makes a commit durable before applying it: the WAL in production, nothing or a
/// fake in tests. <see cref="Log"/> must return only once the records are durable per the fsync
/// policy, and throw when they are not (the commit then fails and nothing is applied).
/// </summary>
public interface IHeadLog
{
    /// <summary>Logs the series first seen in this commit and the commit's samples, as one batch.</summary>
    void Log(IReadOnlyList<(ulong Ref, Labels Labels)> newSeries, ReadOnlySpan<RefSample> samples);
}

/// <summary>A sample addressed by series ref, as the WAL stores it.</summary>
/// <param name="Ref">The series ref.</param>
/// <param name="TimestampMs">Milliseconds since the epoch.</param>
/// <param name="Value">The value, bit-exact.</param>
public readonly record struct RefSample(ulong Ref, long TimestampMs, double Value);
