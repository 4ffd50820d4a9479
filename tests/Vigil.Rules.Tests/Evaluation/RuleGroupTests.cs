using Vigil.Model;
using Vigil.Rules.Evaluation;

namespace Vigil.Rules.Tests.Evaluation;

/// <summary>Group evaluation, scheduling on the clock, restore of the <c>for</c> state, and reloads (Prometheus 2.42's rules package).</summary>
public sealed class RuleGroupTests
{
    private const long Minute = 60_000;

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    [Fact]
    public void A_recording_rule_feeds_later_rules_in_the_same_evaluation()
    {
        using var h = new RuleHarness();
        h.Load(TimeSpan.FromMinutes(1), h.WriteRules("r.yml", """
            groups:
              - name: g
                rules:
                  - record: a
                    expr: m * 2
                  - record: b
                    expr: a + 1
            """));
        h.Append("m", 0, 10);
        h.Group("g").Eval(At(0));
        Assert.Equal(21, Assert.Single(h.Raw("b")).Sample.Value);
    }

    [Fact]
    public void Series_a_rule_stops_producing_get_a_stale_marker_once()
    {
        using var h = new RuleHarness();
        h.Load(TimeSpan.FromMinutes(1), h.WriteRules("r.yml", """
            groups:
              - name: g
                rules:
                  - record: high
                    expr: m > 5
            """));
        var g = h.Group("g");
        h.Append("m{i=\"a\"}", 0, 10);
        g.Eval(At(0));
        h.Append("m{i=\"a\"}", Minute, 1);
        g.Eval(At(Minute));
        g.Eval(At(2 * Minute));
        var samples = h.Raw("high");
        Assert.Equal(2, samples.Count);
        Assert.Equal(10, samples[0].Sample.Value);
        Assert.True(StaleMarker.IsStale(samples[1].Sample.Value));
        Assert.Equal(Minute, samples[1].Sample.TimestampMs);
    }

