using System.Diagnostics.Metrics;
using Vigil.PromQL.Engine;

namespace Vigil.Server.Api;

/// <summary>The query engine's self-metrics, with Prometheus's names.</summary>
public static class EngineMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Vigil.PromQL";

    /// <summary>Registers <c>prometheus_engine_queries</c> and <c>prometheus_engine_queries_concurrent_max</c> for <paramref name="engine"/>.</summary>
    public static void Register(IMeterFactory meters, QueryEngine engine)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(engine);
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("prometheus_engine_queries", () => engine.ActiveQueries, description: "The current number of queries being executed or waiting.");
        meter.CreateObservableGauge("prometheus_engine_queries_concurrent_max", () => engine.Options.MaxConcurrentQueries, description: "The max number of concurrent queries.");
    }
}
