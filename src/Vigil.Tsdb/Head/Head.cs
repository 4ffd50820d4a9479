using System.Collections.Concurrent;
using Vigil.Model;
using Vigil.Storage;
using Vigil.Tsdb.Index;

namespace Vigil.Tsdb;

/// <summary>
/// The in-memory head of the TSDB: the newest samples of every active series in XOR chunks, an
/// inverted index over their labels, and appends made durable through <see cref="IHeadLog"/> (the WAL)
/// before they become visible. Series refs are handed out in increasing order, starting at 1.
/// </summary>
public sealed class Head : IAppendable, IQueryableStorage
{
    private readonly ConcurrentDictionary<Labels, MemSeries> _byLabels = new();
    private readonly ConcurrentDictionary<ulong, MemSeries> _byRef = new();
    private readonly Lock _createLock = new();
    private readonly IHeadLog? _log;
    private long _lastRef;
    private long _minTime = long.MaxValue;
    private long _maxTime = long.MinValue;
    private long _minValidTime = long.MinValue;

    /// <summary>A head that logs commits to <paramref name="log"/> (null: not durable, for tests and tools).</summary>
    public Head(HeadOptions? options = null, IHeadLog? log = null)
    {
        Options = options ?? new HeadOptions();
        _log = log;
    }

    /// <summary>The head's tuning.</summary>
    public HeadOptions Options { get; }

    /// <summary>Counters for self-metrics.</summary>
    public HeadStats Stats { get; } = new();

    internal MemPostings Postings { get; } = new();

    private readonly Blocks.Tombstones _tombstones = new();
    private readonly Lock _tombstonesLock = new();

    /// <summary>Marks [min, max] of the given series deleted; queries skip those samples and compaction drops them.</summary>
    internal void AddTombstones(IEnumerable<Wal.Tombstone> tombstones)
    {
        lock (_tombstonesLock)
        {
            foreach (var t in tombstones)
            {
                _tombstones.Add(t.Ref, new Blocks.TimeInterval(t.MinTimeMs, t.MaxTimeMs));
            }
        }
    }

    /// <summary>A copy of the deleted intervals of a series (empty when none).</summary>
    internal Blocks.TimeInterval[] DeletedIntervals(ulong seriesRef)
    {
        lock (_tombstonesLock)
        {
            return _tombstones.Total == 0 ? [] : [.. _tombstones.Get(seriesRef)];
        }
    }

    /// <summary>Per-commit scratch lists, reused so a steady scrape allocates nothing per sample.</summary>
    internal System.Collections.Concurrent.ConcurrentBag<AppendBuffers> AppendBufferPool { get; } = [];

    /// <summary>
    /// Isolation: a commit applies its samples under the write side, a querier snapshots under the read
    /// side, so a reader sees each commit entirely or not at all. Logging to the WAL happens outside it.
    /// </summary>
    internal ReaderWriterLockSlim CommitLock { get; } = new(LockRecursionPolicy.NoRecursion);

    /// <summary>The number of series in the head (<c>prometheus_tsdb_head_series</c>).</summary>
    public int NumSeries => _byRef.Count;

    /// <summary>The oldest sample time in the head, or long.MaxValue when empty.</summary>
    public long MinTime => Interlocked.Read(ref _minTime);

    /// <summary>The newest sample time in the head, or long.MinValue when empty.</summary>
    public long MaxTime => Interlocked.Read(ref _maxTime);

    /// <summary>Samples older than this are out of bounds: their range already went to a block.</summary>
    public long MinValidTime => Interlocked.Read(ref _minValidTime);

    /// <inheritdoc/>
    public IAppender Appender() => new HeadAppender(this);

    /// <inheritdoc/>
    public IQuerier Querier(long minTimeMs, long maxTimeMs) => new HeadQuerier(this, minTimeMs, maxTimeMs);

    internal MemSeries? GetByRef(ulong seriesRef) => _byRef.GetValueOrDefault(seriesRef);

    /// <summary>The series for <paramref name="labels"/>, created with the next ref if new.</summary>
    internal MemSeries GetOrCreate(Labels labels, out bool created)
    {
        if (_byLabels.TryGetValue(labels, out var existing))
        {
            created = false;
            return existing;
        }
        lock (_createLock)
        {
            if (_byLabels.TryGetValue(labels, out existing))
            {
                created = false;
                return existing;
            }
            var series = new MemSeries((ulong)Interlocked.Increment(ref _lastRef), labels);
            Register(series);
            created = true;
            return series;
        }
    }

    /// <summary>Re-creates a series with a known ref during WAL replay; returns the existing one if the labels are known.</summary>
    internal MemSeries GetOrCreateWithRef(ulong seriesRef, Labels labels)
    {
        lock (_createLock)
        {
            if (_byLabels.TryGetValue(labels, out var existing))
            {
                return existing;
            }
            var series = new MemSeries(seriesRef, labels) { Logged = true };
            Register(series);
            if ((long)seriesRef > _lastRef)
            {
                _lastRef = (long)seriesRef;
            }
            return series;
        }
    }

    private void Register(MemSeries series)
    {
        _byRef[series.Ref] = series;
        _byLabels[series.Labels] = series;
        Postings.Add(series.Ref, series.Labels);
        Stats.SeriesAdded();
    }

    internal void UpdateTimeRange(long minT, long maxT)
    {
        long current;
        while (minT < (current = Interlocked.Read(ref _minTime)) && Interlocked.CompareExchange(ref _minTime, minT, current) != current)
        {
        }
        while (maxT > (current = Interlocked.Read(ref _maxTime)) && Interlocked.CompareExchange(ref _maxTime, maxT, current) != current)
        {
        }
    }

