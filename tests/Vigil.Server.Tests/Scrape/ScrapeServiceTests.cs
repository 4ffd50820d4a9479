using System.Net;
using System.Text;
using System.Text.Json;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Api;
using Vigil.Server.Tests.Hosting;
using Vigil.Testing;

namespace Vigil.Server.Tests.Scrape;

/// <summary>
/// <c>vigil serve</c> with a Prometheus configuration: a static target served in-process on loopback is scraped
/// into the TSDB, listed by the targets API, and survives reloads (a bad one is rejected and reported).
/// </summary>
public sealed class ScrapeServiceTests
{
    private const string Exposition = "# HELP demo_value A demo value.\n# TYPE demo_value gauge\ndemo_value{kind=\"a\"} 42\n";

    [Fact]
    public async Task A_static_target_is_scraped_into_the_tsdb_and_listed_with_prometheus_shapes()
    {
        using var target = new ExpositionTarget(Exposition);
        await using var vigil = await TestVigil.StartAsync(v => Options(v, Config(target.Address)));

        var result = await WaitForQueryAsync(vigil.Client, "demo_value");
        var series = result[0].GetProperty("metric");
        Assert.Equal("demo", series.GetProperty("job").GetString());
        Assert.Equal(target.Address, series.GetProperty("instance").GetString());
        Assert.Equal("a", series.GetProperty("kind").GetString());
        Assert.Equal("42", result[0].GetProperty("value")[1].GetString());
        Assert.Equal("1", (await WaitForQueryAsync(vigil.Client, "up{job=\"demo\"}"))[0].GetProperty("value")[1].GetString());

        var data = await vigil.Client.GetDataAsync("/api/v1/targets");
        Assert.Equal(["activeTargets", "droppedTargets"], data.Names());
        var active = Assert.Single(data.GetProperty("activeTargets").EnumerateArray());
        Assert.Equal(
            ["discoveredLabels", "labels", "scrapePool", "scrapeUrl", "globalUrl", "lastError", "lastScrape", "lastScrapeDuration", "health", "scrapeInterval", "scrapeTimeout"],
            active.Names());
        Assert.Equal(target.Address, active.GetProperty("discoveredLabels").GetProperty("__address__").GetString());
        Assert.Equal("1s", active.GetProperty("discoveredLabels").GetProperty("__scrape_interval__").GetString());
        Assert.Equal(["instance", "job", "team"], active.GetProperty("labels").Names());
        Assert.Equal("demo", active.GetProperty("scrapePool").GetString());
        Assert.Equal($"http://{target.Address}/metrics", active.GetProperty("scrapeUrl").GetString());
        Assert.Equal("up", active.GetProperty("health").GetString());
        Assert.Equal("", active.GetProperty("lastError").GetString());
        Assert.EndsWith("Z", active.GetProperty("lastScrape").GetString());
        Assert.True(active.GetProperty("lastScrapeDuration").GetDouble() > 0);
        Assert.Equal("1s", active.GetProperty("scrapeInterval").GetString());
        Assert.Equal("1s", active.GetProperty("scrapeTimeout").GetString());
        var dropped = Assert.Single(data.GetProperty("droppedTargets").EnumerateArray());
        Assert.Equal(["discoveredLabels"], dropped.Names());
        Assert.Equal("dropped.example:9", dropped.GetProperty("discoveredLabels").GetProperty("__address__").GetString());

        Assert.Empty((await vigil.Client.GetDataAsync("/api/v1/targets?state=dropped")).GetProperty("activeTargets").EnumerateArray());
        Assert.Empty((await vigil.Client.GetDataAsync("/api/v1/targets?state=Active")).GetProperty("droppedTargets").EnumerateArray());
        var neither = await vigil.Client.GetDataAsync("/api/v1/targets?state=bogus");
        Assert.Empty(neither.GetProperty("activeTargets").EnumerateArray());
        Assert.Empty(neither.GetProperty("droppedTargets").EnumerateArray());

        var metadata = Assert.Single((await vigil.Client.GetDataAsync("/api/v1/targets/metadata?metric=demo_value")).EnumerateArray());
        Assert.Equal(["target", "type", "help", "unit"], metadata.Names());
        Assert.Equal("gauge", metadata.GetProperty("type").GetString());
        Assert.Equal("A demo value.", metadata.GetProperty("help").GetString());
        var all = await vigil.Client.GetDataAsync("/api/v1/targets/metadata?match_target=%7Bjob%3D%22demo%22%7D");
        Assert.Equal(["target", "metric", "type", "help", "unit"], Assert.Single(all.EnumerateArray()).Names());
        Assert.Empty((await vigil.Client.GetDataAsync("/api/v1/targets/metadata?match_target=%7Bjob%3D%22nope%22%7D")).EnumerateArray());
        Assert.Empty((await vigil.Client.GetDataAsync("/api/v1/targets/metadata?limit=0")).EnumerateArray());

        // /api/v1/metadata gathers what the targets exposed, per metric name.
        var byName = await vigil.Client.GetDataAsync("/api/v1/metadata");
        var demo = Assert.Single(byName.GetProperty("demo_value").EnumerateArray());
        Assert.Equal(["type", "help", "unit"], demo.Names());
        Assert.Equal("gauge", demo.GetProperty("type").GetString());
        Assert.Equal("A demo value.", demo.GetProperty("help").GetString());
        Assert.Equal(["demo_value"], (await vigil.Client.GetDataAsync("/api/v1/metadata?metric=demo_value")).Names());
        Assert.Empty((await vigil.Client.GetDataAsync("/api/v1/metadata?metric=nope")).Names());
        Assert.Empty((await vigil.Client.GetDataAsync("/api/v1/metadata?limit=0")).Names());
    }

