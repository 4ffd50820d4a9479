using System.Net;
using Vigil.Storage;

namespace Vigil.Scrape.Scraping;

/// <summary>
/// The scrape loops of one job, as Prometheus's <c>scrapePool</c>: give it the job's current targets with
/// <see cref="SyncAsync"/> and it keeps the loops of unchanged targets (their caches and series), starts loops
/// for new ones and stops the loops of removed ones, which then write stale markers for their series. One HTTP
/// client (one connection pool, one TLS setup) serves all of the job's targets.
/// </summary>
public sealed class ScrapePool : IAsyncDisposable
{
    private readonly IAppendable _appendable;
    private readonly ScrapePoolOptions _options;
    private readonly HttpClient _client;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _syncGate = new(1, 1);
    private readonly Dictionary<ulong, ScrapeLoop> _loops = [];
    private readonly List<Task> _retiring = [];
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>A pool for job <paramref name="jobName"/> appending into <paramref name="appendable"/>.</summary>
    public ScrapePool(string jobName, IAppendable appendable, ScrapePoolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(jobName);
        ArgumentNullException.ThrowIfNull(appendable);
        JobName = jobName;
        _appendable = appendable;
        _options = options ?? new ScrapePoolOptions();
        Stats = _options.Stats ?? new ScrapeStats();
        _client = CreateClient(_options);
    }

    /// <summary>The job name (<c>scrapePool</c> in the targets API).</summary>
    public string JobName { get; }

    /// <summary>The counters this pool adds to.</summary>
    public ScrapeStats Stats { get; }

    /// <summary>
    /// Makes the running loops match <paramref name="targets"/> (duplicates by <see cref="ScrapeTarget.Hash"/>
    /// collapse to the first). A target with the same hash and settings keeps its loop untouched; one whose
    /// settings changed gets a new loop that inherits its status and, when only interval, timeout, body limit or
    /// request customiser changed, its cache. Returns once stopped loops have finished their scrape in flight;
    /// their stale markers follow two intervals later.
    /// </summary>
    public async Task SyncAsync(IReadOnlyList<ScrapeTarget> targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _syncGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wanted = new Dictionary<ulong, ScrapeTarget>(targets.Count);
            var order = new List<ulong>(targets.Count);
            foreach (var target in targets)
            {
                if (wanted.TryAdd(target.Hash, target))
                {
                    order.Add(target.Hash);
                }
            }

            var stops = new List<Task>();
            var changed = new List<(ScrapeLoop Old, ScrapeTarget Target)>();
            lock (_lock)
            {
                _retiring.RemoveAll(static t => t.IsCompleted);
                foreach (var (hash, loop) in _loops)
                {
                    if (!wanted.ContainsKey(hash))
                    {
                        _loops.Remove(hash);
                        stops.Add(loop.StopAsync(endOfRunStaleness: true));
                        _retiring.Add(loop.Completion);
                    }
                }
                foreach (var hash in order)
                {
                    var target = wanted[hash];
                    if (_loops.TryGetValue(hash, out var running))
                    {
                        if (!running.Target.SameSettings(target))
                        {
                            changed.Add((running, target));
                        }
                        continue;
                    }
                    var loop = NewLoop(target, cache: null);
                    _loops.Add(hash, loop);
                    loop.Start(_stopping.Token);
                }
            }

            foreach (var (old, target) in changed)
            {
                // Prometheus's restartLoops: a reusable cache moves to the new loop and the old one writes no
                // stale markers; otherwise the old loop's markers come later and lose to the new loop's samples.
                var reuse = old.Target.SameCacheSettings(target);
                await old.StopAsync(endOfRunStaleness: !reuse).ConfigureAwait(false);
                var loop = NewLoop(target, reuse ? old.Cache : null);
                loop.InheritStatus(old);
                lock (_lock)
                {
                    _retiring.Add(old.Completion);
                    _loops[target.Hash] = loop;
                    loop.Start(_stopping.Token);
                }
            }
            await Task.WhenAll(stops).ConfigureAwait(false);

            int count;
            lock (_lock)
            {
                count = _loops.Count;
            }
            Stats.PoolSynced(JobName, count);
        }
        finally
        {
            _syncGate.Release();
        }
    }

    /// <summary>The active targets' states, in no particular order.</summary>
    public IReadOnlyList<TargetStatus> Targets()
    {
        lock (_lock)
        {
            var list = new List<TargetStatus>(_loops.Count);
            foreach (var loop in _loops.Values)
            {
                list.Add(loop.Status());
            }
            return list;
        }
    }

    /// <summary>The metric families each active target last exposed (TYPE, HELP, UNIT).</summary>
    public IReadOnlyList<TargetMetadata> Metadata()
    {
        ScrapeLoop[] loops;
        lock (_lock)
        {
            loops = [.. _loops.Values];
        }
        var list = new List<TargetMetadata>();
        foreach (var loop in loops)
        {
            list.AddRange(loop.Metadata());
        }
        return list;
    }

    /// <summary>The running loop of the target with <paramref name="hash"/>, if any (tests).</summary>
    internal ScrapeLoop? Loop(ulong hash)
    {
        lock (_lock)
        {
            return _loops.GetValueOrDefault(hash);
        }
    }

    /// <summary>
    /// Stops every loop, cancelling scrapes in flight, without stale markers (the server is shutting down or
    /// the job was removed from the configuration and will be resynced); waits for them.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        var tasks = new List<Task>();
        lock (_lock)
        {
            foreach (var loop in _loops.Values)
            {
                tasks.Add(loop.StopAsync(endOfRunStaleness: false));
                tasks.Add(loop.Completion);
            }
            _loops.Clear();
            tasks.AddRange(_retiring);
            _retiring.Clear();
        }
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        Stats.PoolStopped(JobName);
        _client.Dispose();
        _stopping.Dispose();
        _syncGate.Dispose();
    }

    /// <summary>
    /// The pool's client: no proxy, automatic gzip (which also sends <c>Accept-Encoding: gzip</c>), redirects
    /// followed (follow_redirects' default), no cookies, no client-side timeout (each scrape has its own).
    /// </summary>
    internal static HttpClient CreateClient(ScrapePoolOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.GZip,
            AllowAutoRedirect = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        options.ConfigureHandler?.Invoke(handler);
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private ScrapeLoop NewLoop(ScrapeTarget target, ScrapeCache? cache) =>
        new(JobName, target, _client, _appendable, _options.TimeProvider, Stats, _options.OffsetSeed, _options.UserAgent, cache);
}
