using System.Text;
using Vigil.Model;
using Vigil.Scrape.Scraping;
using Vigil.Storage;
using Vigil.Testing;
using static Vigil.Scrape.Tests.Scraping.ScrapeTestKit;

namespace Vigil.Scrape.Tests.Scraping;

public sealed class ScrapePoolTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(10);
    private readonly ManualClock _clock = new();
    private readonly MemoryStorage _storage = new();

    private ScrapePool Pool(ScrapeStats? stats = null, TimeProvider? time = null) =>
        new("test", _storage, new ScrapePoolOptions { TimeProvider = time ?? _clock, Stats = stats });

    private static ScrapeTarget Target(Uri url, TimeSpan? interval = null, TimeSpan? timeout = null) => new()
    {
        Labels = LabelsFor(url),
        Url = url,
        Interval = interval ?? s_interval,
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
    };

    private static async Task WaitForScrapes(ScrapePool pool, ScrapeTarget target, long count) =>
        await Eventually(() => pool.Loop(target.Hash)?.CompletedScrapes >= count, $"{count} scrapes of {target.Url}");

    [Fact]
    public async Task Each_target_is_scraped_once_per_interval_after_its_offset()
    {
        await using var a = TestTarget.Text("a 1\n");
        await using var b = TestTarget.Text("b 1\n");
        var stats = new ScrapeStats();
        await using var pool = Pool(stats);
        var ta = Target(a.Url);
        var tb = Target(b.Url);
        await pool.SyncAsync([ta, tb]);
        Assert.All(pool.Targets(), t => Assert.Equal(TargetHealth.Unknown, t.Health));

        _clock.Advance(s_interval);
        await WaitForScrapes(pool, ta, 1);
        await WaitForScrapes(pool, tb, 1);
        _clock.Advance(s_interval);
        await WaitForScrapes(pool, ta, 2);
        await WaitForScrapes(pool, tb, 2);

        Assert.Equal(2, a.Requests.Count);
        Assert.Equal(2, b.Requests.Count);
        Assert.All(pool.Targets(), t => Assert.Equal(TargetHealth.Up, t.Health));
        var up = Samples(_storage, "up", "instance", a.Url.Authority);
        Assert.Equal(10_000, up[1].TimestampMs - up[0].TimestampMs);
        Assert.Contains(stats.Pools(), p => p is { Job: "test", Targets: 2, Syncs: 1 });
        Assert.Contains(stats.IntervalLengths(), i => i.Interval == s_interval && i.Count >= 2);
    }

    [Fact]
    public void Offsets_spread_targets_across_the_interval_stably()
    {
        var now = _clock.GetUtcNow();
        var offsets = new HashSet<TimeSpan>();
        for (var port = 9000; port < 9050; port++)
        {
            var target = Target(new Uri($"http://10.0.0.1:{port}/metrics"));
            var offset = target.Offset(s_interval, 0, now);
            Assert.InRange(offset, TimeSpan.Zero, s_interval);
            Assert.Equal(offset, target.Offset(s_interval, 0, now));
            // The phase is fixed: the first scrape lands at the same point of the interval whenever the loop starts.
            var phase = (now + offset - DateTimeOffset.UnixEpoch).Ticks % s_interval.Ticks;
            var later = now.AddSeconds(3.7);
            Assert.Equal(phase, (later + target.Offset(s_interval, 0, later) - DateTimeOffset.UnixEpoch).Ticks % s_interval.Ticks);
            offsets.Add(offset);
        }
        Assert.True(offsets.Count > 45, "offsets should differ between targets");
        var t = Target(new Uri("http://10.0.0.1:9000/metrics"));
        Assert.NotEqual(t.Offset(s_interval, 0, now), t.Offset(s_interval, 12345, now));
    }

    [Fact]
    public async Task Sync_keeps_unchanged_loops_and_restarts_changed_ones_with_their_cache()
    {
        await using var a = TestTarget.Text("a 1\n");
        await using var pool = Pool();
        var first = Target(a.Url);
        await pool.SyncAsync([first]);
        _clock.Advance(s_interval);
        await WaitForScrapes(pool, first, 1);
        var loop = pool.Loop(first.Hash);

        await pool.SyncAsync([Target(a.Url)]);
        Assert.Same(loop, pool.Loop(first.Hash));

        await pool.SyncAsync([Target(a.Url, timeout: TimeSpan.FromSeconds(3))]);
        var restarted = pool.Loop(first.Hash);
        Assert.NotSame(loop, restarted);
        Assert.Same(loop!.Cache, restarted!.Cache);
        Assert.Equal(TargetHealth.Up, Assert.Single(pool.Targets()).Health);
        Assert.Equal(TimeSpan.FromSeconds(3), Assert.Single(pool.Targets()).ScrapeTimeout);
    }

    [Fact]
    public async Task A_removed_target_gets_stale_markers_after_two_more_intervals()
    {
        await using var a = TestTarget.Text("a 1\nb 2\n");
        await using var keep = TestTarget.Text("k 1\n");
        await using var pool = Pool();
        var ta = Target(a.Url);
        var tk = Target(keep.Url);
        await pool.SyncAsync([ta, tk]);
        _clock.Advance(s_interval);
        await WaitForScrapes(pool, ta, 1);
        await WaitForScrapes(pool, tk, 1);
        var lastScrape = Samples(_storage, "a")[0].TimestampMs;

        await pool.SyncAsync([tk]);
        Assert.Single(pool.Targets());

        for (var i = 0; i < 60 && Samples(_storage, "a").Count < 2; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(30);
        }

        foreach (var metric in new[] { "a", "b", "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added" })
        {
            var samples = Samples(_storage, metric, "instance", a.Url.Authority);
            Assert.Equal(2, samples.Count);
            Assert.True(StaleMarker.IsStale(samples[1].Value), metric);
            // Stamped with the first slot after the stop (the manual clock ran ahead of the first scrape's read).
            Assert.InRange(samples[1].TimestampMs, lastScrape + 1, lastScrape + 10_000);
        }
        Assert.All(Samples(_storage, "k"), s => Assert.False(double.IsNaN(s.Value)));
    }

    [Fact]
    public async Task Disposing_the_pool_writes_no_stale_markers()
    {
        await using var a = TestTarget.Text("a 1\n");
        var pool = Pool();
        var ta = Target(a.Url);
        await pool.SyncAsync([ta]);
        _clock.Advance(s_interval);
        await WaitForScrapes(pool, ta, 1);

        await pool.DisposeAsync();
        _clock.Advance(s_interval * 5);

        Assert.Single(Samples(_storage, "a"));
    }

    [Fact]
    public async Task Misbehaving_targets_are_down_with_their_errors_and_the_good_one_is_unaffected()
    {
        await using var good = TestTarget.Text("good 1\n");
        await using var slow = new TestTarget(async (_, stream, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            await TestTarget.WriteAsync(stream, "slow 1\n"u8.ToArray(), "text/plain", ct: ct);
        });
        await using var huge = TestTarget.Text(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"huge_{i} {i}\n")));
        await using var error = new TestTarget(TestTarget.Respond("boom", status: 500, reason: "Internal Server Error"));
        await using var garbage = TestTarget.Text("this is { not metrics\n");
        await using var endless = new TestTarget(async (_, stream, ct) =>
        {
            await TestTarget.WriteOpenHeadAsync(stream, ct);
            for (var i = 0; ; i++)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"endless_{i} {i}\n"), ct);
                await Task.Delay(2, ct);
            }
        });

        // Real time here: the timeouts must fire while the good target keeps its schedule.
        await using var pool = new ScrapePool("test", _storage, new ScrapePoolOptions());
        var interval = TimeSpan.FromSeconds(1);
        var timeout = TimeSpan.FromMilliseconds(700);
        ScrapeTarget Make(TestTarget t) => new()
        {
            Labels = LabelsFor(t.Url),
            Url = t.Url,
            Interval = interval,
            Timeout = timeout,
            BodySizeLimit = 64 * 1024,
        };
        var targets = new[] { good, slow, huge, error, garbage, endless }.Select(Make).ToArray();
        await pool.SyncAsync(targets);

        foreach (var t in targets)
        {
            await WaitForScrapes(pool, t, 2);
        }

        TargetStatus StatusOf(TestTarget t) => pool.Targets().Single(s => s.ScrapeUrl == t.Url);
        Assert.Equal((TargetHealth.Up, ""), (StatusOf(good).Health, StatusOf(good).LastError));
        Assert.Equal((TargetHealth.Down, $"Get \"{slow.Url}\": context deadline exceeded"), (StatusOf(slow).Health, StatusOf(slow).LastError));
        Assert.Equal((TargetHealth.Down, "body size limit exceeded"), (StatusOf(huge).Health, StatusOf(huge).LastError));
        Assert.Equal((TargetHealth.Down, "server returned HTTP status 500 Internal Server Error"), (StatusOf(error).Health, StatusOf(error).LastError));
        Assert.Equal(TargetHealth.Down, StatusOf(garbage).Health);
        Assert.StartsWith("line 1, column ", StatusOf(garbage).LastError);
        Assert.Equal((TargetHealth.Down, "context deadline exceeded"), (StatusOf(endless).Health, StatusOf(endless).LastError));

        Assert.True(Samples(_storage, "good").Count >= 2);
        Assert.All(Samples(_storage, "up", "instance", good.Url.Authority), s => Assert.Equal(1, s.Value));
        foreach (var bad in new[] { slow, huge, error, garbage, endless })
        {
            Assert.All(Samples(_storage, "up", "instance", bad.Url.Authority), s => Assert.Equal(0, s.Value));
        }
        Assert.DoesNotContain(All(_storage).Keys, l => l.MetricName.StartsWith("huge_", StringComparison.Ordinal) || l.MetricName.StartsWith("endless_", StringComparison.Ordinal));
    }

    [Fact]
    public void Url_is_built_from_reserved_labels_like_Prometheus()
    {
        var labels = Labels.Of(
            ScrapeLabels.Scheme, "https",
            ScrapeLabels.Address, "example.org:9115",
            ScrapeLabels.MetricsPath, "/probe",
            "__param_target", "http://a b/?x=1",
            "__param_module", "http_2xx");
        var parameters = new Dictionary<string, IReadOnlyList<string>> { ["module"] = ["tcp", "second"], ["debug"] = ["true"] };

        var url = ScrapeTarget.BuildUrl(labels, parameters);

        Assert.Equal("https://example.org:9115/probe?debug=true&module=http_2xx&module=second&target=http%3A%2F%2Fa+b%2F%3Fx%3D1", url.OriginalString);
    }

    [Fact]
    public void Targets_are_identified_by_labels_and_url()
    {
        var url = new Uri("http://10.0.0.1:9100/metrics");
        var a = Target(url);
        Assert.Equal(a.Hash, Target(url).Hash);
        Assert.NotEqual(a.Hash, new ScrapeTarget { Labels = LabelsFor(url, "other"), Url = url }.Hash);
        Assert.NotEqual(a.Hash, new ScrapeTarget { Labels = LabelsFor(url), Url = new Uri("http://10.0.0.1:9100/metrics?x=1") }.Hash);
        Assert.Equal(Labels.Of("instance", "10.0.0.1:9100", "job", "test"), a.TargetLabels);
    }
}
