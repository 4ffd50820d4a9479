using System.Text.Json;
using Vigil.Model;
using Vigil.Rules.Alerts;
using Vigil.Scrape.Config;
using Vigil.Server.Notifier;
using Vigil.Testing;

namespace Vigil.Server.Tests.Notifier;

public sealed class AlertmanagerNotifierTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 18, 0, 0, 123, TimeSpan.Zero);

    private static OutgoingAlert Alert(string name, params string[] labels) => new(
        Labels.Of([.. (string[])["alertname", name], .. labels]), Labels.Of("summary", "it broke"),
        Start, Start.AddMinutes(4), "http://prom:9090/graph?g0.expr=up&g0.tab=1");

    private static PrometheusConfig Config(string yaml)
    {
        Assert.True(ConfigLoader.TryLoad(yaml, null, out var config, out var errors), ConfigLoader.Describe(errors));
        return config!;
    }

    [Fact]
    public void External_labels_are_added_where_absent_then_alert_relabel_configs_apply()
    {
        var config = Config("""
            global:
              external_labels: {cluster: eu1, env: prod}
            alerting:
              alert_relabel_configs:
              - source_labels: [severity]
                regex: debug
                action: drop
              - target_label: via
                replacement: vigil
            """);
        var relabeled = AlertmanagerNotifier.Relabel(Alert("Up", "env", "dev"), config.Global.ExternalLabels, config.Alerting.AlertRelabelConfigs);
        Assert.Equal(Labels.Of("alertname", "Up", "cluster", "eu1", "env", "dev", "via", "vigil"), relabeled!.Labels);
        Assert.Null(AlertmanagerNotifier.Relabel(Alert("Noise", "severity", "debug"), config.Global.ExternalLabels, config.Alerting.AlertRelabelConfigs));
    }

    [Fact]
    public void Payload_is_prometheus_api_v2_shape()
    {
        var json = System.Text.Encoding.UTF8.GetString(AlertmanagerPayload.Write([Alert("Up", "job", "api")]));
        Assert.Equal("""[{"annotations":{"summary":"it broke"},"endsAt":"2026-11-23T18:04:00.123Z","startsAt":"2026-11-23T18:00:00.123Z","generatorURL":"http://prom:9090/graph?g0.expr=up&g0.tab=1","labels":{"alertname":"Up","job":"api"}}]""", json);
    }

    [Fact]
    public void A_full_queue_drops_the_oldest_alerts_and_counts_them()
    {
        var notifier = new AlertmanagerNotifier(queueCapacity: 3);
        notifier.Send([Alert("A"), Alert("B")]);
        notifier.Send([Alert("C"), Alert("D")]);
        Assert.Equal(3, notifier.QueueLength);
        Assert.Equal(1, notifier.Dropped);
        notifier.Send([Alert("E"), Alert("F"), Alert("G"), Alert("H")]);
        Assert.Equal(3, notifier.QueueLength);
        // One dropped from the oversized batch itself, three old ones from the queue.
        Assert.Equal(5, notifier.Dropped);
    }

    [Fact]
    public async Task Sends_batches_of_64_to_every_alertmanager_with_path_prefix_and_auth()
    {
        using var a = new AlertmanagerStub();
        using var b = new AlertmanagerStub();
        var config = Config($$"""
            global:
              external_labels: {cluster: eu1}
            alerting:
              alertmanagers:
              - static_configs:
                - targets: ['{{a.Address}}', '{{b.Address}}']
                path_prefix: /am
                basic_auth: {username: prom, password: secret}
                timeout: 5s
            """);
        await using var notifier = new AlertmanagerNotifier();
        await notifier.ApplyConfigAsync(config);
        Assert.Equal(new[] { $"http://{a.Address}/am/api/v2/alerts", $"http://{b.Address}/am/api/v2/alerts" }.Order(StringComparer.Ordinal), notifier.Alertmanagers.Select(u => u.AbsoluteUri).Order(StringComparer.Ordinal));
        notifier.Send(Enumerable.Range(0, 100).Select(i => Alert("Many", "i", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList());
        notifier.Start();
        await a.WaitForRequestsAsync(2);
        await b.WaitForRequestsAsync(2);
        var requests = a.Requests.ToArray();
        Assert.All(requests, r => Assert.Equal("/am/api/v2/alerts", r.Path));
        Assert.All(requests, r => Assert.Equal("Basic cHJvbTpzZWNyZXQ=", r.Authorization));
        var sizes = requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetArrayLength()).ToArray();
        Assert.Equal([64, 36], sizes);
        using var first = JsonDocument.Parse(requests[0].Body);
        Assert.Equal("eu1", first.RootElement[0].GetProperty("labels").GetProperty("cluster").GetString());
        await WaitUntil(() => notifier.QueueLength == 0 && notifier.Stats.Values.Sum(s => s.Sent) == 200);
        Assert.Equal(0, notifier.Dropped);
        Assert.All(notifier.Stats.Values, s => Assert.Equal(0, s.Errors));
    }

    [Fact]
    public async Task Failing_alertmanagers_count_errors_and_a_batch_nobody_took_is_dropped()
    {
        using var failing = new AlertmanagerStub(status: 500);
        using var working = new AlertmanagerStub();
        await using var notifier = new AlertmanagerNotifier();
        await notifier.ApplyConfigAsync(Config($"alerting:\n  alertmanagers:\n  - static_configs:\n    - targets: ['{failing.Address}']\n  - static_configs:\n    - targets: ['{working.Address}']\n"));
        notifier.Start();
        notifier.Send([Alert("A")]);
        await failing.WaitForRequestsAsync(1);
        await working.WaitForRequestsAsync(1);
        var failingUrl = $"http://{failing.Address}/api/v2/alerts";
        await WaitUntil(() => notifier.Stats.TryGetValue(failingUrl, out var s) && s.Errors == 1);
        // One Alertmanager took it: not dropped.
        Assert.Equal(0, notifier.Dropped);

        working.Status = 503;
        notifier.Send([Alert("B"), Alert("C")]);
        await failing.WaitForRequestsAsync(1);
        await working.WaitForRequestsAsync(1);
        await WaitUntil(() => notifier.Dropped == 2);
        Assert.Equal(3, notifier.Stats[failingUrl].Sent);
    }

    [Fact]
    public async Task Alertmanagers_come_from_file_sd_and_relabel_configs()
    {
        using var am = new AlertmanagerStub();
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("am.yml"), $"- targets: ['{am.Address}', 'dropped:9093']\n  labels: {{team: a}}\n");
        await using var notifier = new AlertmanagerNotifier();
        await notifier.ApplyConfigAsync(Config($"""
            alerting:
              alertmanagers:
              - file_sd_configs:
                - files: ['{dir.File("am.yml")}']
                relabel_configs:
                - source_labels: [__address__]
                  regex: dropped.*
                  action: drop
            """));
        Assert.Equal([$"http://{am.Address}/api/v2/alerts"], notifier.Alertmanagers.Select(u => u.AbsoluteUri).ToArray());
    }

    [Fact]
    public async Task A_reload_replaces_the_alertmanagers_and_keeps_the_queue()
    {
        using var first = new AlertmanagerStub();
        using var second = new AlertmanagerStub();
        await using var notifier = new AlertmanagerNotifier();
        await notifier.ApplyConfigAsync(Config($"alerting:\n  alertmanagers:\n  - static_configs:\n    - targets: ['{first.Address}']\n"));
        notifier.Send([Alert("Queued")]);
        await notifier.ApplyConfigAsync(Config($"alerting:\n  alertmanagers:\n  - static_configs:\n    - targets: ['{second.Address}']\n"));
        Assert.Equal([$"http://{second.Address}/api/v2/alerts"], notifier.Alertmanagers.Select(u => u.AbsoluteUri).ToArray());
        notifier.Start();
        await second.WaitForRequestsAsync(1);
        Assert.Empty(first.Requests);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(condition());
    }
}
