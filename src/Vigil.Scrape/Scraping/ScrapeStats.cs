namespace Vigil.Scrape.Scraping;

/// <summary>
/// The scrape engine's self-metrics, as plain thread-safe counters the server exports (like the TSDB's
/// <c>HeadStats</c>). Each property names the Prometheus metric it feeds. One instance per environment,
/// shared by its scrape pools.
/// </summary>
public sealed class ScrapeStats
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TimeSpan, IntervalSummary> _intervals = [];
    private readonly Dictionary<string, PoolCounters> _pools = new(StringComparer.Ordinal);
    private long _exceededSampleLimit;
    private long _exceededBodySizeLimit;
    private long _exceededLabelLimits;
    private long _outOfOrder;
    private long _duplicate;
    private long _outOfBounds;
    private long _cacheFlushForced;
    private long _scrapes;
    private long _failedScrapes;
    private long _failedCommits;

    /// <summary><c>prometheus_target_scrapes_exceeded_sample_limit_total</c>: scrapes that hit sample_limit.</summary>
    public long ExceededSampleLimit => Interlocked.Read(ref _exceededSampleLimit);

    /// <summary><c>prometheus_target_scrapes_exceeded_body_size_limit_total</c>: scrapes that hit body_size_limit.</summary>
    public long ExceededBodySizeLimit => Interlocked.Read(ref _exceededBodySizeLimit);

    /// <summary><c>prometheus_target_scrape_pool_exceeded_label_limits_total</c>: scrapes that hit a label limit.</summary>
    public long ExceededLabelLimits => Interlocked.Read(ref _exceededLabelLimits);

    /// <summary><c>prometheus_target_scrapes_sample_out_of_order_total</c>: samples rejected as out of order.</summary>
    public long SampleOutOfOrder => Interlocked.Read(ref _outOfOrder);

    /// <summary><c>prometheus_target_scrapes_sample_duplicate_timestamp_total</c>: samples with a duplicate timestamp and another value.</summary>
    public long SampleDuplicateTimestamp => Interlocked.Read(ref _duplicate);

    /// <summary><c>prometheus_target_scrapes_sample_out_of_bounds_total</c>: samples too old for the head or too far in the future.</summary>
    public long SampleOutOfBounds => Interlocked.Read(ref _outOfBounds);

    /// <summary><c>prometheus_target_scrapes_cache_flush_forced_total</c>: caches flushed because failed scrapes kept growing them.</summary>
    public long CacheFlushForced => Interlocked.Read(ref _cacheFlushForced);

    /// <summary>Scrapes attempted (no Prometheus equivalent; <c>vigil_target_scrapes_total</c>).</summary>
    public long Scrapes => Interlocked.Read(ref _scrapes);

    /// <summary>Scrapes that left their target down (<c>vigil_target_scrapes_failed_total</c>).</summary>
    public long FailedScrapes => Interlocked.Read(ref _failedScrapes);

    /// <summary>Scrape batches whose commit threw (logged as "Scrape commit failed" by Prometheus; <c>vigil_target_scrape_commits_failed_total</c>).</summary>
    public long FailedCommits => Interlocked.Read(ref _failedCommits);

    /// <summary>
    /// <c>prometheus_target_interval_length_seconds{interval}</c>: actual time between scrapes, per configured
    /// interval, as count and sum (Prometheus's summary also has quantiles; these do not).
    /// </summary>
    public IReadOnlyList<(TimeSpan Interval, long Count, double SumSeconds)> IntervalLengths()
    {
        lock (_lock)
        {
            var list = new List<(TimeSpan, long, double)>(_intervals.Count);
            foreach (var (interval, summary) in _intervals)
            {
                list.Add((interval, summary.Count, summary.Sum));
            }
            return list;
        }
    }

    /// <summary>
    /// Per scrape pool: <c>prometheus_target_scrape_pool_targets{scrape_job}</c> (current targets) and
    /// <c>prometheus_target_scrape_pool_sync_total{scrape_job}</c> (syncs).
    /// </summary>
    public IReadOnlyList<(string Job, int Targets, long Syncs)> Pools()
    {
        lock (_lock)
        {
            var list = new List<(string, int, long)>(_pools.Count);
            foreach (var (job, counters) in _pools)
            {
                list.Add((job, counters.Targets, counters.Syncs));
            }
            return list;
        }
    }

    internal void AddExceededSampleLimit() => Interlocked.Increment(ref _exceededSampleLimit);

    internal void AddExceededBodySizeLimit() => Interlocked.Increment(ref _exceededBodySizeLimit);

    internal void AddExceededLabelLimits() => Interlocked.Increment(ref _exceededLabelLimits);

    internal void AddCacheFlushForced() => Interlocked.Increment(ref _cacheFlushForced);

    internal void AddFailedCommit() => Interlocked.Increment(ref _failedCommits);

    internal void AddScrape(bool failed)
    {
        Interlocked.Increment(ref _scrapes);
        if (failed)
        {
            Interlocked.Increment(ref _failedScrapes);
        }
    }

    internal void AddRejected(int outOfOrder, int duplicate, int outOfBounds)
    {
        if (outOfOrder > 0)
        {
            Interlocked.Add(ref _outOfOrder, outOfOrder);
        }
        if (duplicate > 0)
        {
            Interlocked.Add(ref _duplicate, duplicate);
        }
        if (outOfBounds > 0)
        {
            Interlocked.Add(ref _outOfBounds, outOfBounds);
        }
    }

    internal void ObserveInterval(TimeSpan interval, TimeSpan actual)
    {
        lock (_lock)
        {
            if (!_intervals.TryGetValue(interval, out var summary))
            {
                summary = new IntervalSummary();
                _intervals.Add(interval, summary);
            }
            summary.Count++;
            summary.Sum += actual.TotalSeconds;
        }
    }

    internal void PoolSynced(string job, int targets)
    {
        lock (_lock)
        {
            if (!_pools.TryGetValue(job, out var counters))
            {
                counters = new PoolCounters();
                _pools.Add(job, counters);
            }
            counters.Targets = targets;
            counters.Syncs++;
        }
    }

    internal void PoolStopped(string job)
    {
        lock (_lock)
        {
            _pools.Remove(job);
        }
    }

    private sealed class IntervalSummary
    {
        public long Count { get; set; }

        public double Sum { get; set; }
    }

    private sealed class PoolCounters
    {
        public int Targets { get; set; }

        public long Syncs { get; set; }
    }
}
