using Vigil.PromQL.Parser;
using Vigil.Rules.Slo;
using YamlDotNet.RepresentationModel;

namespace Vigil.Rules.Tests.Slo;

public sealed class SloCompilerTests
{
    private const string Spec = """
        version: vigil/v1
        service: shop
        labels:
          team: payments
        slos:
          - name: availability
            objective: 99.95
            sli:
              events:
                error_query: |
                  sum(rate(http_requests_total{job="shop", code=~"5.."}[{{.window}}]))
                total_query: sum(rate(http_requests_total{job="shop"}[{{.window}}]))
            alerting:
              name: ShopAvailabilityBurn
              labels:
                category: availability
                severity: critical
              annotations:
                runbook_url: https://runbooks.example/shop
              ticket_alert:
                labels:
                  severity: warning
                annotations:
                  summary: Shop is slowly burning its budget
          - name: latency
            objective: 99
            window: 28d
            sli:
              latency:
                metric: http_request_duration_seconds
                matchers: ['job="shop"']
                threshold: 1
            alerting:
              name: ShopLatencyBurn
              page_alert:
                disable: true
          - name: quiet
            objective: 90
            sli:
              latency:
                metric: queue_wait_seconds
                threshold: 0.25
            alerting:
              disable: true
        """;

    private static IReadOnlyList<SloRuleGroup> Compile(string yaml = Spec)
    {
        Assert.True(SloSpecReader.TryParse(yaml, "shop.yml", out var spec, out var errors), string.Join("\n", errors));
        return SloCompiler.Compile(spec);
    }

    [Fact]
    public void Each_SLO_gets_SLI_metadata_and_alert_groups()
    {
        Assert.Equal(
            [
                "slo-sli-recordings-shop-availability", "slo-meta-recordings-shop-availability", "slo-alerts-shop-availability",
                "slo-sli-recordings-shop-latency", "slo-meta-recordings-shop-latency", "slo-alerts-shop-latency",
                "slo-sli-recordings-shop-quiet", "slo-meta-recordings-shop-quiet",
            ],
            Compile().Select(g => g.Name));
    }

    [Fact]
    public void SLI_series_cover_every_alert_window_and_the_compliance_window()
    {
        var groups = Compile();
        Assert.Equal(
            ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"],
            groups[0].Rules.Select(r => r.Record!["slo:sli_error:ratio_rate".Length..]));
        Assert.Equal("slo:sli_error:ratio_rate28d", groups[3].Rules[^1].Record);
        foreach (var rule in groups[0].Rules)
        {
            var labels = rule.Labels.ToDictionary();
            Assert.Equal("shop-availability", labels["slo_id"]);
            Assert.Equal("shop", labels["slo_service"]);
            Assert.Equal("availability", labels["slo_name"]);
            Assert.Equal(rule.Record!["slo:sli_error:ratio_rate".Length..], labels["slo_window"]);
            Assert.Equal("payments", labels["team"]);
        }
    }

    [Fact]
    public void The_compliance_window_averages_the_5m_series_rather_than_ranging_over_raw_counters()
    {
        var window = Compile()[3].Rules[^1];
        Assert.Equal(
            "sum_over_time(slo:sli_error:ratio_rate5m{slo_id=\"shop-latency\", slo_service=\"shop\", slo_name=\"latency\"}[28d])\n"
            + "/ ignoring (slo_window)\n"
            + "count_over_time(slo:sli_error:ratio_rate5m{slo_id=\"shop-latency\", slo_service=\"shop\", slo_name=\"latency\"}[28d])",
            window.Expr);
    }

    [Fact]
    public void Events_SLI_counts_no_error_series_as_zero_and_no_traffic_as_no_sample()
    {
        Assert.Equal(
            """
            (
              (sum(rate(http_requests_total{job="shop", code=~"5.."}[1h])))
              or
              (sum(rate(http_requests_total{job="shop"}[1h]))) * 0
            )
            /
            (
              (sum(rate(http_requests_total{job="shop"}[1h]))) > 0
            )
            """,
            Compile()[0].Rules[2].Expr);
    }

