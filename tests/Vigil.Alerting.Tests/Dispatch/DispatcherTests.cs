using Vigil.Alerting.Alerts;
using Vigil.Alerting.Matching;
using Vigil.Alerting.NotificationLog;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Silencing;
using Vigil.Alerting.Tests.Pipeline;
using Vigil.Model;
using Vigil.Testing;

namespace Vigil.Alerting.Tests.Dispatch;

public sealed class DispatcherTests
{
    private const string Config = """
        global:
          resolve_timeout: 5m
        route:
          receiver: default
          group_by: [alertname]
          group_wait: 30s
          group_interval: 5m
          repeat_interval: 4h
          routes:
            - matchers: [team="a"]
              receiver: team-a
        receivers:
          - name: default
          - name: team-a
            webhook_configs:
              - url: http://127.0.0.1:1/hook
        inhibit_rules:
          - source_matchers: [severity="critical"]
            target_matchers: [severity="warning"]
            equal: [alertname]
        """;

    private static Labels L(params string[] nv) => Labels.Of(nv);

    [Fact]
    public async Task First_notification_comes_after_group_wait_with_every_alert_of_the_group()
    {
        using var h = new PipelineHarness(Config);
        h.Post(L("alertname", "Down", "instance", "a"));
        await h.AdvanceAsync(TimeSpan.FromSeconds(10));
        h.Post(L("alertname", "Down", "instance", "b"));
        await h.AdvanceAsync(TimeSpan.FromSeconds(19));
        Assert.Empty(h.Notifiers["default"].Take());

        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        var call = Assert.Single(h.Notifiers["default"].Take());
        Assert.Equal("{}:{alertname=\"Down\"}", call.GroupKey);
        Assert.Equal(["a", "b"], call.Alerts.Select(a => a.Labels.Get("instance")));
        Assert.All(call.Alerts, a => Assert.Equal(DateTimeOffset.MinValue, a.EndsAt)); // firing alerts go out without an end
        Assert.Equal(1, h.Dispatcher.GroupCount);
    }

    [Fact]
    public async Task Later_alerts_wait_for_group_interval_and_unchanged_groups_repeat_only_after_repeat_interval()
    {
        using var h = new PipelineHarness(Config);
        h.Post(L("alertname", "Down", "instance", "a"));
        await h.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Single(h.Notifiers["default"].Take());

        h.Post(L("alertname", "Down", "instance", "b"));
        await h.KeepFiringAsync(TimeSpan.FromMinutes(4), L("alertname", "Down", "instance", "a"), L("alertname", "Down", "instance", "b"));
        Assert.Empty(h.Notifiers["default"].Take());
        await h.KeepFiringAsync(TimeSpan.FromMinutes(1), L("alertname", "Down", "instance", "a"), L("alertname", "Down", "instance", "b"));
        Assert.Equal(2, Assert.Single(h.Notifiers["default"].Take()).Alerts.Count); // group_interval after the first flush

        // Both keep firing (re-posted every minute as Prometheus does), unchanged: nothing until repeat_interval.
        await h.KeepFiringAsync(TimeSpan.FromHours(4) - TimeSpan.FromMinutes(1), L("alertname", "Down", "instance", "a"), L("alertname", "Down", "instance", "b"));
        Assert.Empty(h.Notifiers["default"].Take());
        // The flush exactly 4h after the last notification does not repeat (Alertmanager compares strictly); the next does.
        await h.KeepFiringAsync(TimeSpan.FromMinutes(5), L("alertname", "Down", "instance", "a"), L("alertname", "Down", "instance", "b"));
        Assert.Empty(h.Notifiers["default"].Take());
        await h.KeepFiringAsync(TimeSpan.FromMinutes(1), L("alertname", "Down", "instance", "a"), L("alertname", "Down", "instance", "b"));
        Assert.Equal(2, Assert.Single(h.Notifiers["default"].Take()).Alerts.Count);
    }

    [Fact]
    public async Task An_alert_older_than_group_wait_is_flushed_at_once()
    {
        using var h = new PipelineHarness(Config);
        var start = h.Clock.GetUtcNow() - TimeSpan.FromMinutes(10);
        h.Post(new PostedAlert(L("alertname", "Old"), Alert.NoAnnotations, start, DateTimeOffset.MinValue, ""));
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Single(h.Notifiers["default"].Take());
    }

