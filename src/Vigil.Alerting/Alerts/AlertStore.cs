namespace Vigil.Alerting.Alerts;

/// <summary>
/// The alerts Alertmanager knows (0.25's <c>provider/mem</c>): one per fingerprint. <see cref="Put"/> merges a
/// received alert with the stored one when their active ranges overlap (<see cref="Alert.Merge"/>), stores it and
/// hands it to every subscriber in order; <see cref="CollectGarbage"/> drops resolved alerts. Subscribers are called
/// synchronously under the store's lock, so each sees every alert exactly once and in the order stored.
/// </summary>
public sealed class AlertStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, Alert> _alerts = [];
    private readonly List<Action<Alert, Alert?>> _listeners = [];
    private readonly TimeProvider _time;
    private readonly AlertMarker _marker;

    /// <summary>Creates an empty store whose garbage collection forgets dropped alerts in <paramref name="marker"/>.</summary>
    public AlertStore(TimeProvider time, AlertMarker marker)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(marker);
        _time = time;
        _marker = marker;
    }

    /// <summary>Called after an alert was dropped by garbage collection.</summary>
    public event Action<Alert>? Removed;

    /// <summary>The number of alerts stored.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _alerts.Count;
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="listener"/> with every stored alert now (previous version null), then with every alert
    /// stored later and the version it replaced. Dispose the result to stop.
    /// </summary>
    public IDisposable Subscribe(Action<Alert, Alert?> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_lock)
        {
            foreach (var alert in _alerts.Values)
            {
                listener(alert, null);
            }
            _listeners.Add(listener);
        }
        return new Subscription(this, listener);
    }

    /// <summary>Stores (merging) each of <paramref name="alerts"/> and notifies subscribers.</summary>
    public void Put(IReadOnlyList<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        lock (_lock)
        {
            foreach (var received in alerts)
            {
                var alert = received;
                _alerts.TryGetValue(alert.Fingerprint, out var old);
                // Alertmanager merges only when the activity ranges overlap; otherwise the new alert replaces the old one.
                if (old is not null &&
                    ((alert.EndsAt > old.StartsAt && alert.EndsAt < old.EndsAt) ||
                     (alert.StartsAt > old.StartsAt && alert.StartsAt < old.EndsAt)))
                {
                    alert = old.Merge(alert);
                }
                _alerts[alert.Fingerprint] = alert;
                foreach (var listener in _listeners)
                {
                    listener(alert, old);
                }
            }
        }
    }

    /// <summary>The alert with <paramref name="fingerprint"/>, or null.</summary>
    public Alert? Get(ulong fingerprint)
    {
        lock (_lock)
        {
            return _alerts.GetValueOrDefault(fingerprint);
        }
    }

    /// <summary>A copy of every stored alert, in no particular order.</summary>
    public List<Alert> Snapshot()
    {
        lock (_lock)
        {
            return [.. _alerts.Values];
        }
    }

    /// <summary>Drops every alert resolved now and forgets its marker; returns how many were dropped.</summary>
    public int CollectGarbage()
    {
        var now = _time.GetUtcNow();
        List<Alert>? removed = null;
        lock (_lock)
        {
            foreach (var (fp, alert) in _alerts)
            {
                if (alert.ResolvedAt(now))
                {
                    (removed ??= []).Add(alert);
                }
            }
            if (removed is null)
            {
                return 0;
            }
            foreach (var alert in removed)
            {
                _alerts.Remove(alert.Fingerprint);
                _marker.Delete(alert.Fingerprint);
            }
        }
        foreach (var alert in removed)
        {
            Removed?.Invoke(alert);
        }
        return removed.Count;
    }

    private sealed class Subscription(AlertStore store, Action<Alert, Alert?> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (store._lock)
            {
                store._listeners.Remove(listener);
            }
        }
    }
}
