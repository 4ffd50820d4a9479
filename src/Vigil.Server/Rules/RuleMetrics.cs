using System.Diagnostics.Metrics;
using Vigil.Rules.Evaluation;

namespace Vigil.Server.Rules;

/// <summary>The rule manager's self-metrics with Prometheus's names; per-group series carry <c>rule_group="file;name"</c>.</summary>
public static class RuleMetrics
{
    /// <summary>The meter the instruments live on.</summary>
    public const string MeterName = "Vigil.Rules";

    /// <summary>Creates observable instruments reading <paramref name="service"/>'s groups at scrape time.</summary>
    public static void Register(IMeterFactory meters, RuleService service)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(service);
        var meter = meters.Create(MeterName);
        var manager = service.Manager;
        var stats = service.Metrics;
        meter.CreateObservableCounter("prometheus_rule_evaluations_total", () => PerGroup(manager, static g => g.EvaluationsTotal),
            description: "The total number of rule evaluations.");
        meter.CreateObservableCounter("prometheus_rule_evaluation_failures_total", () => PerGroup(manager, static g => g.EvaluationFailures),
            description: "The total number of rule evaluation failures.");
        meter.CreateObservableCounter("prometheus_rule_group_iterations_total", () => PerGroup(manager, static g => g.IterationsScheduled),
            description: "The total number of scheduled rule group evaluations, whether executed or missed.");
        meter.CreateObservableCounter("prometheus_rule_group_iterations_missed_total", () => PerGroup(manager, static g => g.IterationsMissed),
            description: "The total number of rule group evaluations missed due to slow rule group evaluation.");
        meter.CreateObservableGauge("prometheus_rule_group_interval_seconds", () => PerGroup(manager, static g => g.Interval.TotalSeconds),
            description: "The interval of a rule group.");
        meter.CreateObservableGauge("prometheus_rule_group_last_duration_seconds", () => PerGroup(manager, static g => g.EvaluationDuration.TotalSeconds),
            description: "The duration of the last rule group evaluation.");
        meter.CreateObservableGauge("prometheus_rule_group_last_evaluation_timestamp_seconds", () => PerGroup(manager, static g => g.LastEvaluationTimestampMs / 1000.0),
            description: "The timestamp of the last rule group evaluation in seconds.");
        meter.CreateObservableGauge("prometheus_rule_group_last_evaluation_samples", () => PerGroup(manager, static g => g.SamplesLastIteration),
            description: "The number of samples returned during the last rule group evaluation.");
        meter.CreateObservableGauge("prometheus_rule_group_rules", () => PerGroup(manager, static g => (long)g.Rules.Count),
            description: "The number of rules.");
        // Prometheus's are summaries; System.Diagnostics.Metrics has none, so these are histograms (same _sum and _count).
        stats.Attach(
            meter.CreateHistogram<double>("prometheus_rule_evaluation_duration_seconds", description: "The duration for a rule to execute."),
            meter.CreateHistogram<double>("prometheus_rule_group_duration_seconds", description: "The duration of rule group evaluations."));
    }

    private static IEnumerable<Measurement<T>> PerGroup<T>(RuleManager manager, Func<RuleGroup, T> value) where T : struct
    {
        foreach (var g in manager.Groups)
        {
            yield return new Measurement<T>(value(g), new KeyValuePair<string, object?>("rule_group", g.Key));
        }
    }
}
