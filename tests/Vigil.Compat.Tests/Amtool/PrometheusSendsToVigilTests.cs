using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Compat.Tests.Differential;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Amtool;

/// <summary>
/// A real Prometheus 2.42 whose <c>alerting.alertmanagers</c> points at Vigil delivers its alerts through Vigil's
/// built-in Alertmanager: they show in Vigil's API v2 and come out of Vigil's webhook receiver.
/// </summary>
public sealed class PrometheusSendsToVigilTests
{
    [Fact]
    public async Task Alerts_from_a_real_Prometheus_come_out_of_vigils_webhook_receiver()
    {
        using var sink = new WebhookSink();
        using var dir = new TempDirectory();
        var amConfig = dir.File("alertmanager.yml");
        await File.WriteAllTextAsync(amConfig, $"""
            route:
              receiver: hook
              group_by: [alertname]
              group_wait: 1s
              group_interval: 1m
              repeat_interval: 4h
            receivers:
              - name: hook
                webhook_configs:
                  - url: {sink.Url}
            """);
        var vigilConfig = dir.File("vigil.yml");
        await File.WriteAllTextAsync(vigilConfig, "global: {}\n");
        await using var vigil = await VigilProcess.StartServeAsync(dir.File("vigil-data"), $"--config.file={vigilConfig}", $"--alertmanager.config.file={amConfig}");

        var promDir = dir.File("prometheus");
        Directory.CreateDirectory(promDir);
        await File.WriteAllTextAsync(Path.Combine(promDir, "rules.yml"), """
            groups:
              - name: sends
                interval: 1s
                rules:
                  - alert: FromPrometheus
                    expr: vector(1)
                    labels:
                      severity: page
                    annotations:
                      summary: fired by a real Prometheus
            """);
        var port = vigil.Port.ToString(CultureInfo.InvariantCulture);
        await using var prometheus = await PrometheusInstance.StartWithConfigAsync(dir.File("prom-data"), promDir, $"""
            global:
              evaluation_interval: 1s
              external_labels:
                source: prom242
            rule_files: [rules.yml]
            alerting:
              alertmanagers:
                - api_version: v2
                  static_configs:
                    - targets: ['127.0.0.1:{port}']
            scrape_configs: []
            """, extraArgs: "--rules.alert.resend-delay=1s"); // its first send precedes Alertmanager discovery and is dropped; the default resend is 1m

        try
        {
            await sink.WaitForAsync(1, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"{e.Message}\nPrometheus:\n{prometheus.Output}\nVigil:\n{vigil.Output}");
        }
        Assert.True(sink.Payloads.TryPeek(out var payload));
        Assert.Equal("4", payload.GetProperty("version").GetString());
        Assert.Equal("hook", payload.GetProperty("receiver").GetString());
        Assert.Equal("firing", payload.GetProperty("status").GetString());
        var alert = Assert.Single(payload.GetProperty("alerts").EnumerateArray());
        var labels = alert.GetProperty("labels");
        Assert.Equal("FromPrometheus", labels.GetProperty("alertname").GetString());
        Assert.Equal("page", labels.GetProperty("severity").GetString());
        Assert.Equal("prom242", labels.GetProperty("source").GetString());
        Assert.Equal("fired by a real Prometheus", alert.GetProperty("annotations").GetProperty("summary").GetString());
        Assert.Contains("/graph?g0.expr=", alert.GetProperty("generatorURL").GetString(), StringComparison.Ordinal);
        Assert.Equal("{}:{alertname=\"FromPrometheus\"}", payload.GetProperty("groupKey").GetString());

        // The same alert is visible through Vigil's Alertmanager API v2, as active.
        using var http = new HttpClient { BaseAddress = vigil.BaseAddress };
        var alerts = await http.GetFromJsonAsync<JsonElement>("/api/v2/alerts?filter=alertname%3D%22FromPrometheus%22");
        var listed = Assert.Single(alerts.EnumerateArray());
        Assert.Equal("active", listed.GetProperty("status").GetProperty("state").GetString());
        Assert.Equal("hook", Assert.Single(listed.GetProperty("receivers").EnumerateArray()).GetProperty("name").GetString());
    }
}
