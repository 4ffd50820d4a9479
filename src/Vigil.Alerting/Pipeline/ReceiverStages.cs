using System.Diagnostics;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.History;
using Vigil.Alerting.NotificationLog;

namespace Vigil.Alerting.Pipeline;

/// <summary>
/// Passes the alerts on only when the receiver integration needs to hear about them (Alertmanager's
/// <c>DedupStage</c>): the first notification of a group with something firing; anything firing that was not
/// notified as firing; everything resolved when firing alerts were notified before; (with send_resolved) anything
/// newly resolved; or the same again once repeat_interval has passed since the last notification.
/// </summary>
public sealed class DedupStage(NotificationLogStore log, NotificationReceiver receiver, bool sendResolved, TimeProvider time) : INotificationStage
{
    /// <inheritdoc/>
    public Task<(PipelineContext Context, IReadOnlyList<Alert> Alerts)> ExecAsync(PipelineContext context, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        var firing = new List<ulong>();
        var resolved = new List<ulong>();
        var now = time.GetUtcNow();
        foreach (var alert in alerts)
        {
            // Alertmanager hashes the labels with xxHash64 over "name 0xff value 0xff ..." (hashAlert); Labels.Hash is that.
            (alert.ResolvedAt(now) ? resolved : firing).Add(alert.Labels.Hash);
        }
        context = context with { FiringAlerts = firing, ResolvedAlerts = resolved };
        var entry = log.Query(context.Notification.GroupKey, receiver);
        var needed = NeedsUpdate(entry, [.. firing], [.. resolved], context.Notification.RepeatInterval, now);
        return Task.FromResult<(PipelineContext, IReadOnlyList<Alert>)>((context, needed ? alerts : []));
    }

    private bool NeedsUpdate(NotificationLogEntry? entry, HashSet<ulong> firing, HashSet<ulong> resolved, TimeSpan repeat, DateTimeOffset now)
    {
        // Never notified about this group: notify right away unless everything is resolved already.
        if (entry is null)
        {
            return firing.Count > 0;
        }
        if (!entry.IsFiringSubset(firing))
        {
            return true;
        }
        // Everything resolved: notify (irrespective of send_resolved, so the firing alerts leave the log), unless
        // the last notification had nothing firing either: the receiver never heard of these alerts.
        if (firing.Count == 0)
        {
            return entry.FiringAlerts.Count > 0;
        }
        if (sendResolved && !entry.IsResolvedSubset(resolved))
        {
            return true;
        }
        // Nothing changed: only when the repeat interval has passed.
        return entry.Timestamp < now - repeat;
    }
}

/// <summary>
/// Calls the integration until it succeeds, with exponential backoff between failed attempts (0.5s growing by 1.5
/// up to 1 minute, randomised by ±50%), until the flush's deadline (the next group_interval) cancels it; a
/// non-retryable failure ends it at once (Alertmanager's <c>RetryStage</c>). Without send_resolved, resolved alerts
/// are left out, and a flush with only resolved alerts counts as sent without calling the integration.
/// </summary>
public sealed class RetryStage(INotifier integration, string receiverName, NotificationMetrics? metrics, AlertHistory? history, TimeProvider time) : INotificationStage
{
    /// <inheritdoc/>
    public async Task<(PipelineContext Context, IReadOnlyList<Alert> Alerts)> ExecAsync(PipelineContext context, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        metrics?.NotificationStarted(integration.Integration);
        try
        {
            return await RunAsync(context, alerts, ct).ConfigureAwait(false);
        }
        catch
        {
            metrics?.NotificationFailed(integration.Integration);
            throw;
        }
    }

