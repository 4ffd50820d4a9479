using System.Text.RegularExpressions;
using Vigil.Compat.Tests.Config;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Federation;

/// <summary>Every configuration example in docs/long-term-storage.md passes promtool 2.42's and Vigil's checkers alike.</summary>
public sealed partial class LongTermStorageDocTests
{
    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    public static TheoryData<int> Blocks()
    {
        var data = new TheoryData<int>();
        var count = YamlBlock().Matches(File.ReadAllText(RepoRoot.Combine("docs", "long-term-storage.md"))).Count;
        for (var i = 0; i < count; i++)
        {
            data.Add(i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public async Task Yaml_example_is_a_valid_prometheus_configuration(int index)
    {
        var yaml = YamlBlock().Matches(File.ReadAllText(RepoRoot.Combine("docs", "long-term-storage.md")))[index].Groups[1].Value;
        using var dir = new TempDirectory();
        var path = dir.File("prometheus.yml");
        await File.WriteAllTextAsync(path, yaml);
        var promtool = await ExternalTool.RunAsync(ExternalTool.Require("promtool", "prometheus"), ["check", "config", path]);
        Assert.True(promtool.ExitCode == 0, yaml + "\n" + promtool.Output);
        var (exit, stdout, stderr) = CheckConfigCorpusTests.RunVigil(path);
        Assert.True(exit == 0, yaml + "\n" + stdout + stderr);
    }

    [Fact]
    public void The_doc_has_examples_for_every_store()
        => Assert.True(Blocks().Count >= 6);
}
