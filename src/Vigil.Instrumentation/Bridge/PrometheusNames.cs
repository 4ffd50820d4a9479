using Vigil.Model;
using Vigil.Model.Naming;

namespace Vigil.Instrumentation.Bridge;

/// <summary>What an instrument's name becomes in Prometheus.</summary>
/// <param name="Name">The family name as text 0.0.4 writes it (counters end in <c>_total</c>).</param>
/// <param name="OpenMetricsName">The family name OpenMetrics declares in HELP/TYPE/UNIT (counters without <c>_total</c>).</param>
/// <param name="Unit">The OpenMetrics UNIT, or empty when the name does not end in a unit.</param>
/// <param name="Scale">What each measurement is multiplied by (1 unless converted to a base unit).</param>
internal readonly record struct PrometheusName(string Name, string OpenMetricsName, string Unit, double Scale);

/// <summary>
/// OpenTelemetry → Prometheus name translation. The rules live in Vigil.Model (<see cref="OtelMetricNames"/>),
/// shared with the OTLP receiver in Vigil.Remote so both name a metric the same way.
/// </summary>
internal static class PrometheusNames
{
    /// <summary>The Prometheus name of an instrument (see <see cref="OtelMetricNames.Metric"/>).</summary>
    public static PrometheusName Metric(string instrumentName, string? unit, MetricType type, bool isGauge, bool convertToBaseUnits)
    {
        var name = OtelMetricNames.Metric(instrumentName, unit, type, isGauge, convertToBaseUnits);
        return new PrometheusName(name.Name, name.OpenMetricsName, name.Unit, name.Scale);
    }

    /// <summary>A tag key as a Prometheus label name (see <see cref="OtelMetricNames.Label"/>).</summary>
    public static string Label(string key) => OtelMetricNames.Label(key);
}
