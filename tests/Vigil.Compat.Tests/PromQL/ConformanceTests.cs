using Vigil.Rules.UnitTesting;
using Vigil.Testing;

namespace Vigil.Compat.Tests.PromQL;

/// <summary>
/// The PromQL conformance corpus (tests/conformance/promql/*.yml, promtool's rule unit-test format): every
/// file must pass the real <c>promtool test rules</c> (Prometheus 2.42 is the specification), and Vigil's
/// runner, on Vigil's engine, must pass the same file. One case per file, so a failure names the file; the
/// message carries the runner's report (expression, time, expected and got).
/// </summary>
public sealed class ConformanceTests
{
    private static readonly string s_corpus = RepoRoot.Combine("tests", "conformance", "promql");

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(s_corpus, "*.yml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task Corpus_file_passes_promtool(string file)
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var result = await ExternalTool.RunAsync(promtool, ["test", "rules", Path.Combine(s_corpus, file)]);
        Assert.True(result.ExitCode == 0, $"promtool test rules {file} (exit {result.ExitCode}): the corpus is wrong, promtool is the specification\n{result.Output}");
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Vigil_passes_the_corpus_file(string file)
    {
        var report = new StringWriter();
        var exit = RuleUnitTestRunner.Run([Path.Combine(s_corpus, file)], report);
        Assert.True(exit == 0, $"vigil test rules {file} (exit {exit}):\n{report}");
    }

    [Fact]
    public void Corpus_covers_hundreds_of_expressions()
    {
        var cases = 0;
        foreach (var file in Directory.EnumerateFiles(s_corpus, "*.yml"))
        {
            Assert.True(RuleTestFileReader.TryRead(File.ReadAllText(file), out var parsed, out var error), $"{file}: {error}");
            Assert.Empty(parsed.RuleFiles);
            foreach (var group in parsed.Tests)
            {
                cases += group.PromqlExprTests.Count;
            }
        }
        Assert.True(cases >= 400, $"the corpus has {cases} promql_expr_test cases; it should not shrink below 400");
    }
}
