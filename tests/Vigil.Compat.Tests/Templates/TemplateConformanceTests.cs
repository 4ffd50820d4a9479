using System.Text.Json;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Templates;

/// <summary>
/// The template conformance corpus (tests/conformance/templates, recorded by its record.py) against the real
/// promtool 2.42: every test file's expected annotations are what Prometheus's template engine produces (promtool
/// test rules passes), and every template in parse-errors*.json fails promtool check rules with the recorded text.
/// Vigil.Templates.Tests runs the same files through Vigil's engine; the rule evaluator runs them through
/// <c>vigil test rules</c> once it evaluates alerting rules.
/// </summary>
public sealed class TemplateConformanceTests
{
    private static readonly string s_corpus = RepoRoot.Combine("tests", "conformance", "templates");

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

    public static TheoryData<string> ParseErrorFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(s_corpus, "parse-errors*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ParseErrorFiles))]
    public async Task Parse_errors_are_what_promtool_check_rules_reports(string file)
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(s_corpus, file)));
        var ruleFile = doc.RootElement.GetProperty("rule_file").GetString()!;
        var result = await ExternalTool.RunAsync(promtool, ["check", "rules", Path.Combine(s_corpus, ruleFile)]);
        Assert.NotEqual(0, result.ExitCode);
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var line = $"group \"templates\", rule 1, \"A\": annotation \"{c.GetProperty("annotation").GetString()}\": {c.GetProperty("error").GetString()}";
            Assert.True(result.Output.Contains(line, StringComparison.Ordinal), $"promtool check rules did not report\n{line}\nin:\n{result.Output}");
        }
    }
}
