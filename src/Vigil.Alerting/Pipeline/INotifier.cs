using Vigil.Alerting.Alerts;

namespace Vigil.Alerting.Pipeline;

/// <summary>
/// One configured integration of a receiver (the second <c>webhook_configs</c> entry of receiver "team-a", say):
/// Alertmanager 0.25's <c>notify.Integration</c>. The notification pipeline calls <see cref="NotifyAsync"/> from its
/// retry stage, with the alerts of one aggregation group that survived inhibition, silencing and deduplication (and,
/// when <see cref="SendResolved"/> is false, without the resolved ones).
/// </summary>
/// <remarks>
/// The pipeline measures every call (<c>alertmanager_notifications_total</c>, <c>_failed_total</c>,
/// <c>alertmanager_notification_requests_total</c>, <c>_failed_total</c>, <c>alertmanager_notification_latency_seconds</c>,
/// by <see cref="Integration"/>), as Alertmanager's RetryStage does; implementations do not count themselves.
/// Implementations must be safe to call concurrently for different groups.
/// </remarks>
public interface INotifier
{
    /// <summary>The integration's name as Alertmanager labels metrics with it: <c>webhook</c>, <c>slack</c>, <c>pagerduty</c>, <c>email</c>.</summary>
    string Integration { get; }

    /// <summary>The position of this configuration among the receiver's configurations of the same integration (0-based).</summary>
    int Index { get; }

    /// <summary>Whether resolved alerts are sent (<c>send_resolved</c>).</summary>
    bool SendResolved { get; }

    /// <summary>
    /// Sends one notification. Returns <see cref="NotifyResult.Success"/> when delivered; a failure with
    /// <see cref="NotifyResult.Retry"/> true is retried with backoff until <paramref name="ct"/> is cancelled (at the
    /// group's next flush), one with false is given up at once. Throwing counts as a retryable failure; cancellation
    /// through <paramref name="ct"/> ends the attempt.
    /// </summary>
    Task<NotifyResult> NotifyAsync(NotificationContext context, IReadOnlyList<Alert> alerts, CancellationToken ct);
}

/// <summary>Creates the integrations of a receiver; the composition root passes one to the pipeline.</summary>
public interface INotifierFactory
{
    /// <summary>
    /// The integrations configured for <paramref name="receiver"/>, in Alertmanager's order (email, pagerduty, ...,
    /// slack, webhook, each in configuration order). An empty list means the receiver notifies nobody.
    /// </summary>
    IReadOnlyList<INotifier> Create(Config.ReceiverConfig receiver, Config.AlertmanagerConfig config);
}
