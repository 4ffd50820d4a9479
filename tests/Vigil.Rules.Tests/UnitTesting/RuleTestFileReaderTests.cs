using Vigil.Rules.UnitTesting;

namespace Vigil.Rules.Tests.UnitTesting;

/// <summary>The file is read as strictly as promtool's yaml.UnmarshalStrict, with yaml.v2's wording.</summary>
public sealed class RuleTestFileReaderTests
{
    private static RuleTestFile Read(string yaml)
    {
        Assert.True(RuleTestFileReader.TryRead(yaml, out var file, out var error), error);
        return file;
    }

    private static string Error(string yaml)
    {
        Assert.False(RuleTestFileReader.TryRead(yaml, out _, out var error));
        return error!;
    }

    [Fact]
    public void Reads_every_field()
    {
        var file = Read("""
            rule_files: [a.yml, 'b/*.yml']
            evaluation_interval: 30s
            group_eval_order: [g1, g2]
            tests:
              - name: first
                interval: 1m
                external_labels: {region: eu}
                external_url: http://x
                input_series:
                  - series: 'm{a="b"}'
                    values: 1+1x3
                promql_expr_test:
                  - expr: m
                    eval_time: 1m30s
                    exp_samples:
                      - labels: 'm{a="b"}'
                        value: 2
                      - value: 1e3
                alert_rule_test:
                  - eval_time: 5m
                    alertname: High
                    exp_alerts:
                      - exp_labels: {severity: page}
                        exp_annotations: {summary: x}
            """);
        Assert.Equal(["a.yml", "b/*.yml"], file.RuleFiles);
        Assert.Equal(TimeSpan.FromSeconds(30), file.EvaluationInterval);
        Assert.Equal(["g1", "g2"], file.GroupEvalOrder);
        var group = Assert.Single(file.Tests);
        Assert.Equal("first", group.Name);
        Assert.Equal(TimeSpan.FromMinutes(1), group.Interval);
        Assert.Equal("eu", group.ExternalLabels["region"]);
        Assert.Equal("http://x", group.ExternalUrl);
        var series = Assert.Single(group.InputSeries);
        Assert.Equal(("m{a=\"b\"}", "1+1x3", 10), (series.Series, series.Values, series.Line));
        var test = Assert.Single(group.PromqlExprTests);
        Assert.Equal(TimeSpan.FromSeconds(90), test.EvalTime);
        Assert.Equal([new ExpectedSample("m{a=\"b\"}", 2), new ExpectedSample("", 1000)], test.ExpSamples);
        var alert = Assert.Single(group.AlertRuleTests);
        Assert.Equal("High", alert.AlertName);
        Assert.Equal("page", Assert.Single(alert.ExpAlerts).Labels["severity"]);
        Assert.Equal(TimeSpan.FromMinutes(5), group.MaxEvalTime);
    }

    [Fact]
    public void Evaluation_interval_defaults_to_one_minute() => Assert.Equal(TimeSpan.FromMinutes(1), Read("tests: []").EvaluationInterval);

    [Fact]
    public void An_empty_file_has_no_tests() => Assert.Empty(Read("").Tests);

    [Fact]
    public void Plural_keys_are_unknown_fields() => Assert.Equal(
        "yaml: unmarshal errors:\n  line 4: field promql_expr_tests not found in type main.testGroup",
        Error("tests:\n  - name: v\n    interval: 1m\n    promql_expr_tests:\n      - expr: m\n"));

    [Fact]
    public void Unknown_top_level_key() => Assert.Equal(
        "yaml: unmarshal errors:\n  line 1: field foo not found in type main.unitTestFile",
        Error("foo: 1\n"));

    [Fact]
    public void All_type_errors_are_reported_together() => Assert.Equal(
        "yaml: unmarshal errors:\n  line 3: field bogus not found in type main.testGroup\n  line 7: cannot unmarshal !!str `abc` into float64",
        Error("tests:\n  - interval: 1m\n    bogus: 1\n    promql_expr_test:\n      - expr: 1\n        exp_samples:\n          - value: abc\n"));

    [Fact]
    public void A_bad_duration_is_reported_alone() => Assert.Equal(
        "not a valid duration string: \"1x\"",
        Error("tests:\n  - name: v\n    interval: 1x\n    bogus: 1\n"));

    [Fact]
    public void Repeated_keys_are_errors() => Assert.Equal(
        "yaml: unmarshal errors:\n  line 3: field interval already set in type main.testGroup",
        Error("tests:\n  - interval: 1m\n    interval: 2m\n"));

    [Fact]
    public void Syntax_errors_name_the_line() => Assert.Matches("^yaml: line [0-9]+: did not find expected node content$", Error("tests: [\n"));

    [Fact]
    public void Repeated_keys_in_label_maps_are_errors() => Assert.Equal(
        "yaml: unmarshal errors:\n  line 4: key \"a\" already set in map",
        Error("tests:\n  - external_labels:\n      a: x\n      a: y\n"));

    // yaml.v2 resolves the value's type as YAML 1.1 with Go's integer syntax; quoted text is a string.
    [Theory]
    [InlineData("1", 1)]
    [InlineData("010", 8)]
    [InlineData("1_000", 1000)]
    [InlineData("0b11", 3)]
    [InlineData("0o17", 15)]
    [InlineData("0x1F", 31)]
    [InlineData("-0x10", -16)]
    [InlineData("+5", 5)]
    [InlineData("1.", 1)]
    [InlineData("0.5e1", 5)]
    [InlineData("1e+3", 1000)]
    [InlineData("~", 0)]
    [InlineData("", 0)]
    [InlineData(".inf", double.PositiveInfinity)]
    [InlineData("-.Inf", double.NegativeInfinity)]
    [InlineData(".NaN", double.NaN)]
    public void Values_resolve_like_yaml_v2(string text, double expected)
    {
        var file = Read($"tests:\n  - promql_expr_test:\n      - exp_samples:\n          - value: {text}\n");
        Assert.Equal(expected, file.Tests[0].PromqlExprTests[0].ExpSamples[0].Value);
    }

    [Theory]
    [InlineData("'1'", "!!str `1`")]
    [InlineData("Inf", "!!str `Inf`")]
    [InlineData("true", "!!bool `true`")]
    [InlineData("1:20", "!!str `1:20`")]
    public void Values_that_are_not_numbers(string text, string what) => Assert.Equal(
        $"yaml: unmarshal errors:\n  line 4: cannot unmarshal {what} into float64",
        Error($"tests:\n  - promql_expr_test:\n      - exp_samples:\n          - value: {text}\n"));

    [Fact]
    public void Numbers_are_fine_where_text_is_expected()
    {
        var file = Read("tests:\n  - input_series:\n      - series: m\n        values: 1\n    promql_expr_test:\n      - expr: 1\n        eval_time: 0\n");
        Assert.Equal("1", file.Tests[0].InputSeries[0].Values);
        Assert.Equal("1", file.Tests[0].PromqlExprTests[0].Expr);
    }
}
