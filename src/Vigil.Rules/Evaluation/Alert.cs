using Vigil.Model;

namespace Vigil.Rules.Evaluation;

/// <summary>An alert's state (<c>rules.AlertState</c>).</summary>
public enum AlertState
{
    /// <summary>Resolved: kept for <see cref="AlertingRule.ResolvedRetention"/> so it is sent as resolved.</summary>
    Inactive,

    /// <summary>The condition holds, but not yet for the rule's <c>for</c>.</summary>
    Pending,

    /// <summary>The condition held for <c>for</c>.</summary>
    Firing,
}

/// <summary>One alert of an alerting rule (<c>rules.Alert</c>): identified by its labels.</summary>
public sealed class Alert
{
    /// <summary>Creates an alert.</summary>
    public Alert(Labels labels, Labels annotations, DateTimeOffset activeAt, double value)
    {
        Labels = labels;
        Annotations = annotations;
        ActiveAt = activeAt;
        Value = value;
        State = AlertState.Pending;
    }

    /// <summary>The identifying labels (output labels without <c>__name__</c>, the rule's labels, <c>alertname</c>).</summary>
    public Labels Labels { get; }

    /// <summary>The expanded annotations (re-expanded at every evaluation).</summary>
    public Labels Annotations { get; internal set; }

    /// <summary>The state.</summary>
    public AlertState State { get; internal set; }

    /// <summary>The expression's value at the last evaluation that returned it.</summary>
    public double Value { get; internal set; }

    /// <summary>When it became pending (shifted by a restore of the <c>for</c> state).</summary>
    public DateTimeOffset ActiveAt { get; internal set; }

    /// <summary>When it became firing; default until then.</summary>
    public DateTimeOffset FiredAt { get; internal set; }

    /// <summary>When it was resolved; default while active.</summary>
    public DateTimeOffset ResolvedAt { get; internal set; }

    /// <summary>When it was last handed to the alert sink.</summary>
    public DateTimeOffset LastSentAt { get; internal set; }

    /// <summary>Until when the last sent copy is valid (its <c>endsAt</c> while active).</summary>
    public DateTimeOffset ValidUntil { get; internal set; }

    /// <summary>Since when it is kept firing by <c>keep_firing_for</c>; default when not.</summary>
    public DateTimeOffset KeepFiringSince { get; internal set; }

    /// <summary>Prometheus's <c>needsSending</c>: not pending, and resolved since last sent or not sent for the resend delay.</summary>
    internal bool NeedsSending(DateTimeOffset ts, TimeSpan resendDelay)
    {
        if (State == AlertState.Pending)
        {
            return false;
        }
        if (ResolvedAt > LastSentAt)
        {
            return true;
        }
        return LastSentAt + resendDelay < ts;
    }

    /// <summary>A snapshot for readers outside the evaluation loop (the API).</summary>
    internal Alert Snapshot() => (Alert)MemberwiseClone();
}
