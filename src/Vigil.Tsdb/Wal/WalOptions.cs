using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Wal;

/// <summary>When <see cref="WriteAheadLog.Log(ReadOnlySpan{byte})"/> fsyncs the active segment.</summary>
public enum FsyncPolicy
{
    /// <summary>After every batch (and of the closed segment at a cut): a returned <c>Log</c> means the batch is on stable storage.</summary>
    Always = 0,

    /// <summary>
    /// At the end of a batch when <see cref="WalOptions.FsyncInterval"/> has passed since the last fsync (checked on
    /// the writing thread; no timer), and when a segment is cut. <see cref="TimeSpan.MaxValue"/> means: only at cuts and Close.
    /// </summary>
    Interval = 1,

    /// <summary>Never while logging, not even at segment cuts: the OS writes back when it likes. Only <see cref="WriteAheadLog.Close"/> and <see cref="WriteAheadLog.Sync"/> fsync.</summary>
    Never = 2,
}

/// <summary>How a <see cref="WriteAheadLog"/> writes. All members have working defaults.</summary>
public sealed class WalOptions
{
    /// <summary>128 MiB, as Prometheus.</summary>
    public const int DefaultSegmentSize = 128 * 1024 * 1024;

    /// <summary>The size a segment is cut at; a multiple of the 32 KiB page. A single record larger than this gets a segment of its own that exceeds it.</summary>
    public int SegmentSize { get; init; } = DefaultSegmentSize;

    /// <summary>When batches are fsynced; <see cref="FsyncPolicy.Always"/> by default, so acknowledged means durable.</summary>
    public FsyncPolicy FsyncPolicy { get; init; } = FsyncPolicy.Always;

    /// <summary>The longest time between fsyncs under <see cref="FsyncPolicy.Interval"/>.</summary>
    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The file seam; tests wrap it to tear writes and fail fsyncs.</summary>
    public IFileSystem FileSystem { get; init; } = PhysicalFileSystem.Instance;

    /// <summary>The clock for <see cref="FsyncPolicy.Interval"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Called with a one-line message when the WAL repairs a torn tail or cannot close cleanly (the host logs it as a warning).</summary>
    public Action<string>? Warning { get; init; }

    internal void Validate()
    {
        if (SegmentSize < WalFormat.PageSize || SegmentSize % WalFormat.PageSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SegmentSize), SegmentSize, "segment size must be a positive multiple of the 32 KiB page size");
        }
        if (FsyncPolicy == FsyncPolicy.Interval && FsyncInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FsyncInterval), FsyncInterval, "fsync interval must be positive");
        }
        ArgumentNullException.ThrowIfNull(FileSystem);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
