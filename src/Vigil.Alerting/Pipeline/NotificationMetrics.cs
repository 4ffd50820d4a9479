using System.Diagnostics.Metrics;

namespace Vigil.Alerting.Pipeline;

/// <summary>
/// Alertmanager 0.25's notification metrics (<c>notify.Metrics</c>), labelled by integration. The pipeline's retry
/// stage records them around every <see cref="INotifier.NotifyAsync"/> call: one notification per retry-stage run,
/// one request per attempt. Integrations never need to touch this.
/// </summary>
public sealed class NotificationMetrics
{
    /// <summary>The integrations Alertmanager initialises at zero so that their series exist before the first notification.</summary>
    public static IReadOnlyList<string> KnownIntegrations { get; } = ["email", "pagerduty", "slack", "webhook"];

    private readonly Counter<long> _notifications;
    private readonly Counter<long> _notificationsFailed;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _requestsFailed;
    private readonly Histogram<double> _latency;

    /// <summary>Creates the instruments on <paramref name="meter"/>.</summary>
    public NotificationMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _notifications = meter.CreateCounter<long>("alertmanager_notifications_total", description: "The total number of attempted notifications.");
        _notificationsFailed = meter.CreateCounter<long>("alertmanager_notifications_failed_total", description: "The total number of failed notifications.");
        _requests = meter.CreateCounter<long>("alertmanager_notification_requests_total", description: "The total number of attempted notification requests.");
        _requestsFailed = meter.CreateCounter<long>("alertmanager_notification_requests_failed_total", description: "The total number of failed notification requests.");
        _latency = meter.CreateHistogram("alertmanager_notification_latency_seconds", unit: "s",
            description: "The latency of notifications in seconds.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 10, 15, 20] });
        foreach (var integration in KnownIntegrations)
        {
            var tag = Tag(integration);
            _notifications.Add(0, tag);
            _notificationsFailed.Add(0, tag);
            _requests.Add(0, tag);
            _requestsFailed.Add(0, tag);
        }
    }

    /// <summary>A notification is about to be attempted (once per retry-stage run).</summary>
    public void NotificationStarted(string integration) => _notifications.Add(1, Tag(integration));

    /// <summary>A notification was given up (permanent error, or retries ran out of time).</summary>
    public void NotificationFailed(string integration) => _notificationsFailed.Add(1, Tag(integration));

    /// <summary>One attempt (request) finished after <paramref name="latency"/>.</summary>
    public void RequestFinished(string integration, TimeSpan latency, bool succeeded)
    {
        var tag = Tag(integration);
        _requests.Add(1, tag);
        if (!succeeded)
        {
            _requestsFailed.Add(1, tag);
        }
        _latency.Record(latency.TotalSeconds, tag);
    }

    private static KeyValuePair<string, object?> Tag(string integration) => new("integration", integration);
}
