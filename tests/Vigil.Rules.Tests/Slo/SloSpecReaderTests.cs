using Vigil.Rules.Slo;

namespace Vigil.Rules.Tests.Slo;

public sealed class SloSpecReaderTests
{
    private const string Valid = """
        version: vigil/v1
        service: shop
        labels:
          team: payments
        slos:
          - name: availability
            objective: 99.9
            description: Requests without a 5xx.
            sli:
              events:
                error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
                total_query: sum(rate(http_requests_total[{{ .window }}]))
            labels:
              tier: "1"
            alerting:
              name: ShopAvailabilityBurn
              labels:
                category: availability
              annotations:
                runbook_url: https://runbooks.example/shop
              page_alert:
                labels:
                  severity: critical
              ticket_alert:
                disable: true
          - name: latency
            objective: 99
            window: 28d
            sli:
              latency:
                metric: http_request_duration_seconds
                matchers:
                  - job="shop"
                  - route!~"/metrics|/health"
                threshold: 0.5
            alerting:
              disable: true
        """;

    [Fact]
    public void A_valid_spec_reads_every_field()
    {
        Assert.True(SloSpecReader.TryParse(Valid, "shop.yml", out var spec, out var errors), string.Join("\n", errors));
        Assert.Equal("shop", spec.Service);
        Assert.Equal(2, spec.Slos.Count);

        var availability = spec.Slos[0];
        Assert.Equal("availability", availability.Name);
        Assert.Equal(99.9m, availability.Objective);
        Assert.Equal(30, availability.WindowDays);
        Assert.Equal("Requests without a 5xx.", availability.Description);
        Assert.Equal(6, availability.Line);
        Assert.Equal([new("team", "payments"), new("tier", "1")], availability.Labels);
        var events = Assert.IsType<EventsIndicator>(availability.Indicator);
        Assert.Equal("sum(rate(http_requests_total{code=~\"5..\"}[{{.window}}]))", events.ErrorQuery);
        Assert.Equal("ShopAvailabilityBurn", availability.Alerting.Name);
        Assert.Equal([new("category", "availability")], availability.Alerting.Labels);
        Assert.Equal([new("runbook_url", "https://runbooks.example/shop")], availability.Alerting.Annotations);
        Assert.Equal([new("severity", "critical")], availability.Alerting.Page.Labels);
        Assert.False(availability.Alerting.Page.Disable);
        Assert.True(availability.Alerting.Ticket.Disable);

        var latency = spec.Slos[1];
        Assert.Equal(28, latency.WindowDays);
        var histogram = Assert.IsType<LatencyIndicator>(latency.Indicator);
        Assert.Equal("http_request_duration_seconds", histogram.Metric);
        Assert.Equal(["job=\"shop\"", "route!~\"/metrics|/health\""], histogram.Matchers);
        Assert.Equal(0.5, histogram.Threshold);
        Assert.Equal(SloSpecReader.DefaultBuckets, histogram.Buckets);
        Assert.True(latency.Alerting.Disable);
    }

    [Fact]
    public void The_committed_demoapi_spec_is_valid()
    {
        Assert.True(SloSpecReader.TryLoadFile(Vigil.Testing.RepoRoot.Combine("monitoring", "slos", "demoapi.yml"), out var spec, out var errors), string.Join("\n", errors));
        Assert.Equal(["requests-availability", "requests-latency"], spec.Slos.Select(s => s.Name));
    }

