using System.Threading.Channels;
using Vigil.Model;
using Vigil.Model.Exposition;
using Vigil.Storage;

namespace Vigil.Scrape.Scraping;

/// <summary>
/// Scrapes one target on its schedule, as Prometheus's <c>scrapeLoop</c>: first at the target's offset within
/// the interval, then every interval; each scrape is one appender batch (samples, stale markers, the five
/// report series) committed together; a stopped loop writes stale markers for everything once the target has
/// stayed away for two intervals.
/// </summary>
/// <remarks>
/// The schedule is one <see cref="ITimer"/> from the <see cref="TimeProvider"/>, created when the loop starts,
/// whose ticks land in a one-slot channel: a tick that finds a scrape still running waits, further ones are
/// dropped (Go's ticker). Scrapes run under the pool's token, not the loop's: stopping a loop lets the scrape
/// in flight finish (bounded by the timeout), stopping the pool cancels it and appends nothing.
/// </remarks>
internal sealed partial class ScrapeLoop
{
    // Prometheus's ScrapeTimestampTolerance: a scrape this close to its slot is stamped with the slot.
    private static readonly TimeSpan s_timestampTolerance = TimeSpan.FromMilliseconds(2);

    private readonly string _pool;
    private readonly IAppendable _appendable;
    private readonly TargetScraper _scraper;
    private readonly TimeProvider _time;
    private readonly ScrapeStats _stats;
    private readonly ulong _offsetSeed;
    private readonly ReportSeries _report;
    private readonly Channel<DateTimeOffset> _ticks = Channel.CreateBounded<DateTimeOffset>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _statusLock = new();
    private ITimer? _timer;
    private Task _run = Task.CompletedTask;
    private volatile bool _endOfRunStaleness = true;
    private int _lastScrapeSize;
    private long _completedScrapes;

    private TargetHealth _health;
    private string _lastError = "";
    private DateTimeOffset? _lastScrape;
    private TimeSpan _lastDuration;

    public ScrapeLoop(string pool, ScrapeTarget target, HttpClient client, IAppendable appendable, TimeProvider time, ScrapeStats stats,
        ulong offsetSeed, string userAgent, ScrapeCache? cache = null)
    {
        _pool = pool;
        Target = target;
        _appendable = appendable;
        _time = time;
        _stats = stats;
        _offsetSeed = offsetSeed;
        Cache = cache ?? new ScrapeCache();
        _scraper = new TargetScraper(client, target, time, stats, userAgent);
        _report = new ReportSeries(target.TargetLabels);
    }

    public ScrapeTarget Target { get; }

    public ScrapeCache Cache { get; }

    /// <summary>Scrapes finished (appended and committed, or failed); tests wait on it.</summary>
    public long CompletedScrapes => Interlocked.Read(ref _completedScrapes);

    /// <summary>The whole run, end-of-run stale markers included.</summary>
    public Task Completion => _run;

    /// <summary>Starts the schedule: the first tick after the target's offset, then one per interval.</summary>
    public void Start(CancellationToken poolStopping)
    {
        var offset = Target.Offset(Target.Interval, _offsetSeed, _time.GetUtcNow());
        _timer = _time.CreateTimer(static state => ((ScrapeLoop)state!).Tick(), this, offset, Target.Interval);
        _run = Task.Run(() => RunAsync(poolStopping), CancellationToken.None);
    }

    // Each tick carries the instant the timer fired; a tick that finds the slot taken is dropped.
    private void Tick() => _ticks.Writer.TryWrite(_time.GetUtcNow());

    /// <summary>
    /// Stops scheduling and waits for the scrape in flight. With <paramref name="endOfRunStaleness"/>, the loop
    /// then writes stale markers in the background after two more intervals (<see cref="Completion"/>).
    /// </summary>
    public Task StopAsync(bool endOfRunStaleness)
    {
        _endOfRunStaleness = endOfRunStaleness;
        _stop.Cancel();
        return _stopped.Task;
    }

