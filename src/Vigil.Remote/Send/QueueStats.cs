namespace Vigil.Remote.Send;

/// <summary>A queue's counters and gauges, read by the server's <c>prometheus_remote_storage_*</c> instruments.</summary>
public sealed class QueueStats
{
    private long _samples;
    private long _failed;
    private long _retried;
    private long _dropped;
    private long _pending;
    private long _bytes;
    private long _enqueueRetries;
    private long _highestSentSeconds;
    private long _shards;
    private long _desiredShardsBits;

    /// <summary><c>prometheus_remote_storage_samples_total</c>: samples sent, every attempt counted.</summary>
    public long Samples => Interlocked.Read(ref _samples);

    /// <summary><c>prometheus_remote_storage_samples_failed_total</c>: samples in batches the receiver refused for good (4xx).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary><c>prometheus_remote_storage_samples_retried_total</c>: samples in attempts that are retried.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    /// <summary><c>prometheus_remote_storage_samples_dropped_total</c>: samples read whose series is unknown or relabelled away.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary><c>prometheus_remote_storage_samples_pending</c>: samples queued in shards and not yet sent.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary><c>prometheus_remote_storage_bytes_total</c>: compressed request bytes delivered.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary><c>prometheus_remote_storage_enqueue_retries_total</c>: times a full shard made the reader wait.</summary>
    public long EnqueueRetries => Interlocked.Read(ref _enqueueRetries);

    /// <summary><c>prometheus_remote_storage_queue_highest_sent_timestamp_seconds</c> (whole seconds, as Prometheus).</summary>
    public long HighestSentTimestampSeconds => Interlocked.Read(ref _highestSentSeconds);

    /// <summary><c>prometheus_remote_storage_shards</c>.</summary>
    public long Shards => Interlocked.Read(ref _shards);

    /// <summary><c>prometheus_remote_storage_shards_desired</c>.</summary>
    public double DesiredShards => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _desiredShardsBits));

    internal void Sent(int samples) => Interlocked.Add(ref _samples, samples);

    internal void Fail(int samples) => Interlocked.Add(ref _failed, samples);

    internal void Retry(int samples) => Interlocked.Add(ref _retried, samples);

    internal void Drop(int samples) => Interlocked.Add(ref _dropped, samples);

    internal void AddPending(long samples) => Interlocked.Add(ref _pending, samples);

    internal void AddBytes(int bytes) => Interlocked.Add(ref _bytes, bytes);

    internal void EnqueueRetry() => Interlocked.Increment(ref _enqueueRetries);

    internal void SetShards(int shards) => Interlocked.Exchange(ref _shards, shards);

    internal void SetDesiredShards(double shards) => Interlocked.Exchange(ref _desiredShardsBits, BitConverter.DoubleToInt64Bits(shards));

    internal void HighestSent(long seconds)
    {
        var current = Interlocked.Read(ref _highestSentSeconds);
        while (seconds > current)
        {
            var seen = Interlocked.CompareExchange(ref _highestSentSeconds, seconds, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
