using Vigil.Alerting.Alerts;
using Vigil.Rules.Alerts;

namespace Vigil.Server.Notifier;

/// <summary>
/// Hands rule alerts to Vigil's own Alertmanager pipeline, as if Prometheus had POSTed them to <c>/api/v2/alerts</c>:
/// the external labels and <c>alert_relabel_configs</c> of the Prometheus configuration are applied first (like the
/// external path), then the alerts go through <see cref="AlertIngestion"/> with the Alertmanager configuration's
/// resolve timeout. Ingestion is an in-memory store update, so <see cref="Send"/> does not block evaluation.
/// </summary>
public sealed class InProcessAlertSink(AlertIngestion ingestion, Func<TimeSpan> resolveTimeout, AlertmanagerNotifier relabeling) : IAlertSink
{
    /// <summary>Validation errors of the last batch that had any (alerts with invalid labels are not stored).</summary>
    public IReadOnlyList<string> LastErrors { get; private set; } = [];

    /// <inheritdoc/>
    public void Send(IReadOnlyList<OutgoingAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var posted = new List<PostedAlert>(alerts.Count);
        foreach (var alert in relabeling.RelabelAll(alerts))
        {
            var annotations = new Dictionary<string, string>(alert.Annotations.Count, StringComparer.Ordinal);
            foreach (var a in alert.Annotations.AsSpan())
            {
                annotations[a.Name] = a.Value;
            }
            posted.Add(new PostedAlert(alert.Labels, annotations, alert.StartsAt, alert.EndsAt, alert.GeneratorUrl));
        }
        if (posted.Count == 0)
        {
            return;
        }
        var errors = ingestion.Ingest(posted, resolveTimeout());
        if (errors.Count > 0)
        {
            LastErrors = errors;
        }
    }
}

/// <summary>Sends every rule alert to each of several sinks (the in-process pipeline and the external Alertmanagers).</summary>
public sealed class FanoutAlertSink(params IAlertSink[] sinks) : IAlertSink
{
    /// <inheritdoc/>
    public void Send(IReadOnlyList<OutgoingAlert> alerts)
    {
        foreach (var sink in sinks)
        {
            sink.Send(alerts);
        }
    }
}
