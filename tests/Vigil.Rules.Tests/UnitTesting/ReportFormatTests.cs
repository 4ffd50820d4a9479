using Vigil.Model;
using Vigil.Testing;

namespace Vigil.Rules.Tests.UnitTesting;

/// <summary>
/// The runner's report, byte for byte against the real <c>promtool test rules</c> on the same files. The
/// engine is replaced by canned answers (what Prometheus returns for each query), so these tests check the
/// runner alone: loading, comparison, wording, layout, streams and exit code.
/// </summary>
public sealed class ReportFormatTests
{
    private const string FailingFile = """
        evaluation_interval: 1m
        tests:
          - name: format
            interval: 1m
            input_series:
              - series: 'm{a="b"}'
                values: '1 2 3'
              - series: 'm{a="c"}'
                values: '4 5 6'
            promql_expr_test:
              - expr: m / 3
                eval_time: 1m
                exp_samples:
                  - labels: '{a="c"}'
                    value: 1
                  - labels: '{a="b"}'
                    value: 0.6666666666666666
              - expr: m{a="nope"}
                eval_time: 90s
                exp_samples:
                  - labels: 'm{a="nope"}'
                    value: -1e100
              - expr: m{a="b"} * 0
                eval_time: 2m
                exp_samples: []
              - expr: scalar(m{a="b"})
                eval_time: 2m
                exp_samples:
                  - value: 4
              - expr: m{a="b"} / 0
                eval_time: 2m
                exp_samples:
                  - labels: '{a="b"}'
                    value: -.inf
              - expr: m{a="b"} * NaN
                eval_time: 2m
                exp_samples:
                  - labels: '{a="b"}'
                    value: .nan
              - expr: label_replace(m{a="b"}, "q", "say \"hi\"\n", "", "")
                eval_time: 0s
                exp_samples:
                  - labels: 'm{a="b"}'
                    value: 1
              - expr: m +
                eval_time: 1m
                exp_samples: []
              - expr: m[1m]
                eval_time: 1m
                exp_samples: []
              - expr: m{a="b"}
                eval_time: 0
                exp_samples:
                  - labels: 'm{a="b"}'
                    value: 1
              - expr: m{a="b"}
                eval_time: 1m
                exp_samples:
                  - labels: 'm{'
                    value: 1
              - expr: -m{a="b"} * 0
                eval_time: 1m
                exp_samples:
                  - labels: '{a="b"}'
                    value: 0
          - name: second group
            interval: 1m
            input_series:
              - series: 'n'
                values: '1'
            promql_expr_test:
              - expr: n
                eval_time: 0
                exp_samples:
                  - labels: 'n'
                    value: 2
        """;

    private const string PassingFile = """
        tests:
          - interval: 1m
            input_series:
              - series: 'n'
                values: '1'
            promql_expr_test:
              - expr: n
                eval_time: 0
                exp_samples:
                  - labels: 'n'
                    value: 1
        """;

    private static FakeEngine PrometheusAnswers() => new FakeEngine()
        .Answer("m / 3", 60_000, (Labels.Of("a", "b"), 2.0 / 3), (Labels.Of("a", "c"), 5.0 / 3))
        .Answer("m{a=\"nope\"}", 90_000)
        .Answer("m{a=\"b\"} * 0", 120_000, (Labels.Of("a", "b"), 0))
        .AnswerScalar("scalar(m{a=\"b\"})", 120_000, 3)
        .Answer("m{a=\"b\"} / 0", 120_000, (Labels.Of("a", "b"), double.PositiveInfinity))
        .Answer("m{a=\"b\"} * NaN", 120_000, (Labels.Of("a", "b"), double.NaN))
        .Answer("label_replace(m{a=\"b\"}, \"q\", \"say \\\"hi\\\"\\n\", \"\", \"\")", 0, (Labels.Of("__name__", "m", "a", "b", "q", "say \"hi\"\n"), 1))
        .Fail("m +", 60_000, "1:4: parse error: unexpected end of input")
        .AnswerMatrix("m[1m]", 60_000)
        .Answer("m{a=\"b\"}", 0, (Labels.Of("__name__", "m", "a", "b"), 1))
        .Answer("m{a=\"b\"}", 60_000, (Labels.Of("__name__", "m", "a", "b"), 2))
        .Answer("-m{a=\"b\"} * 0", 60_000, (Labels.Of("a", "b"), -0.0))
        .Answer("n", 0, (Labels.Of("__name__", "n"), 1));

    [Fact]
    public async Task Report_matches_promtool_stream_for_stream()
    {
        using var dir = new TempDirectory("vigil-rules-report");
        var failing = dir.File("failing.yml");
        var passing = dir.File("passing.yml");
        var broken = dir.File("broken.yml");
        await File.WriteAllTextAsync(failing, FailingFile);
        await File.WriteAllTextAsync(passing, PassingFile);
        await File.WriteAllTextAsync(broken, "tests:\n  - interval: 1m\n    promql_expr_tests: []\n");
        string[] files = [failing, passing, broken];

        var promtool = ExternalTool.Require("promtool", "prometheus");
        var expected = await ExternalTool.RunAsync(promtool, ["test", "rules", .. files]);

        var output = new StringWriter();
        var error = new StringWriter();
        var exit = PrometheusAnswers().Run(files, output, error);

        Assert.Equal(expected.StandardOutput, output.ToString());
        Assert.Equal(expected.StandardError, error.ToString());
        Assert.Equal(expected.ExitCode, exit);
        Assert.Equal(1, exit);
    }

