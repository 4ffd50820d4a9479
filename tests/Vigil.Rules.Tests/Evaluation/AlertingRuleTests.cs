using Vigil.Model;
using Vigil.Rules.Evaluation;

namespace Vigil.Rules.Tests.Evaluation;

/// <summary>Alert state transitions, evaluated at explicit instants (Prometheus 2.42's <c>AlertingRule.Eval</c>).</summary>
public sealed class AlertingRuleTests
{
    private const long Minute = 60_000;

    private static (RuleHarness H, RuleGroup G) Setup(string rules)
    {
        var h = new RuleHarness();
        h.Load(TimeSpan.FromMinutes(1), h.WriteRules("r.yml", rules));
        return (h, h.Group("g"));
    }

    private static AlertingRule Rule(RuleGroup g, string name) => Assert.IsType<AlertingRule>(Assert.Single(g.Rules, r => r.Name == name));

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    [Fact]
    public void Pending_becomes_firing_after_for_and_writes_alerts_series()
    {
        var (h, g) = Setup("""
            groups:
              - name: g
                rules:
                  - alert: Down
                    expr: up == 0
                    for: 2m
                    labels: {severity: page}
                    annotations: {summary: 'static text'}
            """);
        using var _ = h;
        var rule = Rule(g, "Down");
        rule.Restored = true;
        for (var m = 0; m <= 4; m++)
        {
            h.Append("up{instance=\"a\"}", m * Minute, 0);
            g.Eval(At(m * Minute));
            var alert = Assert.Single(rule.ActiveAlerts());
            Assert.Equal(m < 2 ? AlertState.Pending : AlertState.Firing, alert.State);
            Assert.Equal(At(0), alert.ActiveAt);
        }
        Assert.Equal(Labels.Of("alertname", "Down", "instance", "a", "severity", "page"), rule.ActiveAlerts()[0].Labels);
        var alerts = h.Raw("ALERTS");
        // Pending at 0m and 1m, then the pending series is marked stale at 2m when the firing one starts.
        var pending = alerts.Where(s => s.Labels.Get("alertstate") == "pending").Select(s => s.Sample).ToList();
        Assert.Equal(3, pending.Count);
        Assert.True(StaleMarker.IsStale(pending[2].Value));
        Assert.Equal(2 * Minute, pending[2].TimestampMs);
        var firing = alerts.Where(s => s.Labels.Get("alertstate") == "firing").Select(s => s.Sample.TimestampMs);
        Assert.Equal([2 * Minute, 3 * Minute, 4 * Minute], firing);
        var forState = h.Raw("ALERTS_FOR_STATE");
        Assert.All(forState, s => Assert.Equal(0, s.Sample.Value));
        Assert.Equal(RuleHealth.Good, rule.Health);
    }

    [Fact]
    public void A_pending_alert_whose_condition_stops_is_dropped_and_its_series_marked_stale()
    {
        var (h, g) = Setup("""
            groups:
              - name: g
                rules:
                  - alert: Down
                    expr: up == 0
                    for: 5m
            """);
        using var _ = h;
        var rule = Rule(g, "Down");
        rule.Restored = true;
        h.Append("up", 0, 0);
        g.Eval(At(0));
        h.Append("up", Minute, 1);
        g.Eval(At(Minute));
        Assert.Empty(rule.ActiveAlerts());
        var alerts = h.Raw("ALERTS");
        Assert.Equal(2, alerts.Count);
        Assert.True(StaleMarker.IsStale(alerts[1].Sample.Value));
        Assert.Equal(Minute, alerts[1].Sample.TimestampMs);
        Assert.Empty(h.Sink.Batches);
    }

    [Fact]
    public void Keep_firing_for_counts_from_the_first_evaluation_that_missed()
    {
        var (h, g) = Setup("""
            groups:
              - name: g
                rules:
                  - alert: Hot
                    expr: temp > 1
                    keep_firing_for: 2m
            """);
        using var _ = h;
        var rule = Rule(g, "Hot");
        h.Append("temp", 0, 5);
        g.Eval(At(0));
        Assert.Equal(AlertState.Firing, Assert.Single(rule.ActiveAlerts()).State);
        // The condition stops at 1m: kept firing at 1m and 2m (less than 2m since 1m), resolved at 3m.
        h.Append("temp", Minute, 0);
        g.Eval(At(Minute));
        Assert.Equal(AlertState.Firing, Assert.Single(rule.ActiveAlerts()).State);
        g.Eval(At(2 * Minute));
        Assert.Equal(AlertState.Firing, Assert.Single(rule.ActiveAlerts()).State);
        g.Eval(At(3 * Minute));
        Assert.Empty(rule.ActiveAlerts());
        Assert.Equal(AlertState.Inactive, rule.State);
    }