    /// <summary>The target's state for <c>/api/v1/targets</c>.</summary>
    public TargetStatus Status()
    {
        lock (_statusLock)
        {
            return new TargetStatus
            {
                ScrapePool = _pool,
                ScrapeUrl = Target.Url,
                Labels = Target.TargetLabels,
                DiscoveredLabels = Target.DiscoveredLabels,
                Health = _health,
                LastError = _lastError,
                LastScrape = _lastScrape,
                LastScrapeDuration = _lastDuration,
                ScrapeInterval = Target.Interval,
                ScrapeTimeout = Target.Timeout,
                Hash = Target.Hash,
            };
        }
    }

    /// <summary>Takes over <paramref name="previous"/>'s last outcome, so a restarted loop does not show as unknown.</summary>
    public void InheritStatus(ScrapeLoop previous)
    {
        var status = previous.Status();
        lock (_statusLock)
        {
            _health = status.Health;
            _lastError = status.LastError;
            _lastScrape = status.LastScrape;
            _lastDuration = status.LastScrapeDuration;
        }
    }

    /// <summary>The metric families the target last exposed.</summary>
    public List<TargetMetadata> Metadata() => Cache.MetadataSnapshot(Target.TargetLabels);

    private async Task RunAsync(CancellationToken poolStopping)
    {
        DateTimeOffset last = default;
        DateTimeOffset aligned = default;
        var align = Target.Interval > 100 * s_timestampTolerance;
        try
        {
            try
            {
                var reader = _ticks.Reader;
                while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
                {
                    reader.TryRead(out _);
                    if (_stop.IsCancellationRequested)
                    {
                        break;
                    }
                    var scrapeTime = _time.GetUtcNow();
                    if (aligned == default)
                    {
                        aligned = scrapeTime;
                    }
                    else if (align)
                    {
                        // Stamp with the slot when the timer fired within tolerance of it: identical deltas compress to nothing.
                        while (scrapeTime - aligned >= Target.Interval)
                        {
                            aligned += Target.Interval;
                        }
                        if (scrapeTime - aligned <= s_timestampTolerance)
                        {
                            scrapeTime = aligned;
                        }
                    }
                    if (last != default)
                    {
                        _stats.ObserveInterval(Target.Interval, _time.GetUtcNow() - last);
                    }
                    last = _time.GetUtcNow();
                    await ScrapeAndReportAsync(scrapeTime, poolStopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested || poolStopping.IsCancellationRequested)
            {
            }
            finally
            {
                _stopped.TrySetResult();
            }
            if (_endOfRunStaleness && !poolStopping.IsCancellationRequested && last != default)
            {
                await EndOfRunStalenessAsync(poolStopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (poolStopping.IsCancellationRequested)
        {
        }
        finally
        {
            _timer?.Dispose();
        }
    }

    /// <summary>
    /// Prometheus's <c>endOfRunStaleness</c>: the target may come back (a reload, a flapping discovery), so wait
    /// for the next scrape slot (the stale markers' timestamp), one more slot, and a tenth of an interval; then
    /// mark every series and the report series stale. If the target was recreated meanwhile, its new samples
    /// make these markers out of order and they are ignored.
    /// </summary>
    private async Task EndOfRunStalenessAsync(CancellationToken poolStopping)
    {
        var staleTime = (await _ticks.Reader.ReadAsync(poolStopping).ConfigureAwait(false)).ToUnixTimeMilliseconds();
        await _ticks.Reader.ReadAsync(poolStopping).ConfigureAwait(false);
        await Task.Delay(Target.Interval / 10, _time, poolStopping).ConfigureAwait(false);

        var app = _appendable.Appender();
        try
        {
            if (AppendBody(app, default, ExpositionFormat.PrometheusText, staleTime).Error is not null)
            {
                app.Rollback();
                app = _appendable.Appender();
            }
            _report.AppendStale(app, staleTime);
            app.Commit();
        }
        catch (Exception) when (!poolStopping.IsCancellationRequested)
        {
            SafeRollback(app);
            _stats.AddFailedCommit();
        }
    }

    /// <summary>One scrape at <paramref name="appendTime"/>: fetch, append, report, commit, record the outcome.</summary>
    internal async Task ScrapeAndReportAsync(DateTimeOffset appendTime, CancellationToken poolStopping)
    {
        var start = _time.GetTimestamp();
        using var buffer = new ScrapeBuffer(_lastScrapeSize);
        var response = await _scraper.ScrapeAsync(buffer, poolStopping).ConfigureAwait(false);
        poolStopping.ThrowIfCancellationRequested();
        if (response.Error is null && buffer.Length > 0)
        {
            // An empty body (a misbehaving client) must not shrink the next buffer.
            _lastScrapeSize = buffer.Length;
        }
        var error = AppendScrape(response.Error is null ? buffer.Written : default, response, appendTime, start, out var duration);
        lock (_statusLock)
        {
            _health = error is null ? TargetHealth.Up : TargetHealth.Down;
            _lastError = error ?? "";
            _lastScrape = appendTime;
            _lastDuration = duration;
        }
        _stats.AddScrape(failed: error is not null);
        Interlocked.Increment(ref _completedScrapes);
    }

    /// <summary>
    /// The batch for one scrape, as Prometheus's <c>scrapeAndReport</c>: a failed scrape appends an empty body
    /// (stale markers for the last good scrape's series); an append that fails (parse error, limits) is rolled
    /// back and replaced by that empty append; the report series go into whichever batch survives.
    /// </summary>
    private string? AppendScrape(ReadOnlySpan<byte> body, ScrapeResponse response, DateTimeOffset appendTime, long start, out TimeSpan duration)
    {
        var timestamp = appendTime.ToUnixTimeMilliseconds();
        var error = response.Error;
        var app = _appendable.Appender();
        try
        {
            var result = AppendBody(app, body, ExpositionContentType.FromContentType(response.ContentType), timestamp);
            if (result.Error is not null)
            {
                app.Rollback();
                app = _appendable.Appender();
                if (AppendBody(app, default, ExpositionFormat.PrometheusText, timestamp).Error is not null)
                {
                    app.Rollback();
                    app = _appendable.Appender();
                }
                error ??= result.Error;
            }
            duration = _time.GetElapsedTime(start);
            _report.Append(app, timestamp, error is null ? 1 : 0, duration.TotalSeconds, result.Total, result.Added, result.SeriesAdded);
            app.Commit();
        }
        catch (Exception)
        {
            // A storage failure (the WAL could not be written): the batch is lost, the target is not to blame.
            SafeRollback(app);
            _stats.AddFailedCommit();
            duration = _time.GetElapsedTime(start);
        }
        return error;
    }

    private static void SafeRollback(IAppender app)
    {
        try
        {
            app.Rollback();
        }
        catch (InvalidOperationException)
        {
            // Already finished (ObjectDisposedException is one of these).
        }
    }

    /// <summary>The five series Prometheus writes for every scrape, with their refs kept between scrapes.</summary>
    private sealed class ReportSeries
    {
        private readonly Labels[] _labels;
        private readonly SeriesRef[] _refs = new SeriesRef[5];

        public ReportSeries(Labels targetLabels)
        {
            string[] names = ["up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"];
            _labels = new Labels[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                _labels[i] = new LabelsBuilder(targetLabels).Set(Label.MetricName, names[i]).ToLabels();
            }
        }

        public void Append(IAppender app, long timestamp, double up, double duration, int scraped, int postRelabel, int seriesAdded)
        {
            Add(app, 0, timestamp, up);
            Add(app, 1, timestamp, duration);
            Add(app, 2, timestamp, scraped);
            Add(app, 3, timestamp, postRelabel);
            Add(app, 4, timestamp, seriesAdded);
        }

        public void AppendStale(IAppender app, long timestamp)
        {
            for (var i = 0; i < _labels.Length; i++)
            {
                Add(app, i, timestamp, StaleMarker.Value);
            }
        }

        // Out-of-order and duplicate results are ignored, as Prometheus ignores them for report samples.
        private void Add(IAppender app, int index, long timestamp, double value) => app.Append(ref _refs[index], _labels[index], timestamp, value);
    }
}
