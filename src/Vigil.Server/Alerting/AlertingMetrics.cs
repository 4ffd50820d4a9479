using System.Diagnostics.Metrics;

namespace Vigil.Server.Alerting;

/// <summary>The alerting pipeline's self-metrics, with Alertmanager 0.25's names.</summary>
public static class AlertingMetrics
{
    /// <summary>The meter the instruments live on.</summary>
    public const string MeterName = "Vigil.Alerting";

    /// <summary>Creates observable instruments reading <paramref name="service"/>'s state at scrape time.</summary>
    public static void Register(Meter meter, AlertingService service)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(service);
        meter.CreateObservableGauge("alertmanager_alerts", () =>
        {
            var now = service.Time.GetUtcNow();
            var firing = service.Store.Snapshot().Where(a => !a.ResolvedAt(now)).Select(static a => a.Fingerprint);
            var (active, suppressed, unprocessed) = service.Marker.Count(firing);
            return new[]
            {
                new Measurement<long>(active, new KeyValuePair<string, object?>("state", "active")),
                new Measurement<long>(suppressed, new KeyValuePair<string, object?>("state", "suppressed")),
                new Measurement<long>(unprocessed, new KeyValuePair<string, object?>("state", "unprocessed")),
            };
        }, description: "How many alerts by state.");
        meter.CreateObservableCounter("alertmanager_alerts_received_total", () => new[]
        {
            new Measurement<long>(service.Ingestion.ReceivedFiring, new KeyValuePair<string, object?>("status", "firing")),
            new Measurement<long>(service.Ingestion.ReceivedResolved, new KeyValuePair<string, object?>("status", "resolved")),
        }, description: "The total number of received alerts.");
        meter.CreateObservableCounter("alertmanager_alerts_invalid_total", () => service.Ingestion.Invalid,
            description: "The total number of received alerts that were invalid.");
        meter.CreateObservableGauge("alertmanager_silences", () =>
        {
            var (active, pending, expired) = service.Silences.CountByState();
            return new[]
            {
                new Measurement<long>(active, new KeyValuePair<string, object?>("state", "active")),
                new Measurement<long>(pending, new KeyValuePair<string, object?>("state", "pending")),
                new Measurement<long>(expired, new KeyValuePair<string, object?>("state", "expired")),
            };
        }, description: "How many silences by state.");
        meter.CreateObservableCounter("alertmanager_nflog_queries_total", () => service.NotificationLog.Queries,
            description: "Number of notification log queries were received.");
        meter.CreateObservableGauge("alertmanager_nflog_entries", () => service.NotificationLog.Count,
            description: "Number of entries in the notification log.");
        meter.CreateObservableGauge("alertmanager_dispatcher_aggregation_groups", () => service.Active.Dispatcher.GroupCount,
            description: "Number of active aggregation groups");
        meter.CreateObservableGauge("alertmanager_config_last_reload_success_timestamp_seconds", () => service.Active.LoadedAt.ToUnixTimeMilliseconds() / 1000.0,
            description: "Timestamp of the last successful configuration reload.");
    }
}