    [Fact]
    public async Task Reload_good_then_bad_then_good_keeps_the_running_config_and_reports_it()
    {
        using var target = new ExpositionTarget(Exposition);
        string path = null!;
        await using var vigil = await TestVigil.StartAsync(v =>
        {
            var options = Options(v, Config(target.Address));
            path = options.ConfigFile!;
            return options;
        });
        await WaitForQueryAsync(vigil.Client, "up{job=\"demo\"} == 1");
        Assert.Contains("prometheus_config_last_reload_successful 1", await vigil.Client.GetStringAsync("/metrics"));

        // A bad file: rejected with file:line and the field, the running scrape keeps going.
        File.WriteAllText(path, "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: demo\n    scrape_intervall: 1s\n");
        var bad = await vigil.Client.PostAsync("/-/reload", null);
        Assert.Equal(HttpStatusCode.InternalServerError, bad.StatusCode);
        var error = await bad.Content.ReadAsStringAsync();
        Assert.Contains("vigil.yml:5:", error);
        Assert.Contains("scrape_intervall", error);
        Assert.Contains("prometheus_config_last_reload_successful 0", await vigil.Client.GetStringAsync("/metrics"));
        Assert.False((await vigil.Client.GetDataAsync("/api/v1/status/runtimeinfo")).GetProperty("reloadConfigSuccess").GetBoolean());
        var before = (await vigil.Client.GetDataAsync("/api/v1/targets")).GetProperty("activeTargets")[0].GetProperty("lastScrape").GetString();
        await WaitUntilAsync(async () => (await vigil.Client.GetDataAsync("/api/v1/targets")).GetProperty("activeTargets")[0].GetProperty("lastScrape").GetString() != before);

        // A good file again, with a second job: the first keeps its loop, the second starts.
        File.WriteAllText(path, Config(target.Address) + "  - job_name: second\n    static_configs:\n      - targets: ['" + target.Address + "']\n");
        var good = await vigil.Client.PostAsync("/-/reload", null);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Contains("prometheus_config_last_reload_successful 1", await vigil.Client.GetStringAsync("/metrics"));
        Assert.True((await vigil.Client.GetDataAsync("/api/v1/status/runtimeinfo")).GetProperty("reloadConfigSuccess").GetBoolean());
        await WaitForQueryAsync(vigil.Client, "up{job=\"second\"} == 1");
        var pools = (await vigil.Client.GetDataAsync("/api/v1/targets")).GetProperty("activeTargets").EnumerateArray()
            .Select(t => t.GetProperty("scrapePool").GetString()!).ToArray();
        Assert.Equal(["demo", "second"], pools);
        var metrics = await vigil.Client.GetStringAsync("/metrics");
        Assert.Contains("prometheus_target_scrape_pool_targets{scrape_job=\"second\"} 1", metrics);
        Assert.Contains("prometheus_config_last_reload_success_timestamp_seconds ", metrics);
    }

    [Fact]
    public void A_config_with_errors_stops_start_up_with_file_and_line()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.yml");
        File.WriteAllText(path, "scrape_configs:\n  - job_name: x\n    scrape_interval: nope\n");
        var e = Assert.Throws<StartupException>(() => VigilHost.Build(new ServerOptions { DataPath = dir.File("data"), ConfigFile = path }));
        Assert.Contains("bad.yml:3:", e.Message);
        Assert.Contains("--config.file", e.Message);
    }

    private static ServerOptions Options(TestVigil v, string config)
    {
        var path = Path.Combine(v.Dir, "vigil.yml");
        File.WriteAllText(path, config);
        return new ServerOptions { DataPath = v.DataPath, ConfigFile = path, EnableLifecycle = true };
    }

    private static string Config(string address) => $"""
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: demo
            static_configs:
              - targets: ['{address}']
                labels:
                  team: core
              - targets: ['dropped.example:9']
            relabel_configs:
              - source_labels: [__address__]
                regex: dropped\..*
                action: drop

        """.Replace("\r", "", StringComparison.Ordinal);

    private static async Task<JsonElement> WaitForQueryAsync(HttpClient client, string query)
    {
        JsonElement result = default;
        await WaitUntilAsync(async () =>
        {
            var data = await client.GetDataAsync("/api/v1/query?query=" + Uri.EscapeDataString(query));
            result = data.GetProperty("result");
            return result.GetArrayLength() > 0;
        });
        return result;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        // Discovery publishes at most every 5 s (as Prometheus), then the first scrape follows within an interval.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(100);
        }
    }

    /// <summary>A loopback HTTP server answering every request with a fixed exposition.</summary>
    private sealed class ExpositionTarget : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly byte[] _body;

        public ExpositionTarget(string body)
        {
            _body = Encoding.UTF8.GetBytes(body);
            var port = FreePort.Next();
            Address = $"127.0.0.1:{port}";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = ServeAsync();
        }

        public string Address { get; }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                context.Response.ContentType = "text/plain; version=0.0.4";
                await context.Response.OutputStream.WriteAsync(_body);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
