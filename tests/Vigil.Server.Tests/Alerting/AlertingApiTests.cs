using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Hosting;
using Vigil.Testing;

namespace Vigil.Server.Tests.Alerting;

public sealed class AlertingApiTests
{
    private sealed class Host : IAsyncDisposable
    {
        private readonly TempDirectory _dir = new("vigil-alerting");

        public Host(string? amConfig = null, TimeProvider? clock = null)
        {
            string? file = null;
            if (amConfig is not null)
            {
                file = _dir.File("alertmanager.yml");
                File.WriteAllText(file, amConfig);
            }
            ConfigFile = file;
            App = VigilHost.Build(new ServerOptions { DataPath = _dir.File("data"), AlertmanagerConfigFile = file, EnableLifecycle = true }, b =>
            {
                b.WebHost.UseTestServer();
                if (clock is not null)
                {
                    b.Services.AddSingleton(clock);
                }
            });
        }

        public WebApplication App { get; }

        public string? ConfigFile { get; }

        public HttpClient Client { get; private set; } = null!;

        public async Task<Host> StartAsync()
        {
            await App.StartAsync();
            Client = App.GetTestClient();
            return this;
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
            _dir.Dispose();
        }
    }

    private static object Alert(string name, params string[] more)
    {
        var labels = new Dictionary<string, string> { ["alertname"] = name };
        for (var i = 0; i < more.Length; i += 2)
        {
            labels[more[i]] = more[i + 1];
        }
        return new { labels };
    }

    [Fact]
    public async Task History_records_firing_silenced_and_resolved_changes_queryable_by_matchers_and_time()
    {
        var clock = new ManualClock();
        await using var host = await new Host(clock: clock).StartAsync();
        var t0 = clock.GetUtcNow();
        (await host.Client.PostAsJsonAsync("/api/v2/alerts", new[] { Alert("Quiet"), Alert("Loud") })).EnsureSuccessStatusCode();
        var silence = new { matchers = new[] { new { name = "alertname", value = "Quiet", isRegex = false } }, startsAt = t0, endsAt = t0.AddHours(1), createdBy = "me", comment = "c" };
        (await host.Client.PostAsJsonAsync("/api/v2/silences", silence)).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromMinutes(1));
        await host.Client.GetStringAsync("/api/v2/alerts"); // status is computed when shown
        clock.Advance(TimeSpan.FromMinutes(1));
        var resolved = new[] { new { labels = new Dictionary<string, string> { ["alertname"] = "Loud" }, endsAt = clock.GetUtcNow().AddSeconds(-1) } };
        (await host.Client.PostAsJsonAsync("/api/v2/alerts", resolved)).EnsureSuccessStatusCode();

        var quiet = await GetJsonAsync(host.Client, "/api/v2/history?filter=alertname%3D%22Quiet%22");
        Assert.Equal(["firing", "silenced"], quiet.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        var loud = await GetJsonAsync(host.Client, "/api/v2/history?filter=alertname%3D%22Loud%22");
        Assert.Equal(["firing", "resolved"], loud.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));

        var start = Uri.EscapeDataString(t0.AddSeconds(90).ToString("o"));
        var later = await GetJsonAsync(host.Client, $"/api/v2/history?start={start}");
        Assert.Equal("resolved", Assert.Single(later.EnumerateArray()).GetProperty("kind").GetString());
        var silenced = await GetJsonAsync(host.Client, "/api/v2/history?kind=silenced");
        Assert.Equal("Quiet", Assert.Single(silenced.EnumerateArray()).GetProperty("labels").GetProperty("alertname").GetString());

        // "Quiet" was never re-sent: it resolves by timeout (resolve_timeout 5m) and the history records it.
        clock.Advance(TimeSpan.FromMinutes(4));
        quiet = await GetJsonAsync(host.Client, "/api/v2/history?filter=alertname%3D%22Quiet%22");
        Assert.Equal(["firing", "silenced", "resolved"], quiet.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));

        var bad = await host.Client.GetAsync("/api/v2/history?kind=nope");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Reload_swaps_the_configuration_and_a_bad_file_is_refused_with_its_line()
    {
        await using var host = await new Host("route:\n  receiver: a\nreceivers:\n  - name: a\n").StartAsync();
        Assert.Equal("[{\"name\":\"a\"}]", (await host.Client.GetStringAsync("/api/v2/receivers")).Trim());
        await File.WriteAllTextAsync(host.ConfigFile!, "route:\n  receiver: b\nreceivers:\n  - name: a\n  - name: b\n");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/-/reload", null)).StatusCode);
        Assert.Equal("[{\"name\":\"a\"},{\"name\":\"b\"}]", (await host.Client.GetStringAsync("/api/v2/receivers")).Trim());

        await File.WriteAllTextAsync(host.ConfigFile!, "route:\n  receiver: missing\nreceivers:\n  - name: a\n");
        var failed = await host.Client.PostAsync("/-/reload", null);
        Assert.NotEqual(HttpStatusCode.OK, failed.StatusCode);
        Assert.Contains("alertmanager.yml:2: undefined receiver \"missing\" used in route", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("[{\"name\":\"a\"},{\"name\":\"b\"}]", (await host.Client.GetStringAsync("/api/v2/receivers")).Trim());
    }

    [Fact]
    public async Task Old_senders_post_to_api_v1()
    {
        await using var host = await new Host().StartAsync();
        var ok = await host.Client.PostAsJsonAsync("/api/v1/alerts", new[] { Alert("V1") });
        Assert.Equal("{\"status\":\"success\"}", (await ok.Content.ReadAsStringAsync()).Trim());
        var bad = await host.Client.PostAsJsonAsync("/api/v1/alerts", new[] { new { labels = new Dictionary<string, string>() } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"at least one label pair required\"}", (await bad.Content.ReadAsStringAsync()).Trim());
        Assert.Equal("V1", Assert.Single((await GetJsonAsync(host.Client, "/api/v2/alerts")).EnumerateArray()).GetProperty("labels").GetProperty("alertname").GetString());
    }

    [Fact]
    public async Task Concurrent_ingestion_loses_no_alert()
    {
        await using var host = await new Host("route:\n  receiver: a\n  group_by: [shard]\nreceivers:\n  - name: a\n").StartAsync();
        const int Senders = 8, Batches = 25, PerBatch = 100;
        await Parallel.ForEachAsync(Enumerable.Range(0, Senders), async (sender, ct) =>
        {
            for (var b = 0; b < Batches; b++)
            {
                var batch = Enumerable.Range(0, PerBatch).Select(i => Alert("Load", "sender", sender.ToString(System.Globalization.CultureInfo.InvariantCulture), "n", ((b * PerBatch) + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "shard", (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
                (await host.Client.PostAsJsonAsync("/api/v2/alerts", batch, ct)).EnsureSuccessStatusCode();
            }
        });
        var alerts = await GetJsonAsync(host.Client, "/api/v2/alerts");
        Assert.Equal(Senders * Batches * PerBatch, alerts.GetArrayLength());
        var groups = await GetJsonAsync(host.Client, "/api/v2/alerts/groups");
        Assert.Equal(10, groups.GetArrayLength());
        Assert.Equal(Senders * Batches * PerBatch, groups.EnumerateArray().Sum(g => g.GetProperty("alerts").GetArrayLength()));
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains($"alertmanager_alerts_received_total{{status=\"firing\"}} {Senders * Batches * PerBatch}", metrics, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
