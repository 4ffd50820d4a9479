namespace Vigil.Tsdb.Wal;

/// <summary>The first byte of a WAL record (Prometheus <c>tsdb/record</c> numbering).</summary>
public enum WalRecordType : byte
{
    /// <summary>Empty, or a type this version does not know (Prometheus's exemplars, histograms, metadata...).</summary>
    Unknown = 0,

    /// <summary>New series: ref and labels (<see cref="SeriesRecord"/>).</summary>
    Series = 1,

    /// <summary>Float samples: ref, timestamp, value (<see cref="SamplesRecord"/>).</summary>
    Samples = 2,

    /// <summary>Deleted intervals of series (<see cref="TombstonesRecord"/>).</summary>
    Tombstones = 3,
}

/// <summary>Record-level helpers shared by the encoders.</summary>
public static class WalRecord
{
    /// <summary>The type of a record from its first byte; <see cref="WalRecordType.Unknown"/> for anything this version cannot decode.</summary>
    public static WalRecordType TypeOf(ReadOnlySpan<byte> record)
        => record.IsEmpty ? WalRecordType.Unknown : record[0] switch
        {
            1 => WalRecordType.Series,
            2 => WalRecordType.Samples,
            3 => WalRecordType.Tombstones,
            _ => WalRecordType.Unknown,
        };
}

/// <summary>A series as a series record carries it: the head's ref for it, and its labels.</summary>
/// <param name="Ref">The head series ref.</param>
/// <param name="Labels">The series' labels.</param>
public readonly record struct RefSeries(ulong Ref, Vigil.Model.Labels Labels);

/// <summary>A deleted interval of one series, as a tombstones record carries it.</summary>
/// <param name="Ref">The head series ref.</param>
/// <param name="MinTimeMs">First deleted millisecond, inclusive.</param>
/// <param name="MaxTimeMs">Last deleted millisecond, inclusive.</param>
public readonly record struct Tombstone(ulong Ref, long MinTimeMs, long MaxTimeMs);