    [Fact]
    public async Task A_timed_out_alert_is_notified_resolved_to_a_send_resolved_receiver_and_leaves_its_group()
    {
        using var h = new PipelineHarness(Config);
        h.Post(L("alertname", "Down", "team", "a"));
        await h.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Single(h.Notifiers["team-a"].Take());

        // Not re-posted: resolve_timeout (5m) passes, the next flush (5m after the first) sends it resolved.
        await h.AdvanceAsync(TimeSpan.FromMinutes(5));
        var call = Assert.Single(h.Notifiers["team-a"].Take());
        var alert = Assert.Single(call.Alerts);
        Assert.True(alert.ResolvedAt(call.Now));
        Assert.True(Assert.Single(h.Dispatcher.Groups()).IsEmpty);
        h.Dispatcher.Maintain();
        Assert.Equal(0, h.Dispatcher.GroupCount);
        Assert.Equal(1, h.Store.CollectGarbage());
    }

    [Fact]
    public async Task Resolved_alerts_are_not_sent_without_send_resolved_but_still_clear_the_log()
    {
        using var h = new PipelineHarness(Config.Replace("- url: http://127.0.0.1:1/hook", "- url: http://127.0.0.1:1/hook\n        send_resolved: false", StringComparison.Ordinal));
        h.Post(L("alertname", "Down", "team", "a"));
        await h.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Single(h.Notifiers["team-a"].Take());
        await h.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Empty(h.Notifiers["team-a"].Take());
        var entry = Assert.Single(h.Log.All());
        Assert.Empty(entry.FiringAlerts);
        Assert.Single(entry.ResolvedAlerts);
    }

    [Fact]
    public async Task A_firing_critical_alert_inhibits_the_warning_with_the_same_alertname()
    {
        using var h = new PipelineHarness(Config);
        h.Post(L("alertname", "Disk", "severity", "critical", "host", "x"), L("alertname", "Disk", "severity", "warning", "host", "x"), L("alertname", "Other", "severity", "warning"));
        await h.AdvanceAsync(TimeSpan.FromSeconds(30));
        var calls = h.Notifiers["default"].Take();
        Assert.Equal(2, calls.Count);
        var disk = Assert.Single(calls, c => c.GroupKey.Contains("Disk", StringComparison.Ordinal));
        Assert.Equal("critical", Assert.Single(disk.Alerts).Labels.Get("severity"));
        Assert.Single(calls, c => c.GroupKey.Contains("Other", StringComparison.Ordinal));

        var warning = AlertFingerprint.Of(L("alertname", "Disk", "severity", "warning", "host", "x"));
        var status = h.Marker.Status(warning);
        Assert.Equal(AlertState.Suppressed, status.State);
        Assert.Equal([AlertFingerprint.Format(AlertFingerprint.Of(L("alertname", "Disk", "severity", "critical", "host", "x")))], status.InhibitedBy);
    }

    [Fact]
    public async Task A_silenced_alert_is_not_notified_and_is_once_the_silence_expires()
    {
        using var h = new PipelineHarness(Config);
        var id = h.Silences.Set(new Silence
        {
            Matchers = [Matcher.Create(LabelMatchType.Equal, "alertname", "Noisy")],
            StartsAt = h.Clock.GetUtcNow(),
            EndsAt = h.Clock.GetUtcNow() + TimeSpan.FromHours(1),
            CreatedBy = "me",
            Comment = "quiet",
        });
        h.Post(L("alertname", "Noisy"));
        await h.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(h.Notifiers["default"].Take());
        Assert.Equal([id], h.Marker.Status(AlertFingerprint.Of(L("alertname", "Noisy"))).SilencedBy);

        h.Silences.Expire(id);
        await h.KeepFiringAsync(TimeSpan.FromMinutes(5), L("alertname", "Noisy"));
        Assert.Single(h.Notifiers["default"].Take());
        Assert.Equal(AlertState.Active, h.Marker.Status(AlertFingerprint.Of(L("alertname", "Noisy"))).State);
    }