    [Fact]
    public void Evaluation_instants_are_aligned_by_the_groups_hash_and_follow_the_clock()
    {
        using var h = new RuleHarness();
        var file = h.WriteRules("r.yml", """
            groups:
              - name: g
                interval: 10s
                rules:
                  - record: one
                    expr: vector(1)
            """);
        h.Load(TimeSpan.FromMinutes(1), file);
        var g = h.Group("g");
        var now = h.Clock.GetUtcNow();
        var first = g.EvalTimestamp(now) + g.Interval;
        // The aligned instant: offset by hash({file, name}) mod interval, at or before now.
        var offsetNs = (long)(Labels.Of("name", "g", "file", file).Hash % (ulong)(10L * 1_000_000_000));
        var unixNs = (first.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        Assert.Equal(offsetNs / 100, (unixNs / 100) % (10L * 10_000_000));
        Assert.True(first > now && first <= now + g.Interval);

        h.Manager.Run();
        h.Clock.Advance(first - now + TimeSpan.FromSeconds(35));
        var samples = h.Raw("one");
        Assert.Equal(4, samples.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            Assert.Equal((first + TimeSpan.FromSeconds(10 * i)).ToUnixTimeMilliseconds(), samples[i].Sample.TimestampMs);
        }
        Assert.Equal(4, g.IterationsScheduled);
        Assert.Equal(0, g.IterationsMissed);
        Assert.Equal(samples[^1].Sample.TimestampMs, g.LastEvaluationTimestampMs);
    }

    [Fact]
    public void The_for_state_is_restored_after_the_second_evaluation_shifted_by_the_downtime()
    {
        // Before the restart: pending since t0 for 4 minutes of a 20m `for`, then 2 minutes down.
        var storage = new Vigil.Storage.MemoryStorage();
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        const string rules = """
            groups:
              - name: g
                interval: 1m
                rules:
                  - alert: Slow
                    expr: up == 0
                    for: 20m
            """;
        using (var before = new RuleHarness(storage))
        {
            before.Load(TimeSpan.FromMinutes(1), before.WriteRules("r.yml", rules));
            var g = before.Group("g");
            ((AlertingRule)g.Rules[0]).Restored = true;
            for (var m = 0; m <= 4; m++)
            {
                before.Append("up", (t0 + TimeSpan.FromMinutes(m)).ToUnixTimeMilliseconds(), 0);
                g.Eval(t0 + TimeSpan.FromMinutes(m));
            }
        }
        var downAt = t0 + TimeSpan.FromMinutes(4);
        var restart = t0 + TimeSpan.FromMinutes(6);
        using var h = new RuleHarness(storage, start: restart);
        h.Load(TimeSpan.FromMinutes(1), h.WriteRules("r.yml", rules));
        var group = h.Group("g");
        var rule = (AlertingRule)group.Rules[0];
        Assert.False(rule.Restored);
        for (var m = 6; m <= 9; m++)
        {
            h.Append("up", (t0 + TimeSpan.FromMinutes(m)).ToUnixTimeMilliseconds(), 0);
        }
        h.Manager.Run();
        var first = group.EvalTimestamp(restart) + group.Interval;
        h.Clock.Advance(first - restart);
        Assert.False(rule.Restored);
        Assert.DoesNotContain(h.Raw("ALERTS"), s => s.Sample.TimestampMs > downAt.ToUnixTimeMilliseconds());
        h.Clock.Advance(group.Interval);
        Assert.True(rule.Restored);
        var alert = Assert.Single(rule.ActiveAlerts());
        // Restored ActiveAt = t0 + (restore time - down time): the downtime does not count towards `for`.
        var restoredAt = h.Clock.GetUtcNow();
        Assert.Equal(t0 + (restoredAt - downAt), alert.ActiveAt);
    }

    [Fact]
    public void A_restored_alert_never_fires_before_the_grace_period()
    {
        // Pending for 19 of 20 minutes when the server went down: 1m left < 10m grace, so it fires 10m after the restore.
        var storage = new Vigil.Storage.MemoryStorage();
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        const string rules = """
            groups:
              - name: g
                interval: 1m
                rules:
                  - alert: Slow
                    expr: up == 0
                    for: 20m
            """;
        using (var before = new RuleHarness(storage))
        {
            before.Load(TimeSpan.FromMinutes(1), before.WriteRules("r.yml", rules));
            var g = before.Group("g");
            ((AlertingRule)g.Rules[0]).Restored = true;
            for (var m = 0; m <= 19; m++)
            {
                before.Append("up", (t0 + TimeSpan.FromMinutes(m)).ToUnixTimeMilliseconds(), 0);
                g.Eval(t0 + TimeSpan.FromMinutes(m));
            }
        }
        var restart = t0 + TimeSpan.FromMinutes(20);
        using var h = new RuleHarness(storage, start: restart);
        h.Load(TimeSpan.FromMinutes(1), h.WriteRules("r.yml", rules));
        var group = h.Group("g");
        var rule = (AlertingRule)group.Rules[0];
        for (var m = 20; m <= 40; m++)
        {
            h.Append("up", (t0 + TimeSpan.FromMinutes(m)).ToUnixTimeMilliseconds(), 0);
        }
        h.Manager.Run();
        h.Clock.Advance(group.EvalTimestamp(restart) + (2 * group.Interval) - restart);
        var restoredAt = h.Clock.GetUtcNow();
        Assert.True(rule.Restored);
        Assert.Equal(restoredAt + TimeSpan.FromMinutes(10) - TimeSpan.FromMinutes(20), Assert.Single(rule.ActiveAlerts()).ActiveAt);
        h.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(AlertState.Pending, Assert.Single(rule.ActiveAlerts()).State);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(AlertState.Firing, Assert.Single(rule.ActiveAlerts()).State);
    }

    [Fact]
    public void A_reload_keeps_unchanged_groups_and_the_alerts_of_rules_that_stay()
    {
        using var h = new RuleHarness();
        var file = h.WriteRules("r.yml", """
            groups:
              - name: same
                rules:
                  - record: r1
                    expr: vector(1)
              - name: changed
                rules:
                  - alert: Kept
                    expr: up == 0
                    for: 10m
                  - record: gone
                    expr: vector(2)
            """);
        h.Load(TimeSpan.FromMinutes(1), file);
        var same = h.Group("same");
        var changed = h.Group("changed");
        ((AlertingRule)changed.Rules[0]).Restored = true;
        h.Append("up", 0, 0);
        changed.Eval(At(0));
        File.WriteAllText(file, """
            groups:
              - name: same
                rules:
                  - record: r1
                    expr: vector(1)
              - name: changed
                rules:
                  - alert: Kept
                    expr: up == 0
                    for: 10m
                  - record: new
                    expr: vector(3)
            """);
        h.Load(TimeSpan.FromMinutes(1), file);
        Assert.Same(same, h.Group("same"));
        var replaced = h.Group("changed");
        Assert.NotSame(changed, replaced);
        var kept = Assert.Single(((AlertingRule)replaced.Rules[0]).ActiveAlerts());
        Assert.Equal(At(0), kept.ActiveAt);
        // The removed rule's series is marked stale at the new group's next evaluation.
        replaced.Eval(At(Minute));
        var gone = h.Raw("gone");
        Assert.True(StaleMarker.IsStale(gone[^1].Sample.Value));
        Assert.Equal(Minute, gone[^1].Sample.TimestampMs);
    }

    [Fact]
    public void A_removed_group_marks_its_series_stale_two_intervals_after_the_reload()
    {
        using var h = new RuleHarness();
        var file = h.WriteRules("r.yml", """
            groups:
              - name: g
                rules:
                  - record: r1
                    expr: vector(1)
            """);
        h.Load(TimeSpan.FromMinutes(1), file);
        h.Group("g").Eval(At(0));
        File.WriteAllText(file, "groups: []\n");
        var removedAt = h.Clock.GetUtcNow();
        h.Load(TimeSpan.FromMinutes(1), file);
        Assert.Empty(h.Manager.Groups);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(h.Raw("r1"));
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var samples = h.Raw("r1");
        Assert.Equal(2, samples.Count);
        Assert.True(StaleMarker.IsStale(samples[1].Sample.Value));
        Assert.Equal(removedAt.ToUnixTimeMilliseconds(), samples[1].Sample.TimestampMs);
    }

    [Fact]
    public void A_failed_reload_keeps_the_running_rules()
    {
        using var h = new RuleHarness();
        var file = h.WriteRules("r.yml", "groups: [{name: g, rules: [{record: a, expr: vector(1)}]}]\n");
        h.Load(TimeSpan.FromMinutes(1), file);
        var g = h.Group("g");
        File.WriteAllText(file, "groups: [{name: g, rules: [{record: a, expr: 'vector(1'}]}]\n");
        Assert.False(h.Manager.Update(TimeSpan.FromMinutes(1), [file], Labels.Empty, "", out var errors));
        Assert.Contains("could not parse expression", Assert.Single(errors), StringComparison.Ordinal);
        Assert.Same(g, h.Group("g"));
    }

    [Fact]
    public void Iterations_whose_instant_passed_during_a_slow_one_are_skipped_and_counted()
    {
        var inner = new Vigil.Testing.ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var clock = new SkewedClock(inner);
        using var h = new RuleHarness();
        using var manager = new RuleManager(new RuleManagerOptions { Engine = h.Options.Engine, Queryable = h.Storage, Appendable = h.Storage, Time = clock });
        var file = h.WriteRules("r.yml", "groups: [{name: g, interval: 10s, rules: [{record: one, expr: vector(1)}]}]\n");
        Assert.True(manager.Update(TimeSpan.FromMinutes(1), [file], Labels.Empty, "", out _));
        var g = Assert.Single(manager.Groups);
        manager.Run();
        var start = clock.GetUtcNow();
        var first = g.EvalTimestamp(start) + g.Interval;
        inner.Advance(first - start);
        Assert.Equal(first.ToUnixTimeMilliseconds(), g.LastEvaluationTimestampMs);
        // The next tick comes 35 s late (as after a slow evaluation): 3 instants were missed, the 4th is evaluated.
        clock.Skew = TimeSpan.FromSeconds(35);
        inner.Advance(g.Interval);
        Assert.Equal(3, g.IterationsMissed);
        Assert.Equal(5, g.IterationsScheduled);
        Assert.Equal((first + TimeSpan.FromSeconds(40)).ToUnixTimeMilliseconds(), g.LastEvaluationTimestampMs);
        Assert.Equal([first.ToUnixTimeMilliseconds(), (first + TimeSpan.FromSeconds(40)).ToUnixTimeMilliseconds()], h.Raw("one").Select(s => s.Sample.TimestampMs));
    }

    /// <summary>A clock that reads ahead of the manual clock driving its timers, so a timer seems to fire late.</summary>
    private sealed class SkewedClock(Vigil.Testing.ManualClock inner) : TimeProvider
    {
        public TimeSpan Skew { get; set; }

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Skew;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => inner.CreateTimer(callback, state, dueTime, period);
    }
}
