using Vigil.Testing;

namespace Vigil.Compat.Tests.Promtool;

/// <summary>Vigil's own /metrics, from the real process, through the real `promtool check metrics` (Prometheus 2.42).</summary>
public sealed class VigilMetricsLintTests
{
    // promtool 2.42's `check metrics` reads text format 0.0.4 only, so that is the format checked here.
    [Fact]
    public async Task Vigil_metrics_pass_promtool_check_metrics_without_lint_complaints()
    {
        const string accept = "text/plain;version=0.0.4";
        var promtool = ExternalTool.Require("promtool", "prometheus");
        using var dir = new TempDirectory();
        await using var vigil = await VigilProcess.StartServeAsync(dir.File("data"));
        using var http = new HttpClient { BaseAddress = vigil.BaseAddress };
        await http.GetAsync("/-/healthy");
        await http.GetAsync("/no/such/page");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        var body = await (await http.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("vigil_build_info", body);

        var result = await ExternalTool.RunAsync(promtool, ["check", "metrics"], stdin: body);

        Assert.True(result.ExitCode == 0 && result.Output.Trim().Length == 0, $"promtool check metrics said (exit {result.ExitCode}):\n{result.Output}\n--- body ---\n{body}");
    }
}
