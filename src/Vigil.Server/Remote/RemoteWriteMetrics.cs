using System.Diagnostics.Metrics;
using Vigil.Remote.Send;
using Vigil.Tsdb;

namespace Vigil.Server.Remote;

/// <summary>
/// The remote-write sender's self-metrics with Prometheus 2.42's names and labels: <c>prometheus_remote_storage_*</c>
/// per queue (<c>remote_name</c>, <c>url</c>) and <c>prometheus_wal_watcher_*</c> per consumer; Vigil-only ones are
/// <c>vigil_</c>-prefixed.
/// </summary>
public static class RemoteWriteMetrics
{
    /// <summary>The meter the instruments live on.</summary>
    public const string MeterName = "Vigil.Remote";

    /// <summary>Prometheus's <c>sent_batch_duration_seconds</c> buckets: the default ones and 25, 60, 120, 300.</summary>
    public static readonly IReadOnlyList<double> SendDurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 120, 300];

    /// <summary>Creates the instruments; returns the send-duration histogram the queues record into.</summary>
    public static Histogram<double> Register(IMeterFactory meters, RemoteWriteService service, TimeSeriesDb db)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(db);
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("prometheus_remote_storage_highest_timestamp_in_seconds",
            () => db.Head.NumSeries == 0 ? 0 : db.Head.MaxTime / 1000.0,
            description: "Highest timestamp that has come into the remote storage via the Appender interface, in seconds since epoch.");
        meter.CreateObservableCounter("prometheus_remote_storage_samples_in_total", () => db.Head.Stats.SamplesAppended,
            description: "Samples in to remote storage, compare to samples out for queue managers.");

        Counter("prometheus_remote_storage_samples_total", static q => q.Stats.Samples, "Total number of samples sent to remote storage.");
        Counter("prometheus_remote_storage_samples_failed_total", static q => q.Stats.Failed, "Total number of samples which failed on send to remote storage, non-recoverable errors.");
        Counter("prometheus_remote_storage_samples_retried_total", static q => q.Stats.Retried, "Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.");
        Counter("prometheus_remote_storage_samples_dropped_total", static q => q.Stats.Dropped, "Total number of samples which were dropped after being read from the WAL before being sent via remote write, either via relabelling or unintentionally because of an unknown reference ID.");
        Counter("prometheus_remote_storage_enqueue_retries_total", static q => q.Stats.EnqueueRetries, "Total number of times enqueue has failed because a shards queue was full.");
        Counter("prometheus_remote_storage_bytes_total", static q => q.Stats.Bytes, "The total number of bytes of data (not metadata) sent by the queue after compression.");
        Gauge("prometheus_remote_storage_samples_pending", static q => q.Stats.Pending, "The number of samples pending in the queues shards to be sent to the remote storage.");
        Gauge("prometheus_remote_storage_queue_highest_sent_timestamp_seconds", static q => q.Stats.HighestSentTimestampSeconds, "Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch.");
        Gauge("prometheus_remote_storage_shards", static q => q.Stats.Shards, "The number of shards used for parallel sending to the remote storage.");
        Gauge("prometheus_remote_storage_shards_desired", static q => double.IsNaN(q.Stats.DesiredShards) || q.Stats.DesiredShards == 0 ? q.Options.Queue.MinShards : q.Stats.DesiredShards,
            "The number of shards that the queues shard calculation wants to run based on the rate of samples in vs. samples out.");
        Gauge("prometheus_remote_storage_shards_max", static q => q.Options.Queue.MaxShards, "The maximum number of shards that the queue is allowed to run.");
        Gauge("prometheus_remote_storage_shards_min", static q => q.Options.Queue.MinShards, "The minimum number of shards that the queue is allowed to run.");
        Gauge("prometheus_remote_storage_shard_capacity", static q => q.Options.Queue.Capacity, "The capacity of each shard of the queue used for parallel sending to the remote storage.");
        Gauge("prometheus_remote_storage_max_samples_per_send", static q => q.Options.Queue.MaxSamplesPerSend, "The maximum number of samples to be sent, in a single request, to the remote storage.");

        meter.CreateObservableCounter("prometheus_wal_watcher_records_read_total", () => Records(service.Queues),
            description: "Number of records read by the WAL watcher from the WAL.");
        WatcherCounter("prometheus_wal_watcher_record_decode_failures_total", static w => w.DecodeFailures, "Number of records read by the WAL watcher that resulted in an error when decoding.");
        WatcherCounter("prometheus_wal_watcher_samples_sent_pre_tailing_total", static w => w.SamplesSentPreTailing, "Number of sample records read by the WAL watcher and sent to remote write during replay of existing WAL.");
        WatcherCounter("vigil_wal_watcher_segments_skipped_total", static w => w.SegmentsSkipped, "Number of WAL segments deleted before the WAL watcher read them; their samples were not sent.");
        WatcherCounter("vigil_wal_watcher_corrupt_segments_total", static w => w.Corruptions, "Number of complete WAL segments whose rest the WAL watcher skipped because it was corrupt.");
        meter.CreateObservableGauge("prometheus_wal_watcher_current_segment", () => PerConsumer(service.Queues, static w => w.CurrentSegment),
            description: "Current segment the WAL watcher is reading records from.");

        return meter.CreateHistogram<double>("prometheus_remote_storage_sent_batch_duration_seconds", unit: null,
            description: "Duration of send calls to the remote storage.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SendDurationBuckets });

        void Counter(string name, Func<RemoteWriteQueue, long> value, string help)
            => meter.CreateObservableCounter(name, () => PerQueue(service.Queues, value), description: help);

        void Gauge(string name, Func<RemoteWriteQueue, double> value, string help)
            => meter.CreateObservableGauge(name, () => PerQueue(service.Queues, value), description: help);

        void WatcherCounter(string name, Func<WalWatcherStats, long> value, string help)
            => meter.CreateObservableCounter(name, () => PerConsumer(service.Queues, value), description: help);
    }

    private static IEnumerable<Measurement<T>> PerQueue<T>(IReadOnlyList<RemoteWriteQueue> queues, Func<RemoteWriteQueue, T> value) where T : struct
    {
        foreach (var q in queues)
        {
            yield return new Measurement<T>(value(q),
                new KeyValuePair<string, object?>("remote_name", q.Name), new KeyValuePair<string, object?>("url", q.Url.ToString()));
        }
    }

    private static IEnumerable<Measurement<long>> PerConsumer(IReadOnlyList<RemoteWriteQueue> queues, Func<WalWatcherStats, long> value)
    {
        foreach (var q in queues)
        {
            if (q.WatcherStats is { } w)
            {
                yield return new Measurement<long>(value(w), new KeyValuePair<string, object?>("consumer", q.Name));
            }
        }
    }

    private static IEnumerable<Measurement<long>> Records(IReadOnlyList<RemoteWriteQueue> queues)
    {
        foreach (var q in queues)
        {
            if (q.WatcherStats is not { } w)
            {
                continue;
            }
            var consumer = new KeyValuePair<string, object?>("consumer", q.Name);
            yield return new Measurement<long>(w.SeriesRecords, consumer, new KeyValuePair<string, object?>("type", "series"));
            yield return new Measurement<long>(w.SamplesRecords, consumer, new KeyValuePair<string, object?>("type", "samples"));
            yield return new Measurement<long>(w.TombstonesRecords, consumer, new KeyValuePair<string, object?>("type", "tombstones"));
            yield return new Measurement<long>(w.UnknownRecords, consumer, new KeyValuePair<string, object?>("type", "unknown"));
        }
    }
}
