using Vigil.Testing;

namespace Vigil.Compat.Tests.Config;

/// <summary>The shipped example configurations pass Vigil's checker, and all but the Kubernetes one pass promtool's.</summary>
public sealed class ExampleConfigTests
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoRoot.Combine("monitoring", "examples"), "*.yml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_passes_both_checkers(string name)
    {
        var path = RepoRoot.Combine("monitoring", "examples", name);
        var (exit, stdout, stderr) = CheckConfigCorpusTests.RunVigil(path);
        Assert.True(exit == 0, stdout + stderr);
        Assert.DoesNotContain("WARNING", stdout, StringComparison.Ordinal);
        var promtool = await ExternalTool.RunAsync(ExternalTool.Require("promtool", "prometheus"), ["check", "config", path]);
        if (name.StartsWith("kubernetes", StringComparison.Ordinal))
        {
            // Debian's promtool is built without Kubernetes discovery (COMPAT-NOTES.md).
            Assert.Contains("field kubernetes_sd_configs not found", promtool.Output, StringComparison.Ordinal);
            return;
        }
        Assert.True(promtool.ExitCode == 0, promtool.Output);
        Assert.Equal(promtool.StandardOutput, stdout);
    }

    [Fact]
    public void Every_discovery_kind_has_an_example()
    {
        var names = Directory.EnumerateFiles(RepoRoot.Combine("monitoring", "examples"), "*.yml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["dns_sd.yml", "file_sd.yml", "http_sd.yml", "kubernetes.yml", "static.yml"], names);
    }
}
