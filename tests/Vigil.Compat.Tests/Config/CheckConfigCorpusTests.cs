using Vigil.Cli.Commands;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Config;

/// <summary>
/// `promtool check config` and `vigil check config` agree on every file of the corpus: files under valid/ pass both
/// with the same output; files under invalid/ fail both, and both messages contain the text after "# expect:" on
/// the first line (recorded from promtool 2.42).
/// </summary>
public sealed class CheckConfigCorpusTests
{
    private static string CorpusDirectory => RepoRoot.Combine("tests", "Vigil.Compat.Tests", "Config", "corpus");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(CorpusDirectory, "*.yml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(CorpusDirectory, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Vigil_and_promtool_agree(string relativePath)
    {
        var path = Path.Combine(CorpusDirectory, relativePath);
        var valid = relativePath.StartsWith("valid", StringComparison.Ordinal);
        var promtool = await ExternalTool.RunAsync(ExternalTool.Require("promtool", "prometheus"), ["check", "config", path]);
        var (exit, stdout, stderr) = RunVigil(path);

        Assert.True((promtool.ExitCode == 0) == valid, $"promtool exit {promtool.ExitCode}:\n{promtool.Output}");
        Assert.True((exit == 0) == valid, $"vigil exit {exit}:\n{stdout}{stderr}");
        if (valid)
        {
            Assert.Equal(promtool.StandardOutput, stdout);
            return;
        }
        var expect = File.ReadLines(path).First();
        Assert.StartsWith("# expect: ", expect, StringComparison.Ordinal);
        expect = expect["# expect: ".Length..];
        Assert.Contains(expect, promtool.Output, StringComparison.Ordinal);
        Assert.Contains(expect, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_corpus_has_both_kinds()
    {
        Assert.True(Directory.GetFiles(Path.Combine(CorpusDirectory, "valid"), "*.yml").Length >= 10);
        Assert.True(Directory.GetFiles(Path.Combine(CorpusDirectory, "invalid"), "*.yml").Length >= 50);
    }

    internal static (int Exit, string Stdout, string Stderr) RunVigil(params string[] paths)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CheckCommand.Run(paths, syntaxOnly: false, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