    [Fact]
    public void Latency_SLI_reads_the_threshold_bucket_in_both_spellings_of_a_whole_number()
    {
        Assert.Equal(
            """
            1 - (
              sum(rate(http_request_duration_seconds_bucket{job="shop", le=~"1|1\\.0"}[5m]))
              /
              (sum(rate(http_request_duration_seconds_count{job="shop"}[5m])) > 0)
            )
            """,
            Compile()[3].Rules[0].Expr);
        Assert.Equal(
            """
            1 - (
              sum(rate(queue_wait_seconds_bucket{le="0.25"}[3d]))
              /
              (sum(rate(queue_wait_seconds_count[3d])) > 0)
            )
            """,
            Compile()[6].Rules[6].Expr);
    }

    [Fact]
    public void Metadata_series_hold_exact_decimal_objective_and_budget()
    {
        var meta = Compile()[1].Rules;
        Assert.Equal(
            [
                "slo:objective:ratio", "slo:error_budget:ratio", "slo:time_period:days",
                "slo:current_burn_rate:ratio", "slo:period_burn_rate:ratio", "slo:period_error_budget_remaining:ratio",
            ],
            meta.Select(r => r.Record));
        Assert.Equal("vector(0.9995)", meta[0].Expr);
        Assert.Equal("vector(0.0005)", meta[1].Expr);
        Assert.Equal("vector(30)", meta[2].Expr);
        Assert.Equal("vector(28)", Compile()[4].Rules[2].Expr);
        Assert.Equal(
            "slo:sli_error:ratio_rate30d{slo_id=\"shop-availability\", slo_service=\"shop\", slo_name=\"availability\"}\n"
            + "/ on (slo_id, slo_service, slo_name) group_left\n"
            + "slo:error_budget:ratio{slo_id=\"shop-availability\", slo_service=\"shop\", slo_name=\"availability\"}",
            meta[4].Expr);
        Assert.Equal("1 - slo:period_burn_rate:ratio{slo_id=\"shop-availability\", slo_service=\"shop\", slo_name=\"availability\"}", meta[5].Expr);
    }

    [Fact]
    public void Page_alert_is_fast_burn_over_1h_and_5m_or_6h_and_30m()
    {
        var page = Compile()[2].Rules[0];
        Assert.Equal("ShopAvailabilityBurn", page.Alert);
        const string F = "{slo_id=\"shop-availability\", slo_service=\"shop\", slo_name=\"availability\"}";
        Assert.Equal(
            "(\n"
            + $"  max without (slo_window) (slo:sli_error:ratio_rate5m{F} > (14.4 * 0.0005))\n  and\n"
            + $"  max without (slo_window) (slo:sli_error:ratio_rate1h{F} > (14.4 * 0.0005))\n"
            + ")\nor\n(\n"
            + $"  max without (slo_window) (slo:sli_error:ratio_rate30m{F} > (6 * 0.0005))\n  and\n"
            + $"  max without (slo_window) (slo:sli_error:ratio_rate6h{F} > (6 * 0.0005))\n"
            + ")",
            page.Expr);
        // The spec's alerting.labels override the default severity; slo_severity always says which alert it is.
        Assert.Equal([new("category", "availability"), new("severity", "critical"), new("slo_severity", "page")], page.Labels);
        var annotations = page.Annotations.ToDictionary();
        Assert.Equal("https://runbooks.example/shop", annotations["runbook_url"]);
        Assert.Equal("{{ $labels.slo_service }} {{ $labels.slo_name }} SLO is burning its error budget fast", annotations["summary"]);
        Assert.Contains("(99.95% over 30d) has spent over 2% of its 30d error budget in 1h", annotations["description"], StringComparison.Ordinal);
    }

    [Fact]
    public void Ticket_alert_is_slow_burn_over_1d_and_2h_or_3d_and_6h_with_its_own_labels()
    {
        var ticket = Compile()[2].Rules[1];
        Assert.Contains("slo:sli_error:ratio_rate2h{slo_id=\"shop-availability\", slo_service=\"shop\", slo_name=\"availability\"} > (3 * 0.0005)", ticket.Expr, StringComparison.Ordinal);
        Assert.Contains("slo:sli_error:ratio_rate1d{slo_id=\"shop-availability\", slo_service=\"shop\", slo_name=\"availability\"} > (3 * 0.0005)", ticket.Expr, StringComparison.Ordinal);
        Assert.Contains("slo:sli_error:ratio_rate6h{slo_id=\"shop-availability\", slo_service=\"shop\", slo_name=\"availability\"} > (1 * 0.0005)", ticket.Expr, StringComparison.Ordinal);
        Assert.Contains("slo:sli_error:ratio_rate3d{slo_id=\"shop-availability\", slo_service=\"shop\", slo_name=\"availability\"} > (1 * 0.0005)", ticket.Expr, StringComparison.Ordinal);
        Assert.Equal([new("category", "availability"), new("severity", "warning"), new("slo_severity", "ticket")], ticket.Labels);
        Assert.Equal("Shop is slowly burning its budget", ticket.Annotations.ToDictionary()["summary"]);
    }

