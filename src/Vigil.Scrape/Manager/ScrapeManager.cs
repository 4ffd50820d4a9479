using System.Text;
using Vigil.Model;
using Vigil.Model.Relabel;
using Vigil.Scrape.Config;
using Vigil.Scrape.Discovery;
using Vigil.Scrape.Scraping;
using Vigil.Scrape.Targets;
using Vigil.Storage;

namespace Vigil.Scrape.Manager;

/// <summary>
/// Prometheus's scrape manager: from a <see cref="PrometheusConfig"/> it runs each job's discoverers through one
/// <see cref="TargetDiscovery"/>, turns every discovery update into targets (target relabeling, defaults,
/// <c>instance</c>) and keeps one <see cref="ScrapePool"/> per job in step with them, appending into one
/// <see cref="IAppendable"/>. <see cref="ApplyConfigAsync"/> swaps configurations without a restart: jobs whose
/// scrape config is unchanged keep their pool, loops and series; changed jobs get new loops (and a new pool when
/// the TLS settings changed); removed jobs stop and their series get stale markers.
/// </summary>
public sealed class ScrapeManager : IAsyncDisposable
{
    private readonly IAppendable _appendable;
    private readonly ScrapeManagerOptions _options;
    private readonly TargetDiscovery _discovery;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly List<Task> _retiring = [];
    private readonly Task _updates;
    private Dictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>> _groups = new Dictionary<string, IReadOnlyList<TargetGroup>>();
    private PrometheusConfig? _config;
    private long _updatesApplied;
    private bool _disposed;

    /// <summary>A manager appending into <paramref name="appendable"/>; it scrapes nothing until <see cref="ApplyConfigAsync"/>.</summary>
    public ScrapeManager(IAppendable appendable, ScrapeManagerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(appendable);
        _appendable = appendable;
        _options = options ?? new ScrapeManagerOptions();
        Stats = _options.Stats ?? new ScrapeStats();
        _discovery = new TargetDiscovery(_options.TimeProvider, _options.DiscoveryUpdateInterval);
        _updates = Task.Run(RunUpdatesAsync);
    }

    /// <summary>The counters every pool adds to.</summary>
    public ScrapeStats Stats { get; }

    /// <summary>The configuration applied last, or null before the first.</summary>
    public PrometheusConfig? Config => Volatile.Read(ref _config);

    /// <summary>How many discovery updates have been turned into targets (tests wait on it).</summary>
    public long UpdatesApplied => Interlocked.Read(ref _updatesApplied);

    /// <summary>The discoverers running now, by job (their <see cref="ITargetDiscoverer.LastError"/> for status pages).</summary>
    public IReadOnlyList<(string Job, ITargetDiscoverer Discoverer)> Discoverers => _discovery.Discoverers;

