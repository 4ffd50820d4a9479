using Vigil.Alerting.Alerts;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Routing;
using Vigil.Model;

namespace Vigil.Alerting.Dispatch;

/// <summary>
/// The alerts of one route with the same group labels (Alertmanager 0.25's <c>aggrGroup</c>). The first flush comes
/// group_wait after the group was created (at once when an alert inserted before then started more than group_wait
/// ago), then one every group_interval. A flush sends every alert, firing ones with their end cleared so they do not
/// resolve while in flight; after a successful flush the resolved alerts that were not updated meanwhile are removed.
/// The dedup stage decides whether a flush actually notifies.
/// </summary>
public sealed class AggregationGroup : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, Alert> _alerts = [];
    private readonly Func<AggregationGroup, DateTimeOffset, IReadOnlyList<Alert>, CancellationToken, Task<bool>> _notify;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _stop = new();
    private bool _hasFlushed;
    private bool _flushing;
    private bool _flushPending;
    private Task _lastFlush = Task.CompletedTask;

    internal AggregationGroup(Route route, Labels groupLabels, TimeProvider time, Func<AggregationGroup, DateTimeOffset, IReadOnlyList<Alert>, CancellationToken, Task<bool>> notify)
    {
        Route = route;
        Labels = groupLabels;
        GroupKey = Route.GroupKeyOf(route.Key, groupLabels);
        _time = time;
        _notify = notify;
        _timer = time.CreateTimer(static s => ((AggregationGroup)s!).OnTimer(), this, route.Options.GroupWait, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The route the group belongs to.</summary>
    public Route Route { get; }

    /// <summary>The group labels.</summary>
    public Labels Labels { get; }

    /// <summary>The group key (<c>{}/{team="a"}:{alertname="Down"}</c>).</summary>
    public string GroupKey { get; }

    /// <summary>Whether the group holds no alerts (it is then removed by the dispatcher's maintenance).</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return _alerts.Count == 0;
            }
        }
    }

    /// <summary>The group's alerts, in no particular order.</summary>
    public List<Alert> Alerts()
    {
        lock (_lock)
        {
            return [.. _alerts.Values];
        }
    }

    /// <summary>The flush in progress or last finished (tests await it).</summary>
    internal Task LastFlush
    {
        get
        {
            lock (_lock)
            {
                return _lastFlush;
            }
        }
    }

    /// <summary>Adds or replaces an alert; flushes at once if the first flush is still to come and the alert waited out group_wait already.</summary>
    public void Insert(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (_lock)
        {
            _alerts[alert.Fingerprint] = alert;
            if (!_hasFlushed && alert.StartsAt + Route.Options.GroupWait < _time.GetUtcNow())
            {
                _timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }
            // Wait the configured interval before the next flush.
            _timer.Change(Route.Options.GroupInterval, Timeout.InfiniteTimeSpan);
            if (_flushing)
            {
                // Alertmanager's run loop reads the next tick only once the flush returns.
                _flushPending = true;
                return;
            }
            _flushing = true;
            _hasFlushed = true;
        }
        // Runs inline until the pipeline first waits (so a manual clock sees synchronous notifiers complete at once).
        var flush = RunFlushesAsync();
        lock (_lock)
        {
            _lastFlush = flush;
        }
    }

    private async Task RunFlushesAsync()
    {
        while (true)
        {
            var now = _time.GetUtcNow();
            // Notifications get until the next flush to finish.
            using (var timeout = new CancellationTokenSource(Route.Options.GroupInterval, _time))
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, timeout.Token))
            {
                try
                {
                    await FlushAsync(now, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopped (reload, shutdown) or out of time: the next flush tries again.
                }
            }
            lock (_lock)
            {
                if (!_flushPending || _stop.IsCancellationRequested)
                {
                    _flushing = false;
                    return;
                }
                _flushPending = false;
            }
        }
    }

    private async Task FlushAsync(DateTimeOffset now, CancellationToken ct)
    {
        List<Alert> alerts;
        lock (_lock)
        {
            if (_alerts.Count == 0)
            {
                return;
            }
            alerts = [.. _alerts.Values];
        }
        var sent = new List<Alert>(alerts.Count);
        var resolved = new List<Alert>();
        foreach (var alert in alerts)
        {
            if (alert.ResolvedAt(now))
            {
                resolved.Add(alert);
                sent.Add(alert);
            }
            else
            {
                // Ensure that alerts don't resolve as time moves forward.
                sent.Add(alert.With(endsAt: DateTimeOffset.MinValue));
            }
        }
        sent.Sort(AlertOrder.Instance);
        if (await _notify(this, now, sent, ct).ConfigureAwait(false))
        {
            lock (_lock)
            {
                // Delete the resolved alerts just notified, unless one fired again (was replaced) during the flush.
                foreach (var alert in resolved)
                {
                    if (_alerts.TryGetValue(alert.Fingerprint, out var current) && ReferenceEquals(current, alert))
                    {
                        _alerts.Remove(alert.Fingerprint);
                    }
                }
            }
        }
    }

    /// <summary>Stops the timer and cancels a flush in progress.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stop.Cancel();
        }
        _timer.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => GroupKey;
}

/// <summary>
/// Alertmanager's <c>types.AlertSlice</c> order: by the <c>job</c> label, then <c>instance</c> (an alert with the
/// label before one without), then by the label sets.
/// </summary>
public sealed class AlertOrder : IComparer<Alert>
{
    /// <summary>The one instance.</summary>
    public static AlertOrder Instance { get; } = new();

    /// <inheritdoc/>
    public int Compare(Alert? x, Alert? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        foreach (var key in (ReadOnlySpan<string>)["job", "instance"])
        {
            var a = x.Labels.Get(key);
            var b = y.Labels.Get(key);
            if (a.Length == 0 && b.Length == 0)
            {
                continue;
            }
            if (a.Length == 0)
            {
                return 1;
            }
            if (b.Length == 0)
            {
                return -1;
            }
            var c = string.CompareOrdinal(a, b);
            if (c != 0)
            {
                return c;
            }
        }
        return LabelSetBefore(x.Labels, y.Labels);
    }

    /// <summary>
    /// prometheus/common's <c>LabelSet.Before</c> as a comparison: fewer labels first; then, over the union of
    /// names in order, the set missing a name first, else the smaller value first.
    /// </summary>
    public static int LabelSetBefore(Labels a, Labels b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
        {
            return a.Count.CompareTo(b.Count);
        }
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            var c = string.CompareOrdinal(a[i].Name, b[j].Name);
            if (c < 0)
            {
                return 1; // b lacks a[i].Name, which comes first: b is before
            }
            if (c > 0)
            {
                return -1;
            }
            c = string.CompareOrdinal(a[i].Value, b[j].Value);
            if (c != 0)
            {
                return c;
            }
            i++;
            j++;
        }
        return 0;
    }
}
