using Vigil.PromQL.Engine;
using Vigil.Rules.Alerts;
using Vigil.Storage;

namespace Vigil.Rules.Evaluation;

/// <summary>What a <see cref="RuleManager"/> and its groups run with (Prometheus's <c>rules.ManagerOptions</c>).</summary>
public sealed class RuleManagerOptions
{
    /// <summary>The PromQL engine rules are evaluated with.</summary>
    public required QueryEngine Engine { get; init; }

    /// <summary>The storage rules query (and the <c>for</c> state is restored from).</summary>
    public required IQueryableStorage Queryable { get; init; }

    /// <summary>Where rule output is appended.</summary>
    public required IAppendable Appendable { get; init; }

    /// <summary>Where alerts are sent; <see cref="NullAlertSink"/> when none is wired.</summary>
    public IAlertSink AlertSink { get; init; } = NullAlertSink.Instance;

    /// <summary>The clock: evaluation times, timers, durations.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary><c>--rules.alert.for-outage-tolerance</c>: how old an <c>ALERTS_FOR_STATE</c> sample may be to be restored.</summary>
    public TimeSpan OutageTolerance { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>--rules.alert.for-grace-period</c>: the least time left before a restored alert may fire.</summary>
    public TimeSpan ForGracePeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary><c>--rules.alert.resend-delay</c>: how long to wait before re-sending an unchanged firing alert.</summary>
    public TimeSpan ResendDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether the <c>externalURL</c>/<c>pathPrefix</c> template functions see a nil URL, as in <c>promtool test rules</c>
    /// (whose manager has no external URL); false in a server, where they see the external URL.
    /// </summary>
    public bool NilUrlInTemplateFunctions { get; init; }

    /// <summary>Warnings (failed evaluations, rejected appends); may be called from evaluation threads.</summary>
    public Action<string>? Warning { get; init; }

    /// <summary>Called after each rule evaluation with its duration (<c>prometheus_rule_evaluation_duration_seconds</c>).</summary>
    public Action<TimeSpan>? RuleEvaluated { get; init; }

    /// <summary>Called after each group iteration with its duration (<c>prometheus_rule_group_duration_seconds</c>).</summary>
    public Action<TimeSpan>? GroupIterated { get; init; }
}