    /// <summary>
    /// Applies <paramref name="config"/>. Throws <see cref="InvalidOperationException"/> (nothing changed) when a
    /// job's TLS files cannot be loaded.
    /// </summary>
    public async Task ApplyConfigAsync(PrometheusConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // First pass: everything that can fail, before anything changes.
            var plans = new List<(ScrapeConfig Config, string Key, string HandlerKey, Job? Old, Action<SocketsHttpHandler>? Handler)>();
            var errors = new List<string>();
            foreach (var sc in config.ScrapeConfigs)
            {
                var key = ConfigKey(sc, config);
                var old = _jobs.GetValueOrDefault(sc.JobName);
                if (old is not null && old.Key == key)
                {
                    plans.Add((sc, key, old.HandlerKey, old, null));
                    continue;
                }
                try
                {
                    plans.Add((sc, key, HttpClientSettings.HandlerKey(sc.HttpClient), old, HttpClientSettings.HandlerConfigurer(sc.HttpClient, config)));
                }
                catch (InvalidOperationException e)
                {
                    errors.Add($"job {sc.JobName}: {e.Message}");
                }
            }
            if (errors.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", errors));
            }

            var next = new Dictionary<string, Job>(StringComparer.Ordinal);
            var discoverers = new Dictionary<string, IReadOnlyList<ITargetDiscoverer>>(StringComparer.Ordinal);
            var resync = new List<Job>();
            var retire = new List<ScrapePool>();
            foreach (var (sc, key, handlerKey, old, handler) in plans)
            {
                discoverers[sc.JobName] = DiscovererFactory.Create(sc, config, _options.TimeProvider, _options.Warning);
                if (old is not null && old.Key == key)
                {
                    next[sc.JobName] = old;
                    continue;
                }
                ScrapePool pool;
                if (old is not null && old.HandlerKey == handlerKey)
                {
                    pool = old.Pool;
                }
                else
                {
                    pool = new ScrapePool(sc.JobName, _appendable, new ScrapePoolOptions
                    {
                        TimeProvider = _options.TimeProvider,
                        Stats = Stats,
                        OffsetSeed = _options.OffsetSeed,
                        ConfigureHandler = handler,
                        UserAgent = _options.UserAgent,
                    });
                    if (old is not null)
                    {
                        retire.Add(old.Pool);
                    }
                }
                var job = new Job(sc, key, handlerKey, pool,
                    sc.MetricRelabelConfigs.Count > 0 ? MetricRelabeler(sc.MetricRelabelConfigs) : null,
                    HttpClientSettings.RequestConfigurer(sc.HttpClient, config));
                next[sc.JobName] = job;
                resync.Add(job);
            }
            foreach (var (name, old) in _jobs)
            {
                if (!next.ContainsKey(name))
                {
                    retire.Add(old.Pool);
                }
            }

            var previousDiscoverers = _discovery.Discoverers;
            lock (_lock)
            {
                _jobs = next;
                Volatile.Write(ref _config, config);
            }
            _discovery.ApplyConfig(discoverers);
            DisposeLater(previousDiscoverers);

            // Changed jobs restart their loops on the targets known so far; discovery refines them on its next update.
            foreach (var job in resync)
            {
                if (_groups.TryGetValue(job.Config.JobName, out var groups))
                {
                    await SyncJobAsync(job, groups, cancellationToken).ConfigureAwait(false);
                }
            }
            foreach (var pool in retire)
            {
                await RetireAsync(pool, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The active targets of every job: by job name, then by labels.</summary>
    public IReadOnlyList<TargetStatus> ActiveTargets()
    {
        var list = new List<TargetStatus>();
        foreach (var job in SortedJobs())
        {
            var targets = new List<TargetStatus>(job.Pool.Targets());
            targets.Sort(static (a, b) => a.Labels.CompareTo(b.Labels));
            list.AddRange(targets);
        }
        return list;
    }

    /// <summary>The targets relabeling dropped at the last update, by job name.</summary>
    public IReadOnlyList<DroppedTarget> DroppedTargets()
    {
        var list = new List<DroppedTarget>();
        foreach (var job in SortedJobs())
        {
            list.AddRange(job.Dropped);
        }
        return list;
    }

    /// <summary>The metric metadata each active target last exposed.</summary>
    public IReadOnlyList<TargetMetadata> Metadata()
    {
        var list = new List<TargetMetadata>();
        foreach (var job in SortedJobs())
        {
            list.AddRange(job.Pool.Metadata());
        }
        return list;
    }

    /// <summary>The configured job names, sorted.</summary>
    public IReadOnlyList<string> ScrapePools()
    {
        var list = new List<string>();
        foreach (var job in SortedJobs())
        {
            list.Add(job.Config.JobName);
        }
        return list;
    }

    /// <summary>Stops discovery and every scrape loop (without stale markers: the process is stopping).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        var discoverers = _discovery.Discoverers;
        await _discovery.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _updates.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var (_, discoverer) in discoverers)
        {
            (discoverer as IDisposable)?.Dispose();
        }
        Task[] retiring;
        lock (_lock)
        {
            retiring = [.. _retiring];
        }
        await Task.WhenAll(retiring).ConfigureAwait(false);
        foreach (var job in _jobs.Values)
        {
            await job.Pool.DisposeAsync().ConfigureAwait(false);
        }
        _stopping.Dispose();
    }

    private List<Job> SortedJobs()
    {
        List<Job> jobs;
        lock (_lock)
        {
            jobs = [.. _jobs.Values];
        }
        jobs.Sort(static (a, b) => string.CompareOrdinal(a.Config.JobName, b.Config.JobName));
        return jobs;
    }

    private async Task RunUpdatesAsync()
    {
        var token = _stopping.Token;
        try
        {
            await foreach (var update in _discovery.Updates.ReadAllAsync(token).ConfigureAwait(false))
            {
                await _gate.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    _groups = update;
                    foreach (var (name, job) in _jobs)
                    {
                        if (update.TryGetValue(name, out var groups))
                        {
                            await SyncJobAsync(job, groups, token).ConfigureAwait(false);
                        }
                    }
                    Interlocked.Increment(ref _updatesApplied);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task SyncJobAsync(Job job, IReadOnlyList<TargetGroup> groups, CancellationToken cancellationToken)
    {
        var sc = job.Config;
        var targets = new List<ScrapeTarget>();
        var dropped = new List<DroppedTarget>();
        foreach (var group in groups)
        {
            foreach (var discoveredTarget in group.MergedTargets())
            {
                if (!TargetLabels.TryPopulate(discoveredTarget, sc, out var labels, out var discovered, out var error))
                {
                    _options.Warning?.Invoke($"Creating target failed (scrape_pool={sc.JobName}, target={discoveredTarget}): instance {targets.Count}: {error}");
                    continue;
                }
                if (labels is null)
                {
                    dropped.Add(new DroppedTarget(sc.JobName, discovered));
                    continue;
                }
                targets.Add(CreateTarget(job, labels, discovered));
            }
        }
        if (sc.TargetLimit > 0 && (ulong)targets.Count > sc.TargetLimit)
        {
            // Prometheus keeps the targets but marks them down with this error; Vigil stops scraping them.
            _options.Warning?.Invoke($"scrape_pool={sc.JobName}: target_limit exceeded (number of targets: {targets.Count}, limit: {sc.TargetLimit})");
            targets.Clear();
        }
        job.Dropped = dropped;
        try
        {
            await job.Pool.SyncAsync(targets, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The pool was retired while this update was being prepared.
        }
    }

    private static ScrapeTarget CreateTarget(Job job, Labels labels, Labels discovered)
    {
        var sc = job.Config;
        var interval = PromDuration.TryParse(labels.Get(TargetLabels.ScrapeInterval), out var i, out _) && i > TimeSpan.Zero ? i : sc.ScrapeInterval;
        var timeout = PromDuration.TryParse(labels.Get(TargetLabels.ScrapeTimeout), out var t, out _) && t > TimeSpan.Zero ? t : sc.ScrapeTimeout;
        return new ScrapeTarget
        {
            Labels = labels,
            DiscoveredLabels = discovered,
            Url = ScrapeTarget.BuildUrl(labels, sc.Params),
            Interval = interval,
            Timeout = timeout,
            HonorLabels = sc.HonorLabels,
            HonorTimestamps = sc.HonorTimestamps,
            SampleLimit = Clamp(sc.SampleLimit),
            LabelLimit = Clamp(sc.LabelLimit),
            LabelNameLengthLimit = Clamp(sc.LabelNameLengthLimit),
            LabelValueLengthLimit = Clamp(sc.LabelValueLengthLimit),
            BodySizeLimit = sc.BodySizeLimit,
            MetricRelabel = job.MetricRelabel,
            ConfigureRequest = job.ConfigureRequest,
        };
    }

    private static int Clamp(ulong value) => value > int.MaxValue ? int.MaxValue : (int)value;

    private static Func<Labels, Labels?> MetricRelabeler(IReadOnlyList<RelabelConfig> configs) => labels => Relabeler.Process(labels, configs);

    /// <summary>
    /// What decides whether a job changed: its whole scrape config as <see cref="ConfigWriter"/> writes it, plus
    /// the secrets the writer masks and the directory relative paths are resolved against (Prometheus compares
    /// scrape configs with <c>reflect.DeepEqual</c>).
    /// </summary>
    internal static string ConfigKey(ScrapeConfig config, PrometheusConfig root)
    {
        var sb = new StringBuilder(ConfigWriter.Write(new PrometheusConfig { ScrapeConfigs = [config] }));
        sb.Append('\u0001').Append(root.Directory);
        AppendSecrets(sb, config.HttpClient);
        foreach (var http in config.Discovery.Http)
        {
            AppendSecrets(sb, http.HttpClient);
        }
        foreach (var kubernetes in config.Discovery.Kubernetes)
        {
            AppendSecrets(sb, kubernetes.HttpClient);
        }
        return sb.ToString();
    }

    private static void AppendSecrets(StringBuilder sb, HttpClientConfig http)
    {
        sb.Append('\u0001').Append(http.BasicAuth?.Password.Value).Append('\u0001').Append(http.Authorization?.Credentials.Value);
    }

    private async Task RetireAsync(ScrapePool pool, CancellationToken cancellationToken)
    {
        // Stopping every loop writes stale markers for the job's series (after two intervals, as Prometheus);
        // the pool is disposed once they are written.
        try
        {
            await pool.SyncAsync([], cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        var delay = TimeSpan.Zero;
        lock (_lock)
        {
            if (Config is { } config)
            {
                foreach (var sc in config.ScrapeConfigs)
                {
                    delay = sc.ScrapeInterval > delay ? sc.ScrapeInterval : delay;
                }
            }
        }
        delay = delay * 3 + TimeSpan.FromSeconds(15);
        var retired = DisposePoolLaterAsync(pool, delay);
        lock (_lock)
        {
            _retiring.RemoveAll(static t => t.IsCompleted);
            _retiring.Add(retired);
        }
    }

    private async Task DisposePoolLaterAsync(ScrapePool pool, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _options.TimeProvider, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await pool.DisposeAsync().ConfigureAwait(false);
    }

    private void DisposeLater(IReadOnlyList<(string Job, ITargetDiscoverer Discoverer)> discoverers)
    {
        var disposables = new List<IDisposable>();
        foreach (var (_, discoverer) in discoverers)
        {
            if (discoverer is IDisposable d)
            {
                disposables.Add(d);
            }
        }
        if (disposables.Count == 0)
        {
            return;
        }
        // Stopped discoverers finish their current step first; give them a moment before releasing their resources.
        var task = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), _options.TimeProvider, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            foreach (var d in disposables)
            {
                try
                {
                    d.Dispose();
                }
                catch (ObjectDisposedException)
                {
                }
            }
        });
        lock (_lock)
        {
            _retiring.Add(task);
        }
    }

    private sealed class Job(ScrapeConfig config, string key, string handlerKey, ScrapePool pool, Func<Labels, Labels?>? metricRelabel, Action<HttpRequestMessage>? configureRequest)
    {
        public ScrapeConfig Config { get; } = config;

        public string Key { get; } = key;

        public string HandlerKey { get; } = handlerKey;

        public ScrapePool Pool { get; } = pool;

        public Func<Labels, Labels?>? MetricRelabel { get; } = metricRelabel;

        public Action<HttpRequestMessage>? ConfigureRequest { get; } = configureRequest;

        public IReadOnlyList<DroppedTarget> Dropped { get; set; } = [];
    }
}