    [Fact]
    public void Disabled_alerts_are_left_out()
    {
        var latencyAlerts = Compile()[5];
        var only = Assert.Single(latencyAlerts.Rules);
        Assert.Equal([new("severity", "ticket"), new("slo_severity", "ticket")], only.Labels);
        // A 28d window: 3x over 1d spends 3/28 of the budget.
        Assert.Contains("has spent over 10.71% of its 28d error budget in 1d", only.Annotations.ToDictionary()["description"], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_expression_parses_as_an_instant_vector()
    {
        foreach (var group in Compile())
        {
            foreach (var rule in group.Rules)
            {
                var expr = PromQLParser.ParseExpr(rule.Expr);
                Assert.Equal(Vigil.PromQL.Ast.ValueType.Vector, expr.Type);
            }
        }
    }

    [Fact]
    public void The_written_file_reads_back_as_the_same_rules()
    {
        var groups = Compile();
        var text = SloRuleFileWriter.Write(groups, "generated\nfor a test");
        Assert.StartsWith("# generated\n# for a test\ngroups:\n", text, StringComparison.Ordinal);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var yamlGroups = (YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode).Children["groups"];
        Assert.Equal(groups.Count, yamlGroups.Children.Count);
        for (var g = 0; g < groups.Count; g++)
        {
            var yamlGroup = (YamlMappingNode)yamlGroups.Children[g];
            Assert.Equal(groups[g].Name, ((YamlScalarNode)yamlGroup.Children["name"]).Value);
            var rules = (YamlSequenceNode)yamlGroup.Children["rules"];
            for (var r = 0; r < groups[g].Rules.Count; r++)
            {
                var rule = groups[g].Rules[r];
                var yamlRule = (YamlMappingNode)rules.Children[r];
                Assert.Equal(rule.Expr, ((YamlScalarNode)yamlRule.Children["expr"]).Value);
                AssertMap(rule.Labels, yamlRule, "labels");
                AssertMap(rule.Annotations, yamlRule, "annotations");
            }
        }
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("5m")]
    [InlineData("true")]
    [InlineData("No")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData(" leading space")]
    [InlineData("a: b")]
    [InlineData("a #b")]
    [InlineData("{{ $labels.job }} is down")]
    [InlineData("- dash")]
    [InlineData("'quoted'")]
    [InlineData("\"double\"")]
    [InlineData("back\\slash")]
    [InlineData("two\nlines")]
    [InlineData("tab\there")]
    [InlineData("ünïcödé ✓")]
    [InlineData("https://runbooks.example/x#anchor")]
    [InlineData("0x1F")]
    [InlineData(".inf")]
    public void Scalars_read_back_as_written(string value)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader("k: " + SloRuleFileWriter.Scalar(value) + "\n"));
        var node = (YamlScalarNode)((YamlMappingNode)stream.Documents[0].RootNode).Children["k"];
        Assert.Equal(value, node.Value);
        // A plain scalar that YAML would resolve to a non-string (bool, null, number) must have been quoted.
        if (node.Style == YamlDotNet.Core.ScalarStyle.Plain)
        {
            Assert.DoesNotMatch("^(true|false|yes|no|on|off|null|~|[-+.0-9].*)$", value.ToLowerInvariant());
        }
    }

    private static void AssertMap(IReadOnlyList<KeyValuePair<string, string>> expected, YamlMappingNode rule, string key)
    {
        if (expected.Count == 0)
        {
            Assert.False(rule.Children.ContainsKey(key));
            return;
        }
        var map = (YamlMappingNode)rule.Children[key];
        Assert.Equal(
            expected,
            map.Children.Select(e => new KeyValuePair<string, string>(((YamlScalarNode)e.Key).Value!, ((YamlScalarNode)e.Value).Value!)));
    }
}
