using System.Net;
using System.Text;
using Vigil.Model;
using Vigil.Scrape.Config;
using Vigil.Scrape.Manager;
using Vigil.Scrape.Scraping;
using Vigil.Storage;
using Vigil.Testing;

namespace Vigil.Server.Tests.Scrape;

/// <summary>
/// <see cref="ScrapeManager"/> on real loopback targets into in-memory storage: configuration to targets, and
/// what a new configuration does to unchanged, changed and removed jobs.
/// </summary>
public sealed class ScrapeManagerTests
{
    [Fact]
    public async Task Unchanged_jobs_keep_their_loops_changed_ones_restart_and_removed_ones_go_stale()
    {
        using var a = new Target("a_value 1\n");
        using var b = new Target("b_value 2\n");
        var storage = new MemoryStorage();
        await using var manager = new ScrapeManager(storage, new ScrapeManagerOptions { DiscoveryUpdateInterval = TimeSpan.FromMilliseconds(100) });

        await manager.ApplyConfigAsync(Load(Job("a", a.Address, "1s") + Job("b", b.Address, "1s")));
        await WaitUntilAsync(() => manager.ActiveTargets().Count(t => t.Health == TargetHealth.Up) == 2);
        var aBefore = Assert.Single(manager.ActiveTargets(), t => t.ScrapePool == "a");

        // Job a unchanged (same text again), job b's interval changed.
        await manager.ApplyConfigAsync(Load(Job("a", a.Address, "1s") + Job("b", b.Address, "2s")));
        await WaitUntilAsync(() => manager.ActiveTargets().Any(t => t.ScrapePool == "b" && t.ScrapeInterval == TimeSpan.FromSeconds(2)));
        var aAfter = Assert.Single(manager.ActiveTargets(), t => t.ScrapePool == "a");
        Assert.Equal(aBefore.Hash, aAfter.Hash);
        Assert.Equal(TimeSpan.FromSeconds(1), aAfter.ScrapeInterval);
        // Job a keeps being scraped through the reload (no fixed timing: a loaded machine may delay scrapes).
        var requestsBefore = a.Requests;
        await WaitUntilAsync(() => a.Requests >= requestsBefore + 2, TimeSpan.FromSeconds(30));

        // Job b removed: its target leaves the list and its series get stale markers.
        await manager.ApplyConfigAsync(Load(Job("a", a.Address, "1s")));
        Assert.DoesNotContain(manager.ActiveTargets(), t => t.ScrapePool == "b");
        Assert.Equal(["a"], manager.ScrapePools());
        await WaitUntilAsync(() => LastValueIsStale(storage, "b_value"), TimeSpan.FromSeconds(20));
        Assert.False(LastValueIsStale(storage, "a_value"));
    }

    [Fact]
    public async Task Relabeling_drops_targets_into_the_dropped_list_and_metric_relabeling_applies()
    {
        using var a = new Target("keep_me 1\ndrop_me 2\n");
        var storage = new MemoryStorage();
        await using var manager = new ScrapeManager(storage, new ScrapeManagerOptions { DiscoveryUpdateInterval = TimeSpan.FromMilliseconds(100) });
        await manager.ApplyConfigAsync(Load($"""
              - job_name: r
                scrape_interval: 1s
                static_configs:
                  - targets: ['{a.Address}', 'gone.example:80']
                relabel_configs:
                  - source_labels: [__address__]
                    regex: gone\..*
                    action: drop
                metric_relabel_configs:
                  - source_labels: [__name__]
                    regex: drop_me
                    action: drop

            """));
        await WaitUntilAsync(() => manager.ActiveTargets().Any(t => t.Health == TargetHealth.Up));
        var dropped = Assert.Single(manager.DroppedTargets());
        Assert.Equal(("r", "gone.example:80"), (dropped.ScrapePool, dropped.DiscoveredLabels.Get("__address__")));
        Assert.Equal("r", dropped.DiscoveredLabels.Get("job"));
        Assert.NotNull(LastValue(storage, "keep_me"));
        Assert.Null(LastValue(storage, "drop_me"));
    }

    [Fact]
    public async Task Credentials_come_from_basic_auth_and_authorization_credential_files_re_read_per_scrape()
    {
        using var basic = new Target("a 1\n");
        using var bearer = new Target("b 1\n");
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("password"), "s3cret\n");
        File.WriteAllText(dir.File("token"), "tok-1\n");
        var yaml = $"""
            scrape_configs:
              - job_name: basic
                scrape_interval: 1s
                basic_auth:
                  username: user
                  password_file: password
                static_configs:
                  - targets: ['{basic.Address}']
              - job_name: bearer
                scrape_interval: 1s
                authorization:
                  credentials_file: token
                static_configs:
                  - targets: ['{bearer.Address}']

            """;
        var path = dir.File("prometheus.yml");
        File.WriteAllText(path, yaml.Replace("\r", "", StringComparison.Ordinal));
        Assert.True(ConfigLoader.TryLoadFile(path, out var config, out var errors), ConfigLoader.Describe(errors));
        await using var manager = new ScrapeManager(new MemoryStorage(), new ScrapeManagerOptions { DiscoveryUpdateInterval = TimeSpan.FromMilliseconds(100) });
        await manager.ApplyConfigAsync(config);

        await WaitUntilAsync(() => basic.LastAuthorization is not null && bearer.LastAuthorization is not null);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:s3cret")), basic.LastAuthorization);
        Assert.Equal("Bearer tok-1", bearer.LastAuthorization);
        File.WriteAllText(dir.File("token"), "tok-2\n");
        await WaitUntilAsync(() => bearer.LastAuthorization == "Bearer tok-2");
    }

    private static string Job(string name, string address, string interval) => $"""
          - job_name: {name}
            scrape_interval: {interval}
            static_configs:
              - targets: ['{address}']

        """;

    private static PrometheusConfig Load(string jobs)
    {
        Assert.True(ConfigLoader.TryLoad("scrape_configs:\n" + jobs.Replace("\r", "", StringComparison.Ordinal), null, out var config, out var errors), ConfigLoader.Describe(errors));
        return config;
    }

    private static double? LastValue(MemoryStorage storage, string metric)
    {
        using var querier = storage.Querier(long.MinValue, long.MaxValue);
        var set = querier.Select(false, [LabelMatcher.Create(LabelMatchType.Equal, Label.MetricName, metric)]);
        double? last = null;
        while (set.Next())
        {
            var it = set.At().Iterator();
            while (it.Next())
            {
                last = it.At().Value;
            }
        }
        return last;
    }

    private static bool LastValueIsStale(MemoryStorage storage, string metric) => LastValue(storage, metric) is { } v && StaleMarker.IsStale(v);

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }

    private sealed class Target : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly byte[] _body;
        private int _requests;

        public Target(string body)
        {
            _body = Encoding.UTF8.GetBytes(body);
            var port = FreePort.Next();
            Address = $"127.0.0.1:{port}";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = ServeAsync();
        }

        public string Address { get; }

        public int Requests => Volatile.Read(ref _requests);

        public string? LastAuthorization { get; private set; }

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
                Interlocked.Increment(ref _requests);
                LastAuthorization = context.Request.Headers["Authorization"];
                context.Response.ContentType = "text/plain; version=0.0.4";
                await context.Response.OutputStream.WriteAsync(_body);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
