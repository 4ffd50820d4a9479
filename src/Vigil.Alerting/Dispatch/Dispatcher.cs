using Vigil.Alerting.Alerts;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Routing;
using Vigil.Model;

namespace Vigil.Alerting.Dispatch;

/// <summary>
/// Sorts alerts into aggregation groups (Alertmanager 0.25's <c>dispatch.Dispatcher</c>): it subscribes to the alert
/// store, sends each alert down the route tree and inserts it into the group of every matching route with the
/// alert's group labels, creating groups as needed. Each group flushes on its own timer through the notification
/// pipeline. Groups left empty are removed by <see cref="Maintain"/> (every 30s, as Alertmanager does).
/// A configuration reload disposes the dispatcher and starts a new one, which re-reads every stored alert.
/// </summary>
public sealed class Dispatcher : IDisposable
{
    /// <summary>How often empty groups are removed.</summary>
    public static readonly TimeSpan MaintenanceInterval = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly Route _root;
    private readonly AlertStore _store;
    private readonly NotificationPipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly string _externalUrl;
    private readonly Action<string>? _log;
    private readonly Dictionary<Route, Dictionary<Labels, AggregationGroup>> _groups = [];
    private readonly ITimer _maintenance;
    private IDisposable? _subscription;
    private bool _stopped;

    /// <summary>Creates a dispatcher; <see cref="Start"/> begins taking alerts.</summary>
    public Dispatcher(Route root, AlertStore store, NotificationPipeline pipeline, TimeProvider time, string externalUrl, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(time);
        _root = root;
        _store = store;
        _pipeline = pipeline;
        _time = time;
        _externalUrl = externalUrl;
        _log = log;
        _maintenance = time.CreateTimer(static s => ((Dispatcher)s!).Maintain(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The route tree.</summary>
    public Route Root => _root;

    /// <summary>The number of aggregation groups (<c>alertmanager_dispatcher_aggregation_groups</c>).</summary>
    public int GroupCount
    {
        get
        {
            lock (_lock)
            {
                var n = 0;
                foreach (var groups in _groups.Values)
                {
                    n += groups.Count;
                }
                return n;
            }
        }
    }

    /// <summary>Subscribes to the store (taking in every alert stored so far) and starts maintenance.</summary>
    public void Start()
    {
        _subscription = _store.Subscribe((alert, _) => Process(alert));
        _maintenance.Change(MaintenanceInterval, MaintenanceInterval);
    }

    /// <summary>Routes one alert into its groups.</summary>
    public void Process(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        foreach (var route in _root.Match(alert.Labels))
        {
            var groupLabels = route.GroupLabels(alert.Labels);
            AggregationGroup group;
            lock (_lock)
            {
                if (_stopped)
                {
                    return;
                }
                if (!_groups.TryGetValue(route, out var groups))
                {
                    _groups[route] = groups = [];
                }
                if (!groups.TryGetValue(groupLabels, out group!))
                {
                    groups[groupLabels] = group = new AggregationGroup(route, groupLabels, _time, NotifyAsync);
                }
            }
            group.Insert(alert);
        }
    }

    /// <summary>Removes empty groups.</summary>
    public void Maintain()
    {
        lock (_lock)
        {
            foreach (var groups in _groups.Values)
            {
                foreach (var (labels, group) in groups)
                {
                    if (group.IsEmpty)
                    {
                        group.Dispose();
                        groups.Remove(labels);
                    }
                }
            }
        }
    }

    /// <summary>Every group, for the API (<c>/api/v2/alerts/groups</c>) and tests.</summary>
    public List<AggregationGroup> Groups()
    {
        lock (_lock)
        {
            var all = new List<AggregationGroup>();
            foreach (var groups in _groups.Values)
            {
                all.AddRange(groups.Values);
            }
            return all;
        }
    }

    /// <summary>Completes when no flush is in progress (tests with a manual clock await it after advancing).</summary>
    public async Task WhenIdleAsync()
    {
        while (true)
        {
            var flushes = Groups().Select(static g => g.LastFlush).Where(static t => !t.IsCompleted).ToArray();
            if (flushes.Length == 0)
            {
                return;
            }
            await Task.WhenAll(flushes).ConfigureAwait(false);
        }
    }

    private Task<bool> NotifyAsync(AggregationGroup group, DateTimeOffset now, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        var options = group.Route.Options;
        var context = new PipelineContext
        {
            Route = group.Route,
            Notification = new NotificationContext
            {
                Receiver = options.Receiver,
                GroupKey = group.GroupKey,
                GroupLabels = group.Labels,
                ExternalUrl = _externalUrl,
                Now = now,
                RepeatInterval = options.RepeatInterval,
                MuteTimeIntervals = options.MuteTimeIntervals,
                ActiveTimeIntervals = options.ActiveTimeIntervals,
            },
        };
        return _pipeline.ExecAsync(context, alerts, ct, e => _log?.Invoke($"Notify for alerts failed: aggrGroup={group.GroupKey} num_alerts={alerts.Count} err=\"{e.Message}\""));
    }

    /// <summary>Stops taking alerts and stops every group (cancelling flushes in progress).</summary>
    public void Dispose()
    {
        _subscription?.Dispose();
        _maintenance.Dispose();
        lock (_lock)
        {
            _stopped = true;
            foreach (var groups in _groups.Values)
            {
                foreach (var group in groups.Values)
                {
                    group.Dispose();
                }
            }
            _groups.Clear();
        }
    }
}
