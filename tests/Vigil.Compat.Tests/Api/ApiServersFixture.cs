using Vigil.Compat.Tests.Differential;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Api;

/// <summary>
/// The same OpenMetrics data loaded into a real Prometheus 2.42 (<c>promtool tsdb create-blocks-from openmetrics</c>)
/// and into Vigil (<c>vigil tsdb import openmetrics</c>), both serving on loopback for the whole collection.
/// </summary>
public sealed class ApiServersFixture : IAsyncLifetime
{
    /// <summary>Samples at 1000 s, 1060 s and 1120 s; one label value outside ASCII.</summary>
    public const string OpenMetrics = """
        # TYPE http_requests counter
        http_requests_total{job="api",instance="a:1",code="200"} 1 1000
        http_requests_total{job="api",instance="a:1",code="200"} 5 1060
        http_requests_total{job="api",instance="a:1",code="200"} 9 1120
        http_requests_total{job="api",instance="b:1",code="500"} 2 1000
        http_requests_total{job="api",instance="b:1",code="500"} 3 1060
        http_requests_total{job="api",instance="b:1",code="500"} 4 1120
        # TYPE up gauge
        up{job="api",instance="a:1"} 1 1000
        up{job="api",instance="a:1"} 1 1060
        up{job="api",instance="a:1"} 1 1120
        up{job="node",instance="n:9100",zz="ö"} 0 1000
        up{job="node",instance="n:9100",zz="ö"} 1 1120
        # EOF

        """;

    // Retention is measured from the newest data, far in the past here: keep everything.
    private static readonly string[] s_retention = ["--storage.tsdb.retention.time=100y"];

    private readonly TempDirectory _dir = new("vigil-api-compat");

    public PrometheusInstance Prometheus { get; private set; } = null!;

    public VigilProcess Vigil { get; private set; } = null!;

    public HttpClient PrometheusClient { get; private set; } = null!;

    public HttpClient VigilClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var input = _dir.File("data.om");
        await File.WriteAllTextAsync(input, OpenMetrics.Replace("\r\n", "\n", StringComparison.Ordinal));

        var promData = _dir.File("prometheus-data");
        var created = await ExternalTool.RunAsync(promtool, ["tsdb", "create-blocks-from", "openmetrics", input, promData]);
        Assert.True(created.ExitCode == 0, created.Output);
        var vigilData = _dir.File("vigil-data");
        var imported = await VigilProcess.RunAsync("tsdb", "import", "openmetrics", input, vigilData);
        Assert.True(imported.ExitCode == 0, imported.Output);

        var starting = PrometheusInstance.StartAsync(promData, _dir.Path, null, s_retention);
        // The same configuration as Prometheus's: no scraping (Vigil's embedded default scrapes itself).
        var vigilConfig = _dir.File("vigil.yml");
        await File.WriteAllTextAsync(vigilConfig, "global: {}\n");
        Vigil = await VigilProcess.StartServeAsync(vigilData, [.. s_retention, $"--config.file={vigilConfig}"]);
        Prometheus = await starting;
        PrometheusClient = new HttpClient { BaseAddress = Prometheus.BaseAddress };
        VigilClient = new HttpClient { BaseAddress = Vigil.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        PrometheusClient?.Dispose();
        VigilClient?.Dispose();
        if (Vigil is not null)
        {
            await Vigil.DisposeAsync();
        }
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiServersCollection : ICollectionFixture<ApiServersFixture>
{
    public const string Name = "API servers (Prometheus 2.42 and Vigil)";
}
