using System.Diagnostics;
using System.Globalization;
using Vigil.Testing;
using Vigil.Testing.Generators;

namespace Vigil.Compat.Tests.Differential;

/// <summary>
/// Six hours of generated metrics (ending two minutes before now, well inside both servers' 15-day retention)
/// backfilled into a real Prometheus 2.42 with <c>promtool tsdb create-blocks-from openmetrics</c> and into Vigil
/// with <c>vigil tsdb import openmetrics</c> (the vigil.dll built with this test assembly), both serving on loopback.
/// </summary>
public sealed class DifferentialServersFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromMinutes(5);

    private readonly TempDirectory _dir = new("vigil-differential");

    public MetricsGeneratorOptions Options { get; private set; } = null!;

    public GeneratedMetrics Data { get; private set; } = null!;

    public PrometheusInstance Prometheus { get; private set; } = null!;

    public VigilProcess Vigil { get; private set; } = null!;

    public HttpClient PrometheusClient { get; private set; } = null!;

    public HttpClient VigilClient { get; private set; } = null!;

    /// <summary>The data's last second, which the queries are relative to.</summary>
    public long EndSeconds => Options.EndMs / 1000;

    /// <summary>How long generating, backfilling and starting took, for the test's output.</summary>
    public string SetupLog { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var log = new System.Text.StringBuilder();
        var clock = Stopwatch.StartNew();
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var nowSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Options = new MetricsGeneratorOptions { End = DateTimeOffset.FromUnixTimeSeconds(nowSeconds - (nowSeconds % 60) - 120) };
        var input = _dir.File("data.om");
        Data = OpenMetricsGenerator.WriteFile(input, Options);
        log.AppendLine(CultureInfo.InvariantCulture, $"generated {Data.Series} series, {Data.Samples} samples, {Data.Bytes} bytes ({clock.Elapsed.TotalSeconds:F1} s)");

        var promData = _dir.File("prometheus-data");
        var vigilData = _dir.File("vigil-data");
        var created = await ExternalTool.RunAsync(promtool, ["tsdb", "create-blocks-from", "openmetrics", input, promData], timeout: s_toolTimeout);
        Assert.True(created.ExitCode == 0, created.Output);
        log.AppendLine(CultureInfo.InvariantCulture, $"promtool backfilled ({clock.Elapsed.TotalSeconds:F1} s)");
        var imported = await ExternalTool.RunAsync("dotnet", [VigilProcess.DllPath, "tsdb", "import", "openmetrics", input, vigilData], timeout: s_toolTimeout);
        Assert.True(imported.ExitCode == 0, imported.Output);
        log.AppendLine(CultureInfo.InvariantCulture, $"vigil imported ({clock.Elapsed.TotalSeconds:F1} s), using {VigilProcess.DllPath}");

        // The same configuration as Prometheus's: no scraping (Vigil's embedded default scrapes itself, which
        // would add series near "now"), the same evaluation interval (the default subquery step).
        var vigilConfig = _dir.File("vigil.yml");
        await File.WriteAllTextAsync(vigilConfig, PrometheusInstance.EmptyConfig);
        var starting = PrometheusInstance.StartAsync(promData, _dir.Path);
        Vigil = await VigilProcess.StartServeAsync(vigilData, $"--config.file={vigilConfig}");
        Prometheus = await starting;
        log.AppendLine(CultureInfo.InvariantCulture, $"both ready ({clock.Elapsed.TotalSeconds:F1} s): Prometheus pid {Prometheus.Pid} {Prometheus.BaseAddress}, Vigil pid {Vigil.Pid} {Vigil.BaseAddress}");
        PrometheusClient = new HttpClient { BaseAddress = Prometheus.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        VigilClient = new HttpClient { BaseAddress = Vigil.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        SetupLog = log.ToString();
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
public sealed class DifferentialServersCollection : ICollectionFixture<DifferentialServersFixture>
{
    public const string Name = "Differential: Prometheus 2.42 and Vigil on the same generated data";
}
