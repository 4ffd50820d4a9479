using Vigil.Model;

namespace Vigil.Scrape.Scraping;

/// <summary>
/// What a target says about one metric family (its TYPE, HELP and UNIT lines), for
/// <c>/api/v1/targets/metadata</c> and <c>/api/v1/metadata</c>.
/// </summary>
/// <param name="Target">The target's labels (no <c>__</c> labels).</param>
/// <param name="Metric">The family name.</param>
/// <param name="Type">The declared type, <see cref="MetricType.Unknown"/> without a TYPE line.</param>
/// <param name="Help">The help text, unescaped; empty without a HELP line.</param>
/// <param name="Unit">The OpenMetrics unit; empty without a UNIT line.</param>
public sealed record TargetMetadata(Labels Target, string Metric, MetricType Type, string Help, string Unit)
{
    /// <summary>Prometheus's name for <paramref name="type"/>: <c>counter</c>, <c>gauge</c>, ..., <c>unknown</c>.</summary>
    public static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        MetricType.Histogram => "histogram",
        MetricType.GaugeHistogram => "gaugehistogram",
        MetricType.Summary => "summary",
        MetricType.Info => "info",
        MetricType.StateSet => "stateset",
        _ => "unknown",
    };
}
