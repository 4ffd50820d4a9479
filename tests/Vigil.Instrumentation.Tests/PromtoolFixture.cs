using Vigil.Testing;

namespace Vigil.Instrumentation.Tests;

/// <summary>promtool, the oracle for what Prometheus accepts and lints. Missing promtool fails, never skips.</summary>
public sealed class PromtoolFixture
{
    public PromtoolFixture() => Path = ExternalTool.Require("promtool", "prometheus");

    public string Path { get; }

    /// <summary><c>promtool check metrics</c> on <paramref name="exposition"/> (text 0.0.4) from stdin.</summary>
    public Task<ExternalTool.Result> CheckMetricsAsync(string exposition) => ExternalTool.RunAsync(Path, ["check", "metrics"], exposition);
}

[CollectionDefinition(Name)]
public sealed class PromtoolCollection : ICollectionFixture<PromtoolFixture>
{
    public const string Name = "promtool";
}