    public static TheoryData<string, string, string> InvalidSpecs() => new()
    {
        {
            "unknown field",
            Slo("    objectiv: 99.9\n    objective: 99.9"),
            "x.yml:5: slos[0].objectiv: unknown field (expected one of: name, objective, description, sli, window, labels, alerting)"
        },
        {
            "unknown top-level field",
            "version: vigil/v1\nservice: s\nslo: []\nslos:\n  - name: a\n    objective: 99\n    sli: {events: {error_query: 'x[{{.window}}]', total_query: 'y[{{.window}}]'}}\n    alerting: {disable: true}\n",
            "x.yml:3: slo: unknown field (expected one of: version, service, labels, slos)"
        },
        { "objective 100", Slo("    objective: 100"), "x.yml:5: slos[0].objective: must be greater than 0 and less than 100 (a percentage), got 100" },
        { "objective 0", Slo("    objective: 0"), "x.yml:5: slos[0].objective: must be greater than 0 and less than 100 (a percentage), got 0" },
        { "objective negative", Slo("    objective: -5"), "x.yml:5: slos[0].objective: must be greater than 0 and less than 100 (a percentage), got -5" },
        { "objective as a ratio word", Slo("    objective: high"), "x.yml:5: slos[0].objective: must be a number in percent (e.g. 99.9), got \"high\"" },
        { "objective missing", Slo(""), "x.yml:4: slos[0].objective: missing: the objective in percent, e.g. 99.9" },
        { "window not allowed", Slo("    objective: 99\n    window: 7d"), "x.yml:6: slos[0].window: must be 28d or 30d, got \"7d\"" },
        {
            "bad PromQL, position in the query as written",
            Slo("    objective: 99", errorQuery: "sum(rate(errors[{{.window}}])) +"),
            "x.yml:8: slos[0].sli.events.error_query: invalid PromQL (with {{.window}} as 5m): 1:33: parse error: unexpected end of input"
        },
        {
            "bad PromQL after the placeholder, on the second line of a literal block",
            Slo("    objective: 99", errorQuery: "|\n          sum(rate(errors[{{.window}}]))\n            / sum(rate(total[{{.window}}])) bogus"),
            "x.yml:10: slos[0].sli.events.error_query: invalid PromQL (with {{.window}} as 5m): 2:35: parse error: unexpected identifier \"bogus\""
        },
        {
            "no window placeholder",
            Slo("    objective: 99", totalQuery: "sum(rate(total[5m]))"),
            "x.yml:9: slos[0].sli.events.total_query: must use the {{.window}} placeholder as its range (e.g. rate(x[{{.window}}])), so each window gets its own rate"
        },
        {
            "unknown placeholder",
            Slo("    objective: 99", totalQuery: "sum(rate(total[{{.range}}]))"),
            "x.yml:9: slos[0].sli.events.total_query: unknown placeholder {{.range}}: only {{.window}} is supported"
        },
        {
            "a range vector is not an SLI",
            Slo("    objective: 99", totalQuery: "total[{{.window}}]"),
            "x.yml:9: slos[0].sli.events.total_query: must be an instant vector expression, got matrix"
        },
        {
            "duplicate SLO names",
            Slo("    objective: 99") + Slo("    objective: 99.5", header: false),
            "x.yml:12: slos[1].name: duplicate SLO name \"a\" (first defined at line 4)"
        },
        {
            "threshold not a bucket bound",
            Latency("        threshold: 0.3"),
            "x.yml:9: slos[0].sli.latency.threshold: 0.3 is not a bucket bound of the histogram (buckets: 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10); the SLI reads the le=\"threshold\" bucket, so it must exist"
        },
        {
            "threshold from custom buckets",
            Latency("        threshold: 0.3\n        buckets: [0.1, 0.2, 0.4]"),
            "x.yml:9: slos[0].sli.latency.threshold: 0.3 is not a bucket bound of the histogram (buckets: 0.1, 0.2, 0.4); the SLI reads the le=\"threshold\" bucket, so it must exist"
        },
        {
            "histogram series name instead of base name",
            Latency("        threshold: 0.25", metric: "http_request_duration_seconds_bucket"),
            "x.yml:8: slos[0].sli.latency.metric: must be the histogram's base name (e.g. http_request_duration_seconds, without _bucket/_count/_sum), got \"http_request_duration_seconds_bucket\""
        },
        {
            "bad matcher",
            Latency("        threshold: 0.25\n        matchers: ['job=~\"(\"']"),
            "x.yml:10: slos[0].sli.latency.matchers[0]: invalid label matcher 'job=~\"(\"': error parsing regexp: missing closing ): `^(?:()$`"
        },
        {
            "matcher on le",
            Latency("        threshold: 0.25\n        matchers: ['le=\"1\"']"),
            "x.yml:10: slos[0].sli.latency.matchers[0]: may not match on le: the SLI sets the metric name and the le bucket itself"
        },
        {
            "reserved label",
            Slo("    objective: 99\n    labels:\n      slo_window: 1h"),
            "x.yml:7: slos[0].labels.slo_window: is set by the SLO compiler and may not be given (reserved: slo_id, slo_service, slo_name, slo_window, slo_severity)"
        },
        {
            "invalid label name",
            Slo("    objective: 99\n    labels:\n      team-name: x"),
            "x.yml:7: slos[0].labels.team-name: \"team-name\" is not a valid label name"
        },
        {
            "alerting missing",
            Slo("    objective: 99", alerting: ""),
            "x.yml:4: slos[0].alerting: missing: give the alert a name (alerting.name), or switch alerts off with alerting.disable: true"
        },
        {
            "alert name missing",
            Slo("    objective: 99", alerting: "    alerting:\n      labels: {x: y}\n"),
            "x.yml:11: slos[0].alerting.name: missing"
        },
        {
            "both events and latency",
            "version: vigil/v1\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli:\n      events: {error_query: 'x[{{.window}}]', total_query: 'y[{{.window}}]'}\n      latency: {metric: m, threshold: 1}\n    alerting: {disable: true}\n",
            "x.yml:7: slos[0].sli: must have exactly one of events and latency"
        },
        { "wrong version", Slo("    objective: 99").Replace("vigil/v1", "prometheus/v1", StringComparison.Ordinal), "x.yml:1: version: must be \"vigil/v1\", got \"prometheus/v1\"" },
        { "bad service name", Slo("    objective: 99").Replace("service: s", "service: my service", StringComparison.Ordinal), "x.yml:2: service: \"my service\" may hold only letters, digits, '_', '.' and '-', starting and ending with a letter or digit" },
        { "no SLOs", "version: vigil/v1\nservice: s\nslos: []\n", "x.yml:3: slos: must be a non-empty list of SLOs" },
        { "not a mapping", "- a\n- b\n", "x.yml:1: an SLO spec must be a mapping with version, service and slos" },
        { "YAML syntax", "version: vigil/v1\nservice: [s\n", "x.yml:3: While parsing a flow sequence, did not find expected ',' or ']'." },
        { "duplicate key", "version: vigil/v1\nservice: s\nservice: t\n", "x.yml:3: Duplicate key service" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Invalid_specs_are_rejected_with_file_line_and_field(string what, string yaml, string expected)
    {
        Assert.False(SloSpecReader.TryParse(yaml, "x.yml", out var spec, out var errors), what);
        Assert.Null(spec);
        Assert.Contains(expected, errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var yaml = """
            version: vigil/v1
            service: s
            slos:
              - name: a
                objective: 120
                window: 1y
                sli:
                  events:
                    error_query: 'x[{{.window}}]'
                    total_query: 'y[{{.window}}]'
                alerting:
                  disable: true
              - name: b
                objective: 99
                sli:
                  latency: {metric: m, threshold: 3}
                alerting: {disable: true}
            """;
        Assert.False(SloSpecReader.TryParse(yaml, "x.yml", out _, out var errors));
        Assert.Equal(
            [
                "x.yml:5: slos[0].objective: must be greater than 0 and less than 100 (a percentage), got 120",
                "x.yml:6: slos[0].window: must be 28d or 30d, got \"1y\"",
                "x.yml:9: slos[0].sli.events.error_query: must be an instant vector expression, got matrix",
                "x.yml:10: slos[0].sli.events.total_query: must be an instant vector expression, got matrix",
                "x.yml:16: slos[1].sli.latency.threshold: 3 is not a bucket bound of the histogram (buckets: 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10); the SLI reads the le=\"threshold\" bucket, so it must exist",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        Assert.False(SloSpecReader.TryLoadFile("/nonexistent/slo.yml", out _, out var errors));
        Assert.StartsWith("/nonexistent/slo.yml: ", Assert.Single(errors).ToString());
    }

    [Fact]
    public void The_same_SLO_in_two_files_is_reported_against_the_second()
    {
        using var dir = new Vigil.Testing.TempDirectory();
        File.WriteAllText(dir.File("a.yml"), Slo("    objective: 99"));
        File.WriteAllText(dir.File("b.yml"), Slo("    objective: 99.5"));
        var results = SloSpecSet.Load([dir.File("a.yml"), dir.File("b.yml")]);
        Assert.NotNull(results[0].Spec);
        Assert.Null(results[1].Spec);
        Assert.Equal($"{dir.File("b.yml")}:4: slos[0].name: SLO \"a\" of service \"s\" is already defined at {dir.File("a.yml")}:4", Assert.Single(results[1].Errors).ToString());
    }

    // One events SLO named "a" of service "s"; `fields` go after the name (objective, window, labels).
    private static string Slo(
        string fields,
        string errorQuery = "sum(rate(errors[{{.window}}]))",
        string totalQuery = "sum(rate(total[{{.window}}]))",
        string alerting = "    alerting:\n      disable: true\n",
        bool header = true)
    {
        var text = header ? "version: vigil/v1\nservice: s\nslos:\n" : "";
        text += "  - name: a\n";
        if (fields.Length > 0)
        {
            text += fields + "\n";
        }
        text += "    sli:\n      events:\n";
        text += "        error_query: " + errorQuery + "\n";
        text += "        total_query: " + totalQuery + "\n";
        return text + alerting;
    }

    private static string Latency(string fields, string metric = "http_request_duration_seconds")
        => "version: vigil/v1\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli:\n      latency:\n"
            + "        metric: " + metric + "\n" + fields + "\n    alerting: {disable: true}\n";
}