    [Fact]
    public void Keep_firing_for_restarts_when_the_condition_returns()
    {
        var (h, g) = Setup("""
            groups:
              - name: g
                rules:
                  - alert: Hot
                    expr: temp > 1
                    keep_firing_for: 2m
            """);
        using var _ = h;
        var rule = Rule(g, "Hot");
        double[] values = [5, 0, 5, 0, 0, 0];
        for (var m = 0; m < values.Length; m++)
        {
            h.Append("temp", m * Minute, values[m]);
            g.Eval(At(m * Minute));
        }
        // Missed at 3m (kept since 3m); 4m kept; 5m is 2m after 3m: resolved.
        Assert.Empty(rule.ActiveAlerts());
    }

    [Fact]
    public void Resolved_alerts_are_sent_as_resolved_and_kept_for_fifteen_minutes()
    {
        var (h, g) = Setup("""
            groups:
              - name: g
                rules:
                  - alert: Down
                    expr: up == 0
            """);
        using var _ = h;
        h.Append("up", 0, 0);
        g.Eval(At(0));
        var sent = Assert.Single(Assert.Single(h.Sink.Batches));
        Assert.Equal(At(0), sent.StartsAt);
        // ValidUntil: ts + 4 * max(interval 1m, resend delay 1m).
        Assert.Equal(At(4 * Minute), sent.EndsAt);
        Assert.Equal("http://vigil.example/graph?g0.expr=up+%3D%3D+0&g0.tab=1", sent.GeneratorUrl);

        // Not re-sent before the resend delay has passed (LastSentAt + 1m must be before ts).
        h.Append("up", Minute, 0);
        g.Eval(At(Minute));
        Assert.Single(h.Sink.Batches);
        h.Append("up", 2 * Minute, 0);
        g.Eval(At(2 * Minute));
        Assert.Equal(2, h.Sink.Batches.Count);

        // Resolved at 3m: sent at once with EndsAt = resolvedAt, then re-sent every resend delay while kept.
        h.Append("up", 3 * Minute, 1);
        g.Eval(At(3 * Minute));
        var resolved = Assert.Single(h.Sink.Batches[^1]);
        Assert.Equal(At(3 * Minute), resolved.EndsAt);
        var count = h.Sink.Batches.Count;
        for (var m = 4; m <= 18; m++)
        {
            g.Eval(At(m * Minute));
        }
        Assert.True(h.Sink.Batches.Count > count);
        Assert.All(h.Sink.Batches.Skip(count), b => Assert.Equal(At(3 * Minute), Assert.Single(b).EndsAt));
        // More than 15m after resolving it is forgotten.
        g.Eval(At(19 * Minute));
        var last = h.Sink.Batches.Count;
        g.Eval(At(21 * Minute));
        Assert.Equal(last, h.Sink.Batches.Count);
    }

    [Fact]
    public void Annotations_are_expanded_with_labels_value_and_external_url()
    {
        var (h, g) = Setup("""
            groups:
              - name: g
                rules:
                  - alert: Disk
                    expr: disk_free < 10
                    labels:
                      dev: '{{ $labels.device }}-x'
                    annotations:
                      summary: '{{ $labels.device }} has {{ $value }} left, see {{ $externalURL }}'
            """);
        using var _ = h;
        h.Append("disk_free{device=\"sda\"}", 0, 2.5);
        g.Eval(At(0));
        var alert = Assert.Single(Rule(g, "Disk").ActiveAlerts());
        Assert.Equal("sda-x", alert.Labels.Get("dev"));
        Assert.Equal("sda has 2.5 left, see http://vigil.example", alert.Annotations.Get("summary"));
    }

    [Fact]
    public void The_limit_fails_the_rule_and_clears_its_alerts()
    {
        var (h, g) = Setup("""
            groups:
              - name: g
                limit: 1
                rules:
                  - alert: Down
                    expr: up == 0
                  - record: copy
                    expr: up
            """);
        using var _ = h;
        h.Append("up{i=\"a\"}", 0, 0);
        h.Append("up{i=\"b\"}", 0, 0);
        g.Eval(At(0));
        var alert = Rule(g, "Down");
        Assert.Equal(RuleHealth.Bad, alert.Health);
        Assert.Equal("exceeded limit of 1 with 2 alerts", alert.LastError);
        Assert.Empty(alert.ActiveAlerts());
        var record = Assert.Single(g.Rules, r => r.Name == "copy");
        Assert.Equal("exceeded limit of 1 with 2 series", record.LastError);
        Assert.Equal(2, g.EvaluationFailures);
        Assert.Equal(2, g.EvaluationsTotal);
    }

    [Fact]
    public void Duplicate_alert_label_sets_fail_the_evaluation()
    {
        var (h, g) = Setup("""
            groups:
              - name: g
                rules:
                  - alert: Dup
                    expr: up == 0
                    labels: {i: same}
            """);
        using var _ = h;
        h.Append("up{i=\"a\"}", 0, 0);
        h.Append("up{i=\"b\"}", 0, 0);
        g.Eval(At(0));
        Assert.Equal("vector contains metrics with the same labelset after applying alert labels", Rule(g, "Dup").LastError);
    }
}
