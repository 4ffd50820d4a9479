using Vigil.Alerting.Routing;

namespace Vigil.Alerting.Pipeline;

/// <summary>
/// What flows through the stages with the alerts (the values Alertmanager keeps in a flush's <c>context.Context</c>):
/// the notification context, the route, and, once the dedup stage has run on a branch, the hashes of the firing and
/// resolved alerts that the set-notifies stage writes to the notification log.
/// </summary>
public sealed record PipelineContext
{
    /// <summary>Receiver, group key, group labels, now, ...</summary>
    public required NotificationContext Notification { get; init; }

    /// <summary>The route whose aggregation group flushes.</summary>
    public required Route Route { get; init; }

    /// <summary>Hashes of the firing alerts (set by the dedup stage).</summary>
    public IReadOnlyList<ulong> FiringAlerts { get; init; } = [];

    /// <summary>Hashes of the resolved alerts (set by the dedup stage).</summary>
    public IReadOnlyList<ulong> ResolvedAlerts { get; init; } = [];
}

/// <summary>One step of the notification pipeline (Alertmanager's <c>notify.Stage</c>).</summary>
public interface INotificationStage
{
    /// <summary>
    /// Processes <paramref name="alerts"/>; returns the context and alerts for the next stage. An empty list ends the
    /// flush for this branch successfully; an exception fails it (the aggregation group then keeps resolved alerts).
    /// </summary>
    Task<(PipelineContext Context, IReadOnlyList<Alerts.Alert> Alerts)> ExecAsync(PipelineContext context, IReadOnlyList<Alerts.Alert> alerts, CancellationToken ct);
}

/// <summary>Decides whether an alert is muted, recording the decision in the alert marker.</summary>
public interface IMuter
{
    /// <summary>Whether the alert with <paramref name="labels"/> must not be notified now.</summary>
    bool Mutes(Vigil.Model.Labels labels);
}
