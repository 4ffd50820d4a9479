using Vigil.Testing;

namespace Vigil.Compat.Tests.Promtool;

/// <summary>The GitOps directory must stay valid for the real Prometheus tools.</summary>
public sealed class MonitoringDirectoryTests
{
    public static TheoryData<string> PrometheusConfigs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoRoot.Combine("monitoring"), "prometheus.yml", SearchOption.AllDirectories))
        {
            data.Add(Path.GetRelativePath(RepoRoot.Path, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PrometheusConfigs))]
    public async Task Prometheus_configs_pass_promtool_check_config(string relativePath)
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var result = await ExternalTool.RunAsync(promtool, ["check", "config", RepoRoot.Combine(relativePath)]);
        Assert.True(result.ExitCode == 0, $"promtool check config {relativePath} (exit {result.ExitCode}):\n{result.Output}");
    }

    [Fact]
    public void There_is_at_least_one_environment_config() => Assert.NotEmpty(PrometheusConfigs());
}
