namespace Vigil.Tsdb;

/// <summary>Counters the head keeps; read by the metrics layer (names follow Prometheus's <c>prometheus_tsdb_head_*</c>).</summary>
public sealed class HeadStats
{
    private long _samplesAppended;
    private long _outOfOrder;
    private long _duplicate;
    private long _outOfBounds;
    private long _invalidLabels;
    private long _seriesCreated;
    private long _seriesRemoved;
    private long _chunksCreated;
    private long _chunksRemoved;

    /// <summary><c>prometheus_tsdb_head_samples_appended_total</c>.</summary>
    public long SamplesAppended => Interlocked.Read(ref _samplesAppended);

    /// <summary><c>prometheus_tsdb_out_of_order_samples_total</c>.</summary>
    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    /// <summary>Samples rejected for a duplicate timestamp with a different value.</summary>
    public long DuplicateTimestamp => Interlocked.Read(ref _duplicate);

    /// <summary><c>prometheus_tsdb_out_of_bound_samples_total</c>.</summary>
    public long OutOfBounds => Interlocked.Read(ref _outOfBounds);

    /// <summary>Samples rejected for unusable labels.</summary>
    public long InvalidLabels => Interlocked.Read(ref _invalidLabels);

    /// <summary><c>prometheus_tsdb_head_series_created_total</c>.</summary>
    public long SeriesCreated => Interlocked.Read(ref _seriesCreated);

    /// <summary><c>prometheus_tsdb_head_series_removed_total</c>.</summary>
    public long SeriesRemoved => Interlocked.Read(ref _seriesRemoved);

    /// <summary><c>prometheus_tsdb_head_chunks_created_total</c>.</summary>
    public long ChunksCreated => Interlocked.Read(ref _chunksCreated);

    /// <summary><c>prometheus_tsdb_head_chunks_removed_total</c>.</summary>
    public long ChunksRemoved => Interlocked.Read(ref _chunksRemoved);

    internal void AddAppended(long n) => Interlocked.Add(ref _samplesAppended, n);

    internal void Rejected(Storage.AppendStatus status)
    {
        switch (status)
        {
            case Storage.AppendStatus.OutOfOrder: Interlocked.Increment(ref _outOfOrder); break;
            case Storage.AppendStatus.DuplicateTimestamp: Interlocked.Increment(ref _duplicate); break;
            case Storage.AppendStatus.OutOfBounds: Interlocked.Increment(ref _outOfBounds); break;
            case Storage.AppendStatus.InvalidLabels: Interlocked.Increment(ref _invalidLabels); break;
        }
    }

    internal void SeriesAdded() => Interlocked.Increment(ref _seriesCreated);

    internal void SeriesDropped(long n) => Interlocked.Add(ref _seriesRemoved, n);

    internal void ChunkAdded() => Interlocked.Increment(ref _chunksCreated);

    internal void ChunksDropped(long n) => Interlocked.Add(ref _chunksRemoved, n);
}
