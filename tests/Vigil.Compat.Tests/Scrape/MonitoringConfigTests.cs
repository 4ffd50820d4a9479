using Vigil.Testing;

namespace Vigil.Compat.Tests.Scrape;

/// <summary>Every <c>prometheus.yml</c> under monitoring/ is accepted by <c>vigil check config</c> exactly as by promtool.</summary>
public sealed class MonitoringConfigTests
{
    public static TheoryData<string> PrometheusConfigs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoRoot.Combine("monitoring"), "prometheus.yml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoRoot.Path, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PrometheusConfigs))]
    public async Task Vigil_check_config_agrees_with_promtool(string relativePath)
    {
        var path = RepoRoot.Combine(relativePath);
        var vigil = await VigilProcess.RunAsync("check", "config", path);
        Assert.True(vigil.ExitCode == 0, $"vigil check config {relativePath} (exit {vigil.ExitCode}):\n{vigil.Output}");
        var promtool = await ExternalTool.RunAsync(ExternalTool.Require("promtool", "prometheus"), ["check", "config", path]);
        Assert.True(promtool.ExitCode == 0, promtool.Output);
        Assert.Equal(promtool.StandardOutput, vigil.StandardOutput);
    }

    [Fact]
    public void The_repository_example_exists() => Assert.True(File.Exists(RepoRoot.Combine("monitoring", "prometheus.yml")));
}
