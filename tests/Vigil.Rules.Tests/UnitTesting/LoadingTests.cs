using Vigil.Model;
using Vigil.Rules.UnitTesting;
using Vigil.Testing;

namespace Vigil.Rules.Tests.UnitTesting;

/// <summary>What the queries see: promtool's loading rules, checked on the storage handed to the engine.</summary>
public sealed class LoadingTests
{
    private static (FakeEngine Engine, int Exit, string Output) Run(string yaml, FakeEngine engine)
    {
        using var dir = new TempDirectory("vigil-rules-loading");
        var path = dir.File("t.yml");
        File.WriteAllText(path, yaml);
        var output = new StringWriter();
        var exit = engine.Run([path], output, output);
        return (engine, exit, output.ToString());
    }

    [Fact]
    public void Samples_stop_at_the_last_evaluation_step_at_or_before_the_largest_eval_time()
    {
        // eval_time 150s with a 1m evaluation interval: the loop's last step is 2m, so 3m and later never load,
        // even for the check at 30s.
        var engine = new FakeEngine().Answer("m", 30_000).Answer("m", 150_000);
        var (_, exit, output) = Run("""
            tests:
              - interval: 1m
                input_series:
                  - series: m
                    values: '0 1 2 3 4 5'
                promql_expr_test:
                  - expr: m
                    eval_time: 30s
                  - expr: m
                    eval_time: 150s
            """, engine);
        Assert.True(exit == 0, output);
        foreach (var call in engine.Calls)
        {
            Assert.Equal([new Sample(0, 0), new Sample(60_000, 1), new Sample(120_000, 2)], FakeEngine.SamplesOf(call.Storage, "m"));
        }
    }

    [Fact]
    public void The_evaluation_interval_sets_the_steps()
    {
        var engine = new FakeEngine().Answer("m", 100_000);
        Run("""
            evaluation_interval: 45s
            tests:
              - interval: 10s
                input_series:
                  - series: m
                    values: '0+1x20'
                promql_expr_test:
                  - expr: m
                    eval_time: 100s
            """, engine);
        // Steps at 0, 45s, 90s: samples up to 90s.
        Assert.Equal(90_000, FakeEngine.SamplesOf(Assert.Single(engine.Calls).Storage, "m")[^1].TimestampMs);
    }

    [Fact]
    public void Gaps_skip_steps_and_stale_is_a_sample()
    {
        var engine = new FakeEngine().Answer("m", 600_000);
        Run("""
            tests:
              - interval: 1m
                input_series:
                  - series: m
                    values: '1 _ _x2 stale 5'
                promql_expr_test:
                  - expr: m
                    eval_time: 10m
            """, engine);
        var samples = FakeEngine.SamplesOf(Assert.Single(engine.Calls).Storage, "m");
        Assert.Equal([0L, 240_000, 300_000], samples.Select(s => s.TimestampMs));
        Assert.True(StaleMarker.IsStale(samples[1].Value));
    }

    [Fact]
    public void A_series_listed_twice_keeps_its_last_values()
    {
        var engine = new FakeEngine().Answer("m", 60_000);
        Run("""
            tests:
              - interval: 1m
                input_series:
                  - series: m
                    values: '1 2 3'
                  - series: m
                    values: '5 6 7'
                promql_expr_test:
                  - expr: m
                    eval_time: 1m
            """, engine);
        Assert.Equal([5.0, 6.0], FakeEngine.SamplesOf(Assert.Single(engine.Calls).Storage, "m").Select(s => s.Value));
    }

    [Fact]
    public void Without_an_interval_every_value_lands_on_time_zero_and_the_first_stays()
    {
        var engine = new FakeEngine().Answer("m", 60_000);
        Run("""
            tests:
              - input_series:
                  - series: m
                    values: '1 2 3'
                promql_expr_test:
                  - expr: m
                    eval_time: 1m
            """, engine);
        Assert.Equal([new Sample(0, 1)], FakeEngine.SamplesOf(Assert.Single(engine.Calls).Storage, "m"));
    }

