using Vigil.Tsdb.Wal;

namespace Vigil.Tsdb;

/// <summary>How a <see cref="TimeSeriesDb"/> stores, keeps and compacts data.</summary>
public sealed record TsdbOptions
{
    /// <summary>How long samples are kept (by block max time against the newest data); zero keeps everything. Default 15d.</summary>
    public TimeSpan RetentionTime { get; init; } = TimeSpan.FromDays(15);

    /// <summary>The most bytes of blocks to keep, oldest deleted first; 0 means no limit.</summary>
    public long RetentionSizeBytes { get; init; }

    /// <summary>Whether compaction also merges complete windows of level-1 blocks into larger blocks (default on).</summary>
    public bool MergeBlocks { get; init; } = true;

    /// <summary>The head's tuning (chunk range = the smallest block range, 2h by default).</summary>
    public HeadOptions Head { get; init; } = new();

    /// <summary>WAL segment size in bytes.</summary>
    public int WalSegmentSize { get; init; } = WalOptions.DefaultSegmentSize;

    /// <summary>When the WAL fsyncs.</summary>
    public FsyncPolicy WalFsync { get; init; } = FsyncPolicy.Always;

    /// <summary>The clock (retention, compaction timing).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where warnings go (WAL repair, lost series): a logger in the server, a list in tests.</summary>
    public Action<string>? Warning { get; init; }
}
