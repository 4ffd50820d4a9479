using System.Net;
using System.Text.Json;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Api;
using Vigil.Server.Tests.Hosting;

namespace Vigil.Server.Tests.Rules;

/// <summary>
/// <c>vigil serve</c> with <c>rule_files</c>: the rules run against the TSDB, <c>/api/v1/rules</c> and <c>/api/v1/alerts</c>
/// answer in Prometheus 2.42's shapes (observed on a real Prometheus loading the same file), self-metrics are exported,
/// and a reload applies a new rule set or keeps the running one when the new one is broken.
/// </summary>
public sealed class RuleServiceTests
{
    private const string Rules = """
        groups:
          - name: g
            interval: 1s
            rules:
              - record: one
                expr: vector(1)
                labels: {x: y}
              - alert: Always
                expr: one > 0
                keep_firing_for: 1m
                labels: {severity: page}
                annotations: {summary: 'value {{ $value }}'}
              - alert: Pend
                expr: vector(2)
                for: 1h
              - alert: Never
                expr: vector(1) < 0
              - record: bad
                expr: 'label_replace(vector(1), "a", "$1", "x", "(")'
        """;

    private static ServerOptions Options(TestVigil v)
    {
        File.WriteAllText(Path.Combine(v.Dir, "rules.yml"), Rules);
        var path = Path.Combine(v.Dir, "vigil.yml");
        File.WriteAllText(path, "global:\n  evaluation_interval: 5s\nrule_files: ['rule*.yml']\n");
        return new ServerOptions { DataPath = v.DataPath, ConfigFile = path, EnableLifecycle = true };
    }

