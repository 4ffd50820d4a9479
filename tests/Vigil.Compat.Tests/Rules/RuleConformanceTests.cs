using Vigil.Rules.UnitTesting;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Rules;

/// <summary>
/// The rule and template conformance corpora (tests/conformance/rules/*.yml and tests/conformance/templates/*.yml,
/// promtool's unit-test format with rule_files): every file must pass the real <c>promtool test rules</c> 2.42, and
/// Vigil's runner must pass the same file. Failing reports are compared byte for byte with promtool's.
/// </summary>
public sealed class RuleConformanceTests
{
    private static readonly string[] s_corpora = ["rules", "templates"];

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var corpus in s_corpora)
        {
            var dir = RepoRoot.Combine("tests", "conformance", corpus);
            if (!Directory.Exists(dir))
            {
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(dir, "*.yml").Order(StringComparer.Ordinal))
            {
                data.Add(Path.Combine(corpus, Path.GetFileName(file)));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task Corpus_file_passes_promtool(string file)
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var result = await ExternalTool.RunAsync(promtool, ["test", "rules", RepoRoot.Combine("tests", "conformance", file)]);
        Assert.True(result.ExitCode == 0, $"promtool test rules {file} (exit {result.ExitCode}): the corpus is wrong, promtool is the specification\n{result.Output}");
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Vigil_passes_the_corpus_file(string file)
    {
        var report = new StringWriter();
        var exit = RuleUnitTestRunner.Run([RepoRoot.Combine("tests", "conformance", file)], report);
        Assert.True(exit == 0, $"vigil test rules {file} (exit {exit}):\n{report}");
    }

    [Fact]
    public void The_rules_corpus_exercises_alerts_and_recording_rules()
    {
        var alertTests = 0;
        foreach (var file in Directory.EnumerateFiles(RepoRoot.Combine("tests", "conformance", "rules"), "*.yml"))
        {
            Assert.True(RuleTestFileReader.TryRead(File.ReadAllText(file), out var parsed, out var error), $"{file}: {error}");
            Assert.NotEmpty(parsed.RuleFiles);
            alertTests += parsed.Tests.Sum(t => t.AlertRuleTests.Count);
        }
        Assert.True(alertTests >= 10, $"{alertTests} alert_rule_test cases");
    }

    public static TheoryData<string, string> FailingFiles() => new()
    {
        {
            "wrong alerts", """
            rule_files: [rules.yml]
            evaluation_interval: 1m
            tests:
              - name: named group
                interval: 1m
                input_series:
                  - series: 'up{job="a", instance="x"}'
                    values: '0x10'
                  - series: 'up{job="a", instance="y"}'
                    values: '0x10'
                alert_rule_test:
                  - eval_time: 10m
                    alertname: Down
                    exp_alerts:
                      - exp_labels: {job: a, instance: x, severity: page}
                        exp_annotations: {summary: 'x is down'}
                  - eval_time: 1m
                    alertname: Down
                    exp_alerts:
                      - exp_labels: {job: a, instance: x, severity: page}
              - interval: 1m
                input_series:
                  - series: 'up{job="b"}'
                    values: '1 0 0 0'
                alert_rule_test:
                  - eval_time: 3m
                    alertname: Down
                    exp_alerts: []
                promql_expr_test:
                  - expr: ALERTS
                    eval_time: 2m
                    exp_samples: []
            """
        },
        {
            "evaluation error", """
            rule_files: [rules.yml]
            tests:
              - interval: 1m
                input_series:
                  - series: 'dup{a="1"}'
                    values: '1x3'
                  - series: 'dup{a="2"}'
                    values: '1x3'
                alert_rule_test:
                  - eval_time: 2m
                    alertname: Down
            """
        },
        {
            "missing alertname", """
            rule_files: [rules.yml]
            tests:
              - name: g
                interval: 1m
                alert_rule_test:
                  - eval_time: 2m
            """
        },
        {
            "bad rule file", """
            rule_files: [broken.yml, 'nothing*.yml']
            tests:
              - interval: 1m
                promql_expr_test:
                  - expr: vector(1)
                    eval_time: 0m
            """
        },
    };

    [Theory]
    [MemberData(nameof(FailingFiles))]
    public async Task Failure_reports_match_promtool(string name, string test)
    {
        using var dir = new TempDirectory("vigil-rules-report");
        File.WriteAllText(dir.File("rules.yml"), """
            groups:
              - name: g
                rules:
                  - alert: Down
                    expr: up == 0
                    for: 2m
                    labels: {severity: page}
                    annotations: {summary: '{{ $labels.instance }} is down'}
                  - record: same
                    expr: sum without (a) (dup)
                    labels: {a: x}
                  - record: same_again
                    expr: dup
                    labels: {a: x}
            """);
        File.WriteAllText(dir.File("broken.yml"), "groups:\n  - name: b\n    rules:\n      - record: r\n        expr: 'rate(x[5m]'\n");
        var path = dir.File("test.yml");
        File.WriteAllText(path, test);
        var promtool = await ExternalTool.RunAsync(ExternalTool.Require("promtool", "prometheus"), ["test", "rules", path]);
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = RuleUnitTestRunner.Run([path], output, error);
        Assert.True(promtool.StandardError == error.ToString(), $"{name}: stderr differs\npromtool:\n{promtool.StandardError}\nvigil:\n{error}");
        Assert.True(promtool.StandardOutput == output.ToString(), $"{name}: stdout differs\npromtool:\n{promtool.StandardOutput}\nvigil:\n{output}");
        Assert.Equal(promtool.ExitCode, exit);
    }
}
