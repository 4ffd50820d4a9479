namespace Vigil.Rules.Alerts;

/// <summary>
/// Where alerts leave Rules: the consumer-owned seam that Prometheus's rule manager calls <c>NotifyFunc</c>
/// (<c>rules/manager.go</c>). The server wires it to the in-process Alertmanager pipeline or to external
/// Alertmanagers. <see cref="Send"/> is called from the evaluation loop after every group evaluation with the
/// alerts due for (re-)sending, so an implementation must not block: queue and return.
/// </summary>
public interface IAlertSink
{
    /// <summary>Hands over alerts to deliver; must return promptly (queue, do not send inline).</summary>
    /// <param name="alerts">The alerts, active and resolved; never empty.</param>
    void Send(IReadOnlyList<OutgoingAlert> alerts);
}

/// <summary>
/// One alert as Prometheus's <c>sendAlerts</c> builds it for the notifier (<c>notifier.Alert</c>).
/// </summary>
/// <param name="Labels">The alert's labels: the rule's output labels, <c>alertname</c>, and the rule's expanded labels (external labels are added by the sender).</param>
/// <param name="Annotations">The expanded annotations.</param>
/// <param name="StartsAt">When the alert became firing (its <c>FiredAt</c>).</param>
/// <param name="EndsAt">When it was resolved for a resolved alert; otherwise its <c>ValidUntil</c> (evaluation time + 4 × max(group interval, resend delay)).</param>
/// <param name="GeneratorUrl">A link to the rule's expression in the graph page (<c>externalURL + /graph?g0.expr=...&amp;g0.tab=1</c>).</param>
public sealed record OutgoingAlert(
    Vigil.Model.Labels Labels,
    Vigil.Model.Labels Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string GeneratorUrl);

/// <summary>An <see cref="IAlertSink"/> that drops every alert: the default until a delivery sink is registered.</summary>
public sealed class NullAlertSink : IAlertSink
{
    /// <summary>The one instance.</summary>
    public static readonly NullAlertSink Instance = new();

    private NullAlertSink()
    {
    }

    /// <inheritdoc />
    public void Send(IReadOnlyList<OutgoingAlert> alerts)
    {
    }
}