    [Fact]
    public async Task Rules_and_alerts_are_served_in_prometheus_shapes()
    {
        await using var vigil = await TestVigil.StartAsync(Options);
        var groups = await WaitForAsync(vigil.Client, "/api/v1/rules", d =>
            d.GetProperty("groups").GetArrayLength() == 1
            && d.GetProperty("groups")[0].GetProperty("rules")[1].GetProperty("alerts").GetArrayLength() == 1
            && d.GetProperty("groups")[0].GetProperty("rules")[4].GetProperty("health").GetString() == "err");
        var group = groups.GetProperty("groups")[0];
        Assert.Equal(["name", "file", "rules", "interval", "limit", "evaluationTime", "lastEvaluation"], group.Names());
        Assert.Equal("g", group.GetProperty("name").GetString());
        Assert.Equal(Path.Combine(vigil.Dir, "rules.yml"), group.GetProperty("file").GetString());
        Assert.Equal(1, group.GetProperty("interval").GetDouble());
        var rules = group.GetProperty("rules");
        Assert.Equal(5, rules.GetArrayLength());

        var record = rules[0];
        Assert.Equal(["name", "query", "labels", "health", "evaluationTime", "lastEvaluation", "type"], record.Names());
        Assert.Equal("recording", record.GetProperty("type").GetString());
        Assert.Equal("ok", record.GetProperty("health").GetString());

        var always = rules[1];
        Assert.Equal(
            ["state", "name", "query", "duration", "keepFiringFor", "labels", "annotations", "alerts", "health", "evaluationTime", "lastEvaluation", "type"],
            always.Names());
        Assert.Equal("firing", always.GetProperty("state").GetString());
        Assert.Equal("one > 0", always.GetProperty("query").GetString());
        Assert.Equal(60, always.GetProperty("keepFiringFor").GetDouble());
        Assert.Equal("value {{ $value }}", always.GetProperty("annotations").GetProperty("summary").GetString());
        var alert = always.GetProperty("alerts")[0];
        Assert.Equal(["labels", "annotations", "state", "activeAt", "value"], alert.Names());
        Assert.Equal("value 1", alert.GetProperty("annotations").GetProperty("summary").GetString());
        Assert.Equal("1e+00", alert.GetProperty("value").GetString());
        Assert.Equal(["alertname", "severity", "x"], alert.GetProperty("labels").Names());

        Assert.Equal("pending", rules[2].GetProperty("state").GetString());
        Assert.Equal(3600, rules[2].GetProperty("duration").GetDouble());
        Assert.Equal("inactive", rules[3].GetProperty("state").GetString());
        Assert.Empty(rules[3].GetProperty("alerts").EnumerateArray());
        var bad = rules[4];
        Assert.Equal(["name", "query", "health", "lastError", "evaluationTime", "lastEvaluation", "type"], bad.Names());
        Assert.Equal("err", bad.GetProperty("health").GetString());
        Assert.Equal("invalid regular expression in label_replace(): (", bad.GetProperty("lastError").GetString());

        var onlyRecords = (await vigil.Client.GetDataAsync("/api/v1/rules?type=record")).GetProperty("groups")[0].GetProperty("rules");
        Assert.Equal(["one", "bad"], onlyRecords.EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        var onlyAlerts = (await vigil.Client.GetDataAsync("/api/v1/rules?type=ALERT")).GetProperty("groups")[0].GetProperty("rules");
        Assert.Equal(3, onlyAlerts.GetArrayLength());
        var wrong = await vigil.Client.GetAsync("/api/v1/rules?type=foo");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("invalid parameter \\\"type\\\": not supported value \\\"foo\\\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var alerts = (await vigil.Client.GetDataAsync("/api/v1/alerts")).GetProperty("alerts");
        Assert.Equal(["Always", "Pend"], alerts.EnumerateArray().Select(a => a.GetProperty("labels").GetProperty("alertname").GetString()).Order());

        // The rules' output is in the TSDB: the recording rule, and ALERTS once the for state is restored (second evaluation).
        await WaitForAsync(vigil.Client, "/api/v1/query?query=one", d => d.GetProperty("result").GetArrayLength() == 1);
        await WaitForAsync(vigil.Client, "/api/v1/query?query=ALERTS", d => d.GetProperty("result").GetArrayLength() == 2);

        var metrics = await vigil.Client.GetStringAsync("/metrics");
        foreach (var name in new[]
        {
            "prometheus_rule_evaluations_total{rule_group=", "prometheus_rule_evaluation_failures_total{rule_group=", "prometheus_rule_group_iterations_total{",
            "prometheus_rule_group_iterations_missed_total{", "prometheus_rule_group_interval_seconds{", "prometheus_rule_group_last_duration_seconds{",
            "prometheus_rule_group_last_evaluation_timestamp_seconds{", "prometheus_rule_group_rules{", "prometheus_rule_evaluation_duration_seconds_count ",
            "prometheus_rule_group_duration_seconds_sum ",
        })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_reload_applies_new_rules_and_keeps_the_running_ones_when_broken()
    {
        await using var vigil = await TestVigil.StartAsync(Options);
        await WaitForAsync(vigil.Client, "/api/v1/rules", d => d.GetProperty("groups").GetArrayLength() == 1);

        File.WriteAllText(Path.Combine(vigil.Dir, "rules.yml"), "groups:\n  - name: h\n    rules:\n      - record: two\n        expr: vector(2)\n");
        Assert.Equal(HttpStatusCode.OK, (await vigil.Client.PostAsync("/-/reload", null)).StatusCode);
        var data = await vigil.Client.GetDataAsync("/api/v1/rules");
        Assert.Equal("h", Assert.Single(data.GetProperty("groups").EnumerateArray()).GetProperty("name").GetString());

        File.WriteAllText(Path.Combine(vigil.Dir, "rules.yml"), "groups:\n  - name: h\n    rules:\n      - record: two\n        expr: 'vector(2'\n");
        var failed = await vigil.Client.PostAsync("/-/reload", null);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Contains("error loading rules, previous rule set restored", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("could not parse expression", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        data = await vigil.Client.GetDataAsync("/api/v1/rules");
        Assert.Equal("h", Assert.Single(data.GetProperty("groups").EnumerateArray()).GetProperty("name").GetString());
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient client, string url, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var data = await client.GetDataAsync(url);
            if (condition(data))
            {
                return data;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{url}: condition not met within 30 s; last answer: {data}");
            await Task.Delay(100);
        }
    }
}