    private async Task<(PipelineContext Context, IReadOnlyList<Alert> Alerts)> RunAsync(PipelineContext context, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        IReadOnlyList<Alert> sent = alerts;
        if (!integration.SendResolved)
        {
            if (context.FiringAlerts.Count == 0)
            {
                return (context, alerts);
            }
            var now = context.Notification.Now;
            sent = alerts.Where(a => !a.ResolvedAt(now)).ToList();
        }
        var name = $"{receiverName}/{integration.Integration}[{integration.Index}]";
        var delay = TimeSpan.FromMilliseconds(500);
        Exception? lastError = null;
        for (var attempt = 1; ; attempt++)
        {
            if (ct.IsCancellationRequested)
            {
                throw new NotificationException($"{name}: notify retry canceled after {attempt} attempts: {(lastError ?? new OperationCanceledException()).Message}", lastError);
            }
            var started = time.GetTimestamp();
            NotifyResult result;
            try
            {
                result = await integration.NotifyAsync(context.Notification, sent, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                result = NotifyResult.Retryable(lastError ?? new OperationCanceledException("context canceled"));
            }
            catch (Exception e)
            {
                result = NotifyResult.Retryable(e);
            }
            metrics?.RequestFinished(integration.Integration, time.GetElapsedTime(started), result.Succeeded);
            history?.RecordNotification(context.Notification, integration, sent.Count, attempt, result);
            if (result.Succeeded)
            {
                return (context, alerts);
            }
            lastError = result.Error;
            if (!result.Retry)
            {
                throw new NotificationException($"{name}: notify retry canceled due to unrecoverable error after {attempt} attempts: {lastError!.Message}", lastError);
            }
            var jitter = 0.5 + Random.Shared.NextDouble(); // ±50%
            try
            {
                await Task.Delay(delay * jitter, time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new NotificationException($"{name}: notify retry canceled after {attempt} attempts: {lastError!.Message}", lastError);
            }
            delay = TimeSpan.FromTicks(Math.Min((long)(delay.Ticks * 1.5), TimeSpan.FromMinutes(1).Ticks));
        }
    }
}

/// <summary>Records a successful notification in the notification log (Alertmanager's <c>SetNotifiesStage</c>).</summary>
public sealed class SetNotifiesStage(NotificationLogStore log, NotificationReceiver receiver) : INotificationStage
{
    /// <inheritdoc/>
    public Task<(PipelineContext Context, IReadOnlyList<Alert> Alerts)> ExecAsync(PipelineContext context, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        log.Log(receiver, context.Notification.GroupKey, context.FiringAlerts, context.ResolvedAlerts);
        return Task.FromResult((context, alerts));
    }
}

/// <summary>A notification that failed for good (its message names receiver, integration and attempts).</summary>
public sealed class NotificationException(string message, Exception? inner) : Exception(message, inner);

/// <summary>Mutes silenced alerts, recording the silences in the marker (Alertmanager's <c>silence.Silencer</c>).</summary>
public sealed class SilenceMuter(Silencing.SilenceStore silences, AlertMarker marker, AlertHistory? history) : IMuter
{
    /// <inheritdoc/>
    public bool Mutes(Vigil.Model.Labels labels)
    {
        var fp = AlertFingerprint.Of(labels);
        var ids = silences.Muting(labels);
        var before = marker.Status(fp);
        var after = marker.SetSilenced(fp, ids);
        history?.RecordStatus(labels, fp, before, after);
        return ids.Count > 0;
    }
}

/// <summary>
/// Mutes inhibited alerts (Alertmanager's <c>inhibit.Inhibitor</c>): keeps, per inhibition rule, the stored alerts
/// that match its source side, and asks the rule whether one of those still firing inhibits the alert.
/// </summary>
public sealed class InhibitMuter : IMuter
{
    private readonly Inhibition.Inhibitor _rules;
    private readonly Dictionary<ulong, Alert>[] _sources;
    private readonly AlertMarker _marker;
    private readonly AlertHistory? _history;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    /// <summary>Creates the muter for <paramref name="rules"/>; feed it alerts with <see cref="Observe"/>.</summary>
    public InhibitMuter(Inhibition.Inhibitor rules, AlertMarker marker, AlertHistory? history, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules;
        _marker = marker;
        _history = history;
        _time = time;
        _sources = new Dictionary<ulong, Alert>[rules.Rules.Count];
        for (var i = 0; i < _sources.Length; i++)
        {
            _sources[i] = [];
        }
    }

    /// <summary>Takes in a stored alert (subscribe this to the alert store).</summary>
    public void Observe(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (_lock)
        {
            for (var i = 0; i < _sources.Length; i++)
            {
                if (_rules.Rules[i].IsSource(alert.Labels))
                {
                    _sources[i][alert.Fingerprint] = alert;
                }
            }
        }
    }

    /// <summary>Forgets an alert the store dropped.</summary>
    public void Forget(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (_lock)
        {
            foreach (var sources in _sources)
            {
                sources.Remove(alert.Fingerprint);
            }
        }
    }

    /// <inheritdoc/>
    public bool Mutes(Vigil.Model.Labels labels)
    {
        var fp = AlertFingerprint.Of(labels);
        var now = _time.GetUtcNow();
        string? inhibitor = null;
        lock (_lock)
        {
            for (var i = 0; i < _sources.Length && inhibitor is null; i++)
            {
                var firing = new List<Vigil.Model.Labels>();
                foreach (var source in _sources[i].Values)
                {
                    if (!source.ResolvedAt(now))
                    {
                        firing.Add(source.Labels);
                    }
                }
                if (_rules.Rules[i].FindInhibitor(labels, firing) is { } by)
                {
                    inhibitor = AlertFingerprint.Format(AlertFingerprint.Of(by));
                }
            }
        }
        var before = _marker.Status(fp);
        var after = _marker.SetInhibited(fp, inhibitor is null ? [] : [inhibitor]);
        _history?.RecordStatus(labels, fp, before, after);
        return inhibitor is not null;
    }
}