    internal void Log(IReadOnlyList<(ulong Ref, Labels Labels)> newSeries, ReadOnlySpan<RefSample> samples) => _log?.Log(newSeries, samples);

    /// <summary>
    /// Applies one replayed sample (WAL replay): appended when in order, otherwise skipped.
    /// Returns false if the series ref is unknown (its series record was lost).
    /// </summary>
    internal bool Replay(RefSample sample)
    {
        var series = GetByRef(sample.Ref);
        if (series is null)
        {
            return false;
        }
        lock (series.Lock)
        {
            if (series.Append(sample.TimestampMs, sample.Value, Options, out var chunkCreated))
            {
                if (chunkCreated)
                {
                    Stats.ChunkAdded();
                }
                UpdateTimeRange(sample.TimestampMs, sample.TimestampMs);
            }
        }
        return true;
    }

    /// <summary>Makes appends older than <paramref name="minTime"/> out of bounds (before a range is persisted).</summary>
    internal void RaiseMinValidTime(long minTime)
    {
        long current;
        while (minTime > (current = Interlocked.Read(ref _minValidTime)) && Interlocked.CompareExchange(ref _minValidTime, minTime, current) != current)
        {
        }
    }

    /// <summary>
    /// The chunks of every series that lie in [<paramref name="minTime"/>, <paramref name="maxTime"/>), with
    /// the series sorted in Prometheus's (UTF-8 byte) label order, ready for a block. Chunks never cross
    /// a chunk-range boundary, so a range aligned to it takes whole chunks.
    /// </summary>
    internal List<Blocks.ChunkedSeries> ChunksInRange(long minTime, long maxTime)
    {
        var result = new List<Blocks.ChunkedSeries>();
        var chunks = new List<HeadChunk>();
        foreach (var series in _byRef.Values)
        {
            chunks.Clear();
            lock (series.Lock)
            {
                series.CollectChunks(minTime, maxTime - 1, chunks);
            }
            if (chunks.Count == 0)
            {
                continue;
            }
            var deleted = DeletedIntervals(series.Ref);
            var encoded = new List<Blocks.EncodedChunk>(chunks.Count);
            foreach (var c in chunks)
            {
                if (deleted.Length == 0 || !Overlaps(deleted, c.MinTime, c.MaxTime))
                {
                    encoded.Add(new Blocks.EncodedChunk(c.MinTime, c.MaxTime, (byte)Chunks.ChunkEncoding.Xor, c.Data));
                }
                else if (WithoutDeleted(c, deleted) is { } kept)
                {
                    encoded.Add(kept);
                }
            }
            if (encoded.Count > 0)
            {
                result.Add(new Blocks.ChunkedSeries(series.Labels, encoded));
            }
        }
        result.Sort(static (a, b) => Blocks.Utf8Order.Compare(a.Labels, b.Labels));
        return result;
    }

    private static bool Overlaps(Blocks.TimeInterval[] intervals, long min, long max)
    {
        foreach (var iv in intervals)
        {
            if (iv.MaxTime >= min && iv.MinTime <= max)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The chunk re-encoded without its deleted samples, or null when nothing is left.</summary>
    private static Blocks.EncodedChunk? WithoutDeleted(HeadChunk chunk, Blocks.TimeInterval[] deleted)
    {
        var kept = new Chunks.XorChunk();
        var appender = kept.Appender();
        long min = long.MaxValue, max = long.MinValue;
        var it = new Chunks.XorIterator(chunk.Data);
        while (it.Next())
        {
            var sample = it.At();
            if (Contains(deleted, sample.TimestampMs))
            {
                continue;
            }
            appender.Append(sample.TimestampMs, sample.Value);
            min = Math.Min(min, sample.TimestampMs);
            max = sample.TimestampMs;
        }
        return kept.NumSamples == 0 ? null : new Blocks.EncodedChunk(min, max, (byte)Chunks.ChunkEncoding.Xor, kept.Bytes.ToArray());
    }

    internal static bool Contains(Blocks.TimeInterval[] intervals, long t)
    {
        foreach (var iv in intervals)
        {
            if (iv.Contains(t))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Drops every chunk that ends before <paramref name="minTime"/> (its range is now in a block),
    /// removes series left empty, and rejects later appends older than <paramref name="minTime"/>.
    /// Returns the refs of the removed series (so a WAL checkpoint can drop them).
    /// </summary>
    public IReadOnlyList<ulong> Truncate(long minTime)
    {
        RaiseMinValidTime(minTime);
        var removed = new List<(ulong, Labels)>();
        var newMin = long.MaxValue;
        lock (_createLock)
        {
            foreach (var series in _byRef.Values)
            {
                lock (series.Lock)
                {
                    Stats.ChunksDropped(series.TruncateBefore(minTime));
                    if (series.IsEmpty && series.PendingCommits == 0)
                    {
                        removed.Add((series.Ref, series.Labels));
                        _byRef.TryRemove(series.Ref, out _);
                        _byLabels.TryRemove(series.Labels, out _);
                    }
                    else
                    {
                        newMin = Math.Min(newMin, series.MinTime);
                    }
                }
            }
            Postings.Delete(removed);
        }
        Interlocked.Exchange(ref _minTime, newMin);
        Stats.SeriesDropped(removed.Count);
        return removed.ConvertAll(r => r.Item1);
    }
}