    [Fact]
    public async Task Mute_time_intervals_hold_notifications_back_while_they_last()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 2, 8, 59, 0, TimeSpan.Zero)); // a Monday
        const string muted = """
            route:
              receiver: default
              group_wait: 30s
              group_interval: 1m
              routes:
                - matchers: [alertname=~".+"]
                  mute_time_intervals: [office]
            receivers:
              - name: default
            time_intervals:
              - name: office
                time_intervals:
                  - times: [{start_time: "09:00", end_time: "17:00"}]
                    weekdays: [monday:friday]
            """;
        using var h = new PipelineHarness(muted, clock);
        h.Post(L("alertname", "Nightly"));
        await h.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Single(h.Notifiers["default"].Take()); // 08:59:30, before office hours
        h.Post(L("alertname", "Nightly", "n", "2"));
        await h.AdvanceAsync(TimeSpan.FromMinutes(1)); // 09:00:30, muted
        Assert.Empty(h.Notifiers["default"].Take());
    }

    [Fact]
    public async Task A_retryable_failure_is_retried_with_backoff_until_it_succeeds()
    {
        using var h = new PipelineHarness(Config);
        var notifier = h.Notifiers["team-a"];
        notifier.Script.Enqueue(NotifyResult.Retryable(new HttpRequestException("503")));
        notifier.Script.Enqueue(NotifyResult.Retryable(new HttpRequestException("503")));
        h.Post(L("alertname", "Down", "team", "a"));
        await h.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Single(notifier.Take());
        await h.AdvanceAsync(TimeSpan.FromSeconds(5)); // backoff ≤ 0.75s then ≤ 1.125s
        Assert.Equal(2, notifier.Take().Count);
        Assert.Single(h.Log.All());
        Assert.Empty(h.Errors);
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_and_not_logged_so_the_next_flush_tries_again()
    {
        using var h = new PipelineHarness(Config);
        var notifier = h.Notifiers["team-a"];
        notifier.Script.Enqueue(NotifyResult.Permanent(new InvalidOperationException("400 bad request")));
        h.Post(L("alertname", "Down", "team", "a"));
        await h.AdvanceAsync(TimeSpan.FromSeconds(40));
        Assert.Single(notifier.Take());
        Assert.Empty(h.Log.All());
        Assert.Contains(h.Errors, e => e.Contains("team-a/webhook[0]: notify retry canceled due to unrecoverable error after 1 attempts: 400 bad request", StringComparison.Ordinal));
        h.Post(L("alertname", "Down", "team", "a"));
        await h.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Single(notifier.Take());
    }

    [Fact]
    public async Task A_restart_with_the_notification_log_reloaded_does_not_notify_again()
    {
        using var dir = new TempDirectory();
        var clock = new ManualClock();
        using (var h = new PipelineHarness(Config, clock))
        {
            h.Post(L("alertname", "Down"));
            await h.AdvanceAsync(TimeSpan.FromSeconds(30));
            Assert.Single(h.Notifiers["default"].Take());
            h.Log.Snapshot(dir.File("nflog"));
        }
        await Task.Yield();
        var log = new NotificationLogStore(clock, TimeSpan.FromHours(120));
        log.Load(dir.File("nflog"));
        using (var h = new PipelineHarness(Config, clock, log))
        {
            h.Post(L("alertname", "Down"));
            await h.AdvanceAsync(TimeSpan.FromMinutes(4)); // flushes at 30s (at once: the group is new) and within resolve_timeout
            Assert.Empty(h.Notifiers["default"].Take());
        }
    }

    [Fact]
    public async Task Routes_with_continue_notify_each_matching_receiver()
    {
        const string yaml = """
            route:
              receiver: default
              group_wait: 10s
              routes:
                - matchers: [team="a"]
                  receiver: a
                  continue: true
                - matchers: [team="a"]
                  receiver: b
            receivers:
              - name: default
              - name: a
              - name: b
            """;
        using var h = new PipelineHarness(yaml);
        h.Post(L("alertname", "X", "team", "a"));
        await h.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Single(h.Notifiers["a"].Take());
        Assert.Single(h.Notifiers["b"].Take());
        Assert.Empty(h.Notifiers["default"].Take());
        Assert.Equal(2, h.Dispatcher.GroupCount);
    }
}
