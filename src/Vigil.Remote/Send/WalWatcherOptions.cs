namespace Vigil.Remote.Send;

/// <summary>How a <see cref="WalWatcher"/> reads (Prometheus 2.42's <c>tsdb/wlog/watcher.go</c> constants by default).</summary>
public sealed class WalWatcherOptions
{
    /// <summary>The consumer's name (the queue's <c>remote_name</c>), for metrics and logs.</summary>
    public string Consumer { get; init; } = "";

    /// <summary>The clock (polling and the start time).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How often the segment being written is checked for new records (10ms).</summary>
    public TimeSpan ReadPeriod { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How often, while at the end of a segment, the directory is listed for a newer one (100ms).</summary>
    public TimeSpan SegmentCheckPeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a newer checkpoint is looked for, to forget series it dropped (5s).</summary>
    public TimeSpan CheckpointPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Resume here: samples of records starting at or after this position are sent, older ones are not (their series
    /// are still read). Null: start at the end, as Prometheus does — only samples newer than the start time are sent.
    /// </summary>
    public WalPosition? ResumeFrom { get; init; }

    /// <summary>Informational messages (start, replay done).</summary>
    public Action<string>? Info { get; init; }

    /// <summary>Problems that lose data or need attention (skipped segments, corruption).</summary>
    public Action<string>? Warning { get; init; }
}

/// <summary>What a <see cref="WalWatcher"/> has read (for the <c>prometheus_wal_watcher_*</c> metrics).</summary>
public sealed class WalWatcherStats
{
    private long _seriesRecords;
    private long _samplesRecords;
    private long _tombstonesRecords;
    private long _unknownRecords;
    private long _decodeFailures;
    private long _samplesSentPreTailing;
    private long _currentSegment;
    private long _segmentsSkipped;
    private long _corruptions;

    /// <summary>Series records read.</summary>
    public long SeriesRecords => Interlocked.Read(ref _seriesRecords);

    /// <summary>Samples records read.</summary>
    public long SamplesRecords => Interlocked.Read(ref _samplesRecords);

    /// <summary>Tombstones records read.</summary>
    public long TombstonesRecords => Interlocked.Read(ref _tombstonesRecords);

    /// <summary>Records of other types read (exemplars, histograms... of a newer writer).</summary>
    public long UnknownRecords => Interlocked.Read(ref _unknownRecords);

    /// <summary>Records that could not be decoded (<c>prometheus_wal_watcher_record_decode_failures_total</c>).</summary>
    public long DecodeFailures => Interlocked.Read(ref _decodeFailures);

    /// <summary>Samples sent while reading segments that existed at start (<c>prometheus_wal_watcher_samples_sent_pre_tailing_total</c>).</summary>
    public long SamplesSentPreTailing => Interlocked.Read(ref _samplesSentPreTailing);

    /// <summary>The segment being read (<c>prometheus_wal_watcher_current_segment</c>).</summary>
    public long CurrentSegment => Interlocked.Read(ref _currentSegment);

    /// <summary>Segments deleted (by a WAL truncation) before the watcher read them: their samples were never sent.</summary>
    public long SegmentsSkipped => Interlocked.Read(ref _segmentsSkipped);

    /// <summary>Complete segments whose rest was skipped because they were corrupt.</summary>
    public long Corruptions => Interlocked.Read(ref _corruptions);

    internal void RecordRead(Tsdb.Wal.WalRecordType type)
    {
        switch (type)
        {
            case Tsdb.Wal.WalRecordType.Series:
                Interlocked.Increment(ref _seriesRecords);
                break;
            case Tsdb.Wal.WalRecordType.Samples:
                Interlocked.Increment(ref _samplesRecords);
                break;
            case Tsdb.Wal.WalRecordType.Tombstones:
                Interlocked.Increment(ref _tombstonesRecords);
                break;
            default:
                Interlocked.Increment(ref _unknownRecords);
                break;
        }
    }

    internal void DecodeFailed() => Interlocked.Increment(ref _decodeFailures);

    internal void SentPreTailing(int count) => Interlocked.Add(ref _samplesSentPreTailing, count);

    internal void SetSegment(int segment) => Interlocked.Exchange(ref _currentSegment, segment);

    internal void Skipped(int segments) => Interlocked.Add(ref _segmentsSkipped, segments);

    internal void Corrupt() => Interlocked.Increment(ref _corruptions);
}
