namespace Vigil.PromQL.Engine;

/// <summary>Engine limits and defaults, named after Prometheus's <c>--query.*</c> flags.</summary>
public sealed class QueryEngineOptions
{
    /// <summary>How far back an instant selector looks for a sample (<c>--query.lookback-delta</c>, 5m).</summary>
    public TimeSpan LookbackDelta { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest a query may run (<c>--query.timeout</c>, 2m).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most samples a query may hold in memory at once (<c>--query.max-samples</c>, 50,000,000).</summary>
    public int MaxSamples { get; set; } = 50_000_000;

    /// <summary>The most queries running at once (<c>--query.max-concurrency</c>, 20); more wait their turn.</summary>
    public int MaxConcurrentQueries { get; set; } = 20;

    /// <summary>The step of a subquery that gives none (the global evaluation interval, 1m by default).</summary>
    public TimeSpan DefaultEvaluationInterval { get; set; } = TimeSpan.FromMinutes(1);
}