    [Fact]
    public void Each_group_has_its_own_storage()
    {
        var engine = new FakeEngine().Answer("m", 0).Answer("n", 0);
        Run("""
            tests:
              - interval: 1m
                input_series: [{series: m, values: '1'}]
                promql_expr_test: [{expr: m, eval_time: 0, exp_samples: []}]
              - interval: 1m
                input_series: [{series: n, values: '1'}]
                promql_expr_test: [{expr: n, eval_time: 0, exp_samples: []}]
            """, engine);
        Assert.Empty(FakeEngine.SamplesOf(engine.Calls[1].Storage, "m"));
        Assert.Single(FakeEngine.SamplesOf(engine.Calls[1].Storage, "n"));
    }

    [Fact]
    public void A_bad_series_names_the_file_line_test_and_series_and_skips_only_its_group()
    {
        var engine = new FakeEngine().Answer("n", 0, (Labels.Of("__name__", "n"), 1));
        var (_, exit, output) = Run("""
            tests:
              - name: broken
                interval: 1m
                input_series:
                  - series: 'm{a="b"}'
                    values: '1 NaNx3'
                promql_expr_test:
                  - expr: m
                    eval_time: 0
              - name: fine
                interval: 1m
                input_series: [{series: n, values: '1'}]
                promql_expr_test: [{expr: n, eval_time: 0, exp_samples: [{labels: n, value: 1}]}]
            """, engine);
        Assert.Equal(1, exit);
        Assert.Contains("t.yml:5: test \"broken\": input series \"m{a=\\\"b\\\"} 1 NaNx3\": 1:12: parse error: unexpected identifier \"NaNx3\" in series values, expected number or \"stale\"", output, StringComparison.Ordinal);
        Assert.Equal("n", Assert.Single(engine.Calls).Expr);
    }

    [Fact]
    public void A_rule_file_pattern_matching_nothing_is_a_warning_not_a_failure()
    {
        // promtool 2.42: "  WARNING: no file match pattern rules.yml" on stderr, and the file passes.
        using var dir = new TempDirectory("vigil-rules-loading");
        var path = dir.File("t.yml");
        File.WriteAllText(path, "rule_files: [rules.yml]\ntests: []\n");
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, RuleUnitTestRunner.Run([path], output, error));
        Assert.Equal($"  WARNING: no file match pattern {Path.Combine(dir.Path, "rules.yml")}\n", error.ToString().ReplaceLineEndings("\n"));
        Assert.Contains("  SUCCESS", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_alert_test_without_rules_sees_no_alerts_in_promtools_words()
    {
        var (_, exit, output) = Run("""
            tests:
              - name: alerts
                interval: 1m
                alert_rule_test:
                  - eval_time: 1m
                    alertname: X
                    exp_alerts:
                      - exp_labels: {a: b}
            """, new FakeEngine());
        Assert.Equal(1, exit);
        // Byte for byte what promtool test rules 2.42 prints for this file.
        Assert.Contains("""
                name: alerts,
                alertname: X, time: 1m, 
                    exp:[
                        0:
                          Labels:{a="b", alertname="X"}
                          Annotations:{}
                        ], 
                    got:[]
            """, output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_group_in_evaluation_order()
    {
        var (_, exit, output) = Run("group_eval_order: [a, a]\ntests: []\n", new FakeEngine());
        Assert.Equal(1, exit);
        Assert.Contains("group name repeated in evaluation order: a", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_fails_with_go_wording()
    {
        var output = new StringWriter();
        Assert.Equal(1, RuleUnitTestRunner.Run(["/nonexistent/x.yml"], output));
        Assert.Contains("open /nonexistent/x.yml: no such file or directory", output.ToString(), StringComparison.Ordinal);
    }
}