    [Fact]
    public async Task Passing_files_exit_zero_like_promtool()
    {
        using var dir = new TempDirectory("vigil-rules-report");
        var passing = dir.File("passing.yml");
        await File.WriteAllTextAsync(passing, PassingFile);

        var promtool = ExternalTool.Require("promtool", "prometheus");
        var expected = await ExternalTool.RunAsync(promtool, ["test", "rules", passing]);

        var output = new StringWriter();
        var error = new StringWriter();
        var exit = PrometheusAnswers().Run([passing], output, error);

        Assert.Equal((0, expected.StandardOutput, ""), (exit, output.ToString(), error.ToString()));
        Assert.Equal(0, expected.ExitCode);
    }

    [Fact]
    public void One_writer_gets_the_report_in_order()
    {
        using var dir = new TempDirectory("vigil-rules-report");
        var passing = dir.File("passing.yml");
        var broken = dir.File("broken.yml");
        File.WriteAllText(passing, PassingFile);
        File.WriteAllText(broken, "foo: 1\n");
        var output = new StringWriter();
        var exit = PrometheusAnswers().Run([passing, broken], output, output);
        Assert.Equal(1, exit);
        Assert.Equal(
            $"Unit Testing:  {passing}\n  SUCCESS\n\nUnit Testing:  {broken}\n  FAILED:\n" +
            "yaml: unmarshal errors:\n  line 1: field foo not found in type main.unitTestFile\n\n\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_public_single_writer_overload_interleaves_both_streams()
    {
        using var dir = new TempDirectory("vigil-rules-report");
        var empty = dir.File("empty.yml");
        var broken = dir.File("broken.yml");
        File.WriteAllText(empty, "tests: []\n");
        File.WriteAllText(broken, "tests:\n  - interval: 1x\n");
        var output = new StringWriter();
        Assert.Equal(1, Rules.UnitTesting.RuleUnitTestRunner.Run([empty, broken], output));
        Assert.Equal(
            $"Unit Testing:  {empty}\n  SUCCESS\n\nUnit Testing:  {broken}\n  FAILED:\nnot a valid duration string: \"1x\"\n\n\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Report_on_the_real_engine_matches_promtool()
    {
        using var dir = new TempDirectory("vigil-rules-report");
        var failing = dir.File("failing.yml");
        await File.WriteAllTextAsync(failing, FailingFile);

        var promtool = ExternalTool.Require("promtool", "prometheus");
        var expected = await ExternalTool.RunAsync(promtool, ["test", "rules", failing]);

        var output = new StringWriter();
        var error = new StringWriter();
        var exit = Rules.UnitTesting.RuleUnitTestRunner.Run([failing], output, error);

        Assert.Equal(expected.StandardError, error.ToString());
        Assert.Equal(expected.StandardOutput, output.ToString());
        Assert.Equal(expected.ExitCode, exit);
    }

    // promtool's engine may hold at most 10,000 samples at once: one series of 12,001 samples in a range
    // fails the query, two series of 6,001 each do not (a range function holds one series at a time).
    [Fact]
    public async Task The_sample_limit_matches_promtool()
    {
        using var dir = new TempDirectory("vigil-rules-report");
        var file = dir.File("limit.yml");
        await File.WriteAllTextAsync(file, """
            tests:
              - interval: 1m
                input_series:
                  - series: 'big'
                    values: '0+1x12000'
                  - series: 'half{a="1"}'
                    values: '0+1x6000'
                  - series: 'half{a="2"}'
                    values: '0+1x6000'
                promql_expr_test:
                  - expr: count_over_time(big[10d])
                    eval_time: 200h
                    exp_samples: []
                  - expr: sum_over_time(big[10d:1m])
                    eval_time: 200h
                    exp_samples: []
                  - expr: count_over_time(half[10d])
                    eval_time: 200h
                    exp_samples:
                      - labels: '{a="1"}'
                        value: 6001
                      - labels: '{a="2"}'
                        value: 6001
            """);

        var promtool = ExternalTool.Require("promtool", "prometheus");
        var expected = await ExternalTool.RunAsync(promtool, ["test", "rules", file]);

        var output = new StringWriter();
        var error = new StringWriter();
        var exit = Rules.UnitTesting.RuleUnitTestRunner.Run([file], output, error);

        Assert.Contains("err: query processing would load too many samples into memory in query execution", expected.StandardError, StringComparison.Ordinal);
        Assert.Equal(expected.StandardError, error.ToString());
        Assert.Equal(expected.ExitCode, exit);
    }
}
