using System.Threading.Channels;

namespace Vigil.Scrape.Discovery;

/// <summary>
/// Runs the discoverers of every job (scrape config) and publishes each job's full current set of target groups,
/// as Prometheus's discovery <c>Manager</c>: updates are coalesced and published at most once per
/// <see cref="UpdateInterval"/> (Prometheus: 5 s), and only when something changed. A group replaces the group its
/// discoverer sent earlier under the same source; an empty group removes it. Every configured job is published,
/// with an empty list when it has no targets, so a consumer can tell "no targets" from "no such job".
/// </summary>
public sealed class TargetDiscovery : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Channel<IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>>> _published =
        Channel.CreateBounded<IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>>>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });
    private readonly SemaphoreSlim _trigger = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sender;
    private Dictionary<string, List<ProviderRun>> _jobs = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>> _current = new Dictionary<string, IReadOnlyList<TargetGroup>>(StringComparer.Ordinal);
    private bool _dirty;
    private bool _disposed;

    /// <summary>Creates an idle instance; call <see cref="ApplyConfig"/> to start discoverers.</summary>
    /// <param name="timeProvider">The clock that paces publication (system clock when null).</param>
    /// <param name="updateInterval">The least time between two publications; <see cref="TimeSpan.Zero"/> publishes every change at once. Default 5 s.</param>
    public TargetDiscovery(TimeProvider? timeProvider = null, TimeSpan? updateInterval = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        UpdateInterval = updateInterval ?? TimeSpan.FromSeconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThan(UpdateInterval, TimeSpan.Zero, nameof(updateInterval));
        _sender = SendLoopAsync(_stopping.Token);
    }

    /// <summary>The least time between two publications.</summary>
    public TimeSpan UpdateInterval { get; }

    /// <summary>
    /// Each publication: every configured job (by name) with all its current target groups. Holds only the latest
    /// publication when the reader is behind (each is complete, so skipping one loses nothing).
    /// </summary>
    public ChannelReader<IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>>> Updates => _published.Reader;

    /// <summary>The last publication (empty before the first).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>> Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Every running discoverer with the job it belongs to (for status pages: <see cref="ITargetDiscoverer.LastError"/>).</summary>
    public IReadOnlyList<(string Job, ITargetDiscoverer Discoverer)> Discoverers
    {
        get
        {
            lock (_gate)
            {
                var list = new List<(string, ITargetDiscoverer)>();
                foreach (var (job, runs) in _jobs)
                {
                    foreach (var run in runs)
                    {
                        list.Add((job, run.Discoverer));
                    }
                }
                return list;
            }
        }
    }

    /// <summary>
    /// Replaces the configuration: stops every running discoverer and starts <paramref name="jobs"/>' discoverers.
    /// Jobs no longer configured disappear from the next publication; a job's new targets appear as its new
    /// discoverers report them.
    /// </summary>
    public void ApplyConfig(IReadOnlyDictionary<string, IReadOnlyList<ITargetDiscoverer>> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var runs in _jobs.Values)
            {
                foreach (var run in runs)
                {
                    run.Stop();
                }
            }
            var next = new Dictionary<string, List<ProviderRun>>(StringComparer.Ordinal);
            foreach (var (job, discoverers) in jobs)
            {
                var runs = new List<ProviderRun>(discoverers.Count);
                foreach (var discoverer in discoverers)
                {
                    runs.Add(new ProviderRun(this, discoverer));
                }
                next[job] = runs;
            }
            _jobs = next;
            _dirty = true;
            foreach (var runs in next.Values)
            {
                foreach (var run in runs)
                {
                    run.Start(_stopping.Token);
                }
            }
        }
        _trigger.Release();
    }

    /// <summary>Stops every discoverer and the publisher, and completes <see cref="Updates"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        List<ProviderRun> runs = [];
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (var list in _jobs.Values)
            {
                runs.AddRange(list);
            }
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var run in runs)
        {
            run.Stop();
            await run.Completion.ConfigureAwait(false);
        }
        await _sender.ConfigureAwait(false);
        _published.Writer.TryComplete();
        _stopping.Dispose();
        _trigger.Dispose();
    }

    private void Apply(ProviderRun run, IReadOnlyList<TargetGroup> groups)
    {
        lock (_gate)
        {
            if (run.Stopped)
            {
                return;
            }
            foreach (var group in groups)
            {
                if (group is null)
                {
                    continue;
                }
                if (group.Targets.Count == 0)
                {
                    run.Groups.Remove(group.Source);
                }
                else
                {
                    run.Groups[group.Source] = group;
                }
            }
            _dirty = true;
        }
        _trigger.Release();
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        PeriodicTimer? ticker = UpdateInterval > TimeSpan.Zero ? new PeriodicTimer(UpdateInterval, _time) : null;
        try
        {
            while (true)
            {
                await _trigger.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (ticker is not null && !await ticker.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
                while (_trigger.CurrentCount > 0)
                {
                    await _trigger.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                Publish();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            ticker?.Dispose();
        }
    }

    private void Publish()
    {
        Dictionary<string, IReadOnlyList<TargetGroup>> snapshot;
        lock (_gate)
        {
            if (!_dirty)
            {
                return;
            }
            _dirty = false;
            snapshot = new Dictionary<string, IReadOnlyList<TargetGroup>>(_jobs.Count, StringComparer.Ordinal);
            foreach (var (job, runs) in _jobs)
            {
                var groups = new List<TargetGroup>();
                foreach (var run in runs)
                {
                    var start = groups.Count;
                    groups.AddRange(run.Groups.Values);
                    groups.Sort(start, groups.Count - start, SourceOrder.Instance);
                }
                snapshot[job] = groups;
            }
            _current = snapshot;
        }
        _published.Writer.TryWrite(snapshot);
    }

    private sealed class SourceOrder : IComparer<TargetGroup>
    {
        public static readonly SourceOrder Instance = new();

        public int Compare(TargetGroup? x, TargetGroup? y) => string.CompareOrdinal(x?.Source, y?.Source);
    }

    /// <summary>One discoverer of one job: its task, its cancellation and the groups it reported.</summary>
    private sealed class ProviderRun(TargetDiscovery owner, ITargetDiscoverer discoverer)
    {
        private readonly CancellationTokenSource _cts = new();

        public ITargetDiscoverer Discoverer { get; } = discoverer;

        public Dictionary<string, TargetGroup> Groups { get; } = new(StringComparer.Ordinal);

        public bool Stopped { get; private set; }

        public Task Completion { get; private set; } = Task.CompletedTask;

        public void Start(CancellationToken stopping)
        {
            var token = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token, stopping).Token;
            var channel = Channel.CreateUnbounded<IReadOnlyList<TargetGroup>>(new UnboundedChannelOptions { SingleReader = true });
            var run = Task.Run(async () =>
            {
                try
                {
                    await Discoverer.RunAsync(channel.Writer, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                }
                finally
                {
                    // A discoverer that returns keeps its last targets, as Prometheus keeps them when a provider's channel closes.
                    channel.Writer.TryComplete();
                }
            }, CancellationToken.None);
            var pump = Task.Run(async () =>
            {
                await foreach (var groups in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    owner.Apply(this, groups);
                }
            }, CancellationToken.None);
            Completion = Task.WhenAll(run, pump).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        public void Stop()
        {
            // Called under the owner's lock: later updates from this run are ignored.
            Stopped = true;
            try
            {
                _cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
