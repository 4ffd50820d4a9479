using System.Text;
using Vigil.Model;
using Vigil.Model.Exposition;
using Vigil.Scrape.Scraping;
using Vigil.Storage;
using Vigil.Testing;
using static Vigil.Scrape.Tests.Scraping.ScrapeTestKit;

namespace Vigil.Scrape.Tests.Scraping;

public sealed class ScrapeLoopTests
{
    private const string TwoSeries = """
        # HELP requests_total Requests served.
        # TYPE requests_total counter
        requests_total{code="200"} 10
        requests_total{code="500"} 2

        """;

    private readonly ManualClock _clock = new();
    private readonly MemoryStorage _storage = new();

    private async Task<TargetStatus> ScrapeAsync(ScrapeLoop loop)
    {
        await loop.ScrapeAndReportAsync(_clock.GetUtcNow(), CancellationToken.None);
        return loop.Status();
    }

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    [Fact]
    public async Task Samples_carry_target_labels_and_the_scrape_timestamp_and_report_series_follow()
    {
        await using var target = TestTarget.Text(TwoSeries);
        var loop = Loop(Target(target.Url), _storage, _clock);

        var status = await ScrapeAsync(loop);

        Assert.Equal(TargetHealth.Up, status.Health);
        Assert.Equal("", status.LastError);
        Assert.Equal(_clock.GetUtcNow(), status.LastScrape);
        var instance = target.Url.Authority;
        Assert.Equal([new Sample(Now, 10)], Samples(_storage, "requests_total", "code", "200", "job", "test", "instance", instance));
        Assert.Equal([new Sample(Now, 1)], Samples(_storage, "up", "job", "test", "instance", instance));
        Assert.Equal(2, Last(_storage, "scrape_samples_scraped"));
        Assert.Equal(2, Last(_storage, "scrape_samples_post_metric_relabeling"));
        Assert.Equal(2, Last(_storage, "scrape_series_added"));
        Assert.NotNull(Last(_storage, "scrape_duration_seconds"));
        var names = All(_storage).Keys.Select(l => l.MetricName).Distinct().Order().ToArray();
        Assert.Equal(["requests_total", "scrape_duration_seconds", "scrape_samples_post_metric_relabeling", "scrape_samples_scraped", "scrape_series_added", "up"], names);
        Assert.All(All(_storage).Keys, l => Assert.DoesNotContain(l, x => x.Name.StartsWith("__", StringComparison.Ordinal) && x.Name != Label.MetricName));

        _clock.Advance(TimeSpan.FromSeconds(10));
        await ScrapeAsync(loop);
        Assert.Equal(0, Last(_storage, "scrape_series_added"));
        Assert.Equal(2, Samples(_storage, "requests_total", "code", "500").Count);
    }

    [Fact]
    public async Task Request_carries_Prometheus_accept_header_timeout_user_agent_and_gzip()
    {
        await using var target = TestTarget.Text("a 1\n");
        var loop = Loop(new ScrapeTarget { Labels = LabelsFor(target.Url), Url = target.Url, Timeout = TimeSpan.FromSeconds(2.5) }, _storage, _clock);

        await ScrapeAsync(loop);

        var request = Assert.Single(target.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/metrics", request.Target);
        Assert.Equal("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
            request.Header("Accept"));
        Assert.Equal("2.5", request.Header("X-Prometheus-Scrape-Timeout-Seconds"));
        Assert.Equal("Vigil/test", request.Header("User-Agent"));
        Assert.Contains("gzip", request.Header("Accept-Encoding"));
    }

    [Fact]
    public void Default_user_agent_names_Vigil_and_its_version()
        => Assert.Matches(@"^Vigil/\d+\.\d+\.\d+$", ScrapePoolOptions.DefaultUserAgent);

    [Fact]
    public async Task Request_customiser_adds_headers()
    {
        await using var target = TestTarget.Text("a 1\n");
        var loop = Loop(new ScrapeTarget
        {
            Labels = LabelsFor(target.Url),
            Url = target.Url,
            ConfigureRequest = r => r.Headers.Authorization = new("Bearer", "s3cret"),
        }, _storage, _clock);

        await ScrapeAsync(loop);

        Assert.Equal("Bearer s3cret", Assert.Single(target.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task OpenMetrics_body_is_parsed_by_its_content_type_with_metadata()
    {
        const string body = """
            # TYPE build info
            # HELP build Build information.
            build_info{version="1.2"} 1
            # TYPE temperature_celsius gauge
            # UNIT temperature_celsius celsius
            temperature_celsius 21.5
            # EOF

            """;
        await using var target = new TestTarget(TestTarget.Respond(body, ExpositionContentType.OpenMetrics));
        var loop = Loop(Target(target.Url), _storage, _clock);

        var status = await ScrapeAsync(loop);

        Assert.Equal("", status.LastError);
        Assert.Equal(TargetHealth.Up, status.Health);
        Assert.Equal(1, Last(_storage, "build_info", "version", "1.2"));
        Assert.Equal(21.5, Last(_storage, "temperature_celsius"));
        var metadata = loop.Metadata();
        Assert.Contains(metadata, m => m is { Metric: "build", Type: MetricType.Info, Help: "Build information." });
        Assert.Contains(metadata, m => m is { Metric: "temperature_celsius", Type: MetricType.Gauge, Unit: "celsius" });
        Assert.All(metadata, m => Assert.Equal("test", m.Target.Get("job")));
    }

    [Fact]
    public async Task Text_body_in_OpenMetrics_syntax_without_its_content_type_is_read_as_text()
    {
        // "# EOF" is a comment in text 0.0.4: the content type, not the body, picks the parser (as Prometheus).
        await using var target = TestTarget.Text("a 1\n# EOF\n");
        var status = await ScrapeAsync(Loop(Target(target.Url), _storage, _clock));
        Assert.Equal(TargetHealth.Up, status.Health);
        Assert.Equal(1, Last(_storage, "a"));
    }

    [Fact]
    public async Task Gzip_body_is_decompressed()
    {
        var body = new StringBuilder();
        for (var i = 0; i < 500; i++)
        {
            body.Append("series_").Append(i).Append(" ").Append(i).Append('\n');
        }
        await using var target = new TestTarget(TestTarget.Respond(body.ToString(), gzip: true));
        var status = await ScrapeAsync(Loop(Target(target.Url), _storage, _clock));

        Assert.Equal(TargetHealth.Up, status.Health);
        Assert.Equal(499, Last(_storage, "series_499"));
        Assert.Equal(500, Last(_storage, "scrape_samples_scraped"));
    }

    [Fact]
    public async Task Clashing_scraped_labels_become_exported_without_honor_labels()
    {
        await using var target = TestTarget.Text("""
            a{job="inner",instance="x",exported_job="taken"} 1
            b{job=""} 2
            """ + "\n");
        var loop = Loop(Target(target.Url), _storage, _clock);

        await ScrapeAsync(loop);

        var a = Assert.Single(All(_storage).Keys, l => l.MetricName == "a");
        Assert.Equal("test", a.Get("job"));
        Assert.Equal(target.Url.Authority, a.Get("instance"));
        Assert.Equal("x", a.Get("exported_instance"));
        Assert.Equal("taken", a.Get("exported_job"));
        Assert.Equal("inner", a.Get("exported_exported_job"));
        var b = Assert.Single(All(_storage).Keys, l => l.MetricName == "b");
        Assert.Equal("test", b.Get("job"));
        Assert.False(b.Has("exported_job"));
    }

    [Fact]
    public async Task Honor_labels_keeps_scraped_values_and_fills_in_missing_target_labels()
    {
        await using var target = TestTarget.Text("a{job=\"inner\"} 1\n");
        var loop = Loop(new ScrapeTarget { Labels = LabelsFor(target.Url), Url = target.Url, HonorLabels = true }, _storage, _clock);

        await ScrapeAsync(loop);

        var a = Assert.Single(All(_storage).Keys, l => l.MetricName == "a");
        Assert.Equal("inner", a.Get("job"));
        Assert.Equal(target.Url.Authority, a.Get("instance"));
        Assert.False(a.Has("exported_job"));
        Assert.Equal(1, Last(_storage, "up", "job", "test"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Exposed_timestamps_are_used_only_with_honor_timestamps(bool honor)
    {
        var exposed = Now - 3_600_000;
        await using var target = TestTarget.Text($"a 1 {exposed}\nb 2\n");
        var loop = Loop(new ScrapeTarget { Labels = LabelsFor(target.Url), Url = target.Url, HonorTimestamps = honor }, _storage, _clock);

        await ScrapeAsync(loop);

        Assert.Equal(honor ? exposed : Now, Assert.Single(Samples(_storage, "a")).TimestampMs);
        Assert.Equal(Now, Assert.Single(Samples(_storage, "b")).TimestampMs);
    }

    [Fact]
    public async Task Metric_relabeling_drops_series_and_runs_once_per_new_series()
    {
        await using var target = TestTarget.Text("keep 1\ndrop_me 2\nrename 3\n");
        var calls = 0;
        var loop = Loop(new ScrapeTarget
        {
            Labels = LabelsFor(target.Url),
            Url = target.Url,
            MetricRelabel = labels =>
            {
                Interlocked.Increment(ref calls);
                return labels.MetricName switch
                {
                    "drop_me" => null,
                    "rename" => new LabelsBuilder(labels).Set(Label.MetricName, "renamed").ToLabels(),
                    _ => labels,
                };
            },
        }, _storage, _clock);

        await ScrapeAsync(loop);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await ScrapeAsync(loop);

        Assert.Equal(3, calls);
        Assert.Empty(Samples(_storage, "drop_me"));
        Assert.Equal(2, Samples(_storage, "renamed").Count);
        Assert.Equal(3, Last(_storage, "scrape_samples_scraped"));
        Assert.Equal(2, Last(_storage, "scrape_samples_post_metric_relabeling"));
    }

    [Fact]
    public async Task A_series_that_vanishes_gets_one_stale_marker()
    {
        await using var target = TestTarget.Text(TwoSeries);
        var loop = Loop(Target(target.Url), _storage, _clock);
        await ScrapeAsync(loop);

        target.Handler = TestTarget.Respond("requests_total{code=\"200\"} 11\n");
        _clock.Advance(TimeSpan.FromSeconds(10));
        await ScrapeAsync(loop);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await ScrapeAsync(loop);

        var gone = Samples(_storage, "requests_total", "code", "500");
        Assert.Equal(2, gone.Count);
        Assert.True(StaleMarker.IsStale(gone[1].Value));
        Assert.Equal(Now - 10_000, gone[1].TimestampMs);
        Assert.All(Samples(_storage, "requests_total", "code", "200"), s => Assert.False(double.IsNaN(s.Value)));
        Assert.Equal(3, Samples(_storage, "up").Count);
    }

    [Fact]
    public async Task Series_with_exposed_timestamps_are_not_marked_stale()
    {
        await using var target = TestTarget.Text($"a 1 {Now - 60_000}\n");
        var loop = Loop(Target(target.Url), _storage, _clock);
        await ScrapeAsync(loop);

        target.Handler = TestTarget.Respond("b 1\n");
        _clock.Advance(TimeSpan.FromSeconds(10));
        await ScrapeAsync(loop);

        Assert.Single(Samples(_storage, "a"));
    }

    [Fact]
    public async Task A_failed_scrape_reports_down_and_marks_the_last_good_scrapes_series_stale_once()
    {
        await using var target = TestTarget.Text(TwoSeries);
        var loop = Loop(Target(target.Url), _storage, _clock);
        await ScrapeAsync(loop);

        target.Handler = TestTarget.Respond("oops", status: 500, reason: "Internal Server Error");
        _clock.Advance(TimeSpan.FromSeconds(10));
        var failed = await ScrapeAsync(loop);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await ScrapeAsync(loop);

        Assert.Equal(TargetHealth.Down, failed.Health);
        Assert.Equal("server returned HTTP status 500 Internal Server Error", failed.LastError);
        Assert.Equal([1.0, 0, 0], Samples(_storage, "up").Select(s => s.Value));
        Assert.Equal([2.0, 0, 0], Samples(_storage, "scrape_samples_scraped").Select(s => s.Value));
        foreach (var code in new[] { "200", "500" })
        {
            var samples = Samples(_storage, "requests_total", "code", code);
            Assert.Equal(2, samples.Count);
            Assert.True(StaleMarker.IsStale(samples[1].Value));
        }

        target.Handler = TestTarget.Respond(TwoSeries);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var back = await ScrapeAsync(loop);
        Assert.Equal(TargetHealth.Up, back.Health);
        Assert.Equal("", back.LastError);
        Assert.Equal(10, Samples(_storage, "requests_total", "code", "200")[^1].Value);
    }

    [Fact]
    public async Task Malformed_body_fails_with_the_parse_error_and_its_position_and_appends_nothing_of_it()
    {
        await using var target = TestTarget.Text("good 1\nbad{x='y'} 2\n");
        var status = await ScrapeAsync(Loop(Target(target.Url), _storage, _clock));

        Assert.Equal(TargetHealth.Down, status.Health);
        Assert.StartsWith("line 2, column 7: ", status.LastError);
        Assert.Contains("expected label value", status.LastError);
        Assert.Empty(Samples(_storage, "good"));
        Assert.Equal(0, Last(_storage, "up"));
        Assert.Equal(1, Last(_storage, "scrape_samples_scraped"));
    }

    [Fact]
    public async Task Connection_refused_is_reported_like_Go()
    {
        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}/metrics");
        var status = await ScrapeAsync(Loop(Target(url), _storage, _clock));

        Assert.Equal(TargetHealth.Down, status.Health);
        Assert.Equal($"Get \"{url}\": dial tcp {url.Authority}: connect: connection refused", status.LastError);
        Assert.Equal(0, Last(_storage, "up"));
    }

    [Fact]
    public async Task Slow_target_times_out_with_context_deadline_exceeded()
    {
        await using var target = new TestTarget(async (_, stream, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            await TestTarget.WriteAsync(stream, "a 1\n"u8.ToArray(), "text/plain", ct: ct);
        });
        var loop = Loop(new ScrapeTarget { Labels = LabelsFor(target.Url), Url = target.Url, Timeout = TimeSpan.FromMilliseconds(300) }, _storage);

        var started = DateTime.UtcNow;
        await loop.ScrapeAndReportAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var status = loop.Status();

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.Equal(TargetHealth.Down, status.Health);
        Assert.Equal($"Get \"{target.Url}\": context deadline exceeded", status.LastError);
        Assert.Equal(0, Last(_storage, "up"));
    }

    [Fact]
    public async Task Never_ending_body_times_out()
    {
        await using var target = new TestTarget(async (_, stream, ct) =>
        {
            await TestTarget.WriteOpenHeadAsync(stream, ct);
            for (var i = 0; ; i++)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"s{i} {i}\n"), ct);
                await Task.Delay(5, ct);
            }
        });
        var loop = Loop(new ScrapeTarget { Labels = LabelsFor(target.Url), Url = target.Url, Timeout = TimeSpan.FromMilliseconds(500) }, _storage);

        await loop.ScrapeAndReportAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var status = loop.Status();

        Assert.Equal(TargetHealth.Down, status.Health);
        Assert.Equal("context deadline exceeded", status.LastError);
        Assert.Empty(Samples(_storage, "s0"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Oversized_body_fails_with_body_size_limit_exceeded(bool gzip)
    {
        var body = string.Concat(Enumerable.Range(0, 1000).Select(i => $"metric_{i} {i}\n"));
        await using var target = new TestTarget(TestTarget.Respond(body, gzip: gzip));
        var stats = new ScrapeStats();
        var loop = Loop(new ScrapeTarget { Labels = LabelsFor(target.Url), Url = target.Url, BodySizeLimit = 4096 }, _storage, _clock, stats);

        var status = await ScrapeAsync(loop);

        Assert.Equal(TargetHealth.Down, status.Health);
        Assert.Equal("body size limit exceeded", status.LastError);
        Assert.Equal(1, stats.ExceededBodySizeLimit);
        Assert.Empty(Samples(_storage, "metric_0"));
    }

    [Fact]
    public async Task Body_just_under_the_limit_is_accepted()
    {
        await using var target = TestTarget.Text("a 1\n");
        var loop = Loop(new ScrapeTarget { Labels = LabelsFor(target.Url), Url = target.Url, BodySizeLimit = 5 }, _storage, _clock);
        Assert.Equal(TargetHealth.Up, (await ScrapeAsync(loop)).Health);

        var exact = Loop(new ScrapeTarget { Labels = LabelsFor(target.Url), Url = target.Url, BodySizeLimit = 4 }, new MemoryStorage(), _clock);
        Assert.Equal("body size limit exceeded", (await ScrapeAsync(exact)).LastError);
    }

    [Fact]
    public async Task Sample_limit_fails_the_scrape_but_counts_every_sample()
    {
        await using var target = TestTarget.Text("a 1\nb 2\nc 3\ndropped 4\n");
        var stats = new ScrapeStats();
        var loop = Loop(new ScrapeTarget
        {
            Labels = LabelsFor(target.Url),
            Url = target.Url,
            SampleLimit = 2,
            MetricRelabel = l => l.MetricName == "dropped" ? null : l,
        }, _storage, _clock, stats);

        var status = await ScrapeAsync(loop);

        Assert.Equal(TargetHealth.Down, status.Health);
        Assert.Equal("sample limit exceeded", status.LastError);
        Assert.Equal(1, stats.ExceededSampleLimit);
        Assert.Empty(Samples(_storage, "a"));
        Assert.Equal(0, Last(_storage, "up"));
        Assert.Equal(4, Last(_storage, "scrape_samples_scraped"));
        Assert.Equal(3, Last(_storage, "scrape_samples_post_metric_relabeling"));
    }

    [Fact]
    public async Task Sample_limit_not_exceeded_when_equal()
    {
        await using var target = TestTarget.Text("a 1\nb 2\n");
        var loop = Loop(new ScrapeTarget { Labels = LabelsFor(target.Url), Url = target.Url, SampleLimit = 2 }, _storage, _clock);
        Assert.Equal(TargetHealth.Up, (await ScrapeAsync(loop)).Health);
    }

    [Theory]
    [InlineData(3, 0, 0, "label_limit exceeded (metric: a, number of labels: 4, limit: 3)")]
    [InlineData(0, 8, 0, "label_name_length_limit exceeded (metric: a, label name: extra_long, length: 10, limit: 8)")]
    [InlineData(0, 0, 3, "label_value_length_limit exceeded (metric: a, label name: extra_long, value: \"élan\", length: 4, limit: 3)")]
    public async Task Label_limits_fail_the_scrape_with_Prometheus_wording(int labelLimit, int nameLimit, int valueLimit, string error)
    {
        await using var target = TestTarget.Text("a{extra_long=\"élan\"} 1\n");
        var url = target.Url;
        var loop = Loop(new ScrapeTarget
        {
            // Short target labels so only "extra_long" can break the length limits (__name__ counts too, as in Prometheus).
            Labels = Labels.Of("job", "t", "instance", "i", ScrapeLabels.Address, url.Authority),
            Url = url,
            LabelLimit = labelLimit,
            LabelNameLengthLimit = nameLimit,
            LabelValueLengthLimit = valueLimit,
        }, _storage, _clock);

        var status = await ScrapeAsync(loop);

        Assert.Equal(TargetHealth.Down, status.Health);
        Assert.Equal(error, status.LastError);
        Assert.Empty(Samples(_storage, "a"));
    }

    [Fact]
    public async Task Out_of_order_and_duplicate_samples_are_counted_not_fatal()
    {
        var t1 = Now - 60_000;
        await using var target = TestTarget.Text($"a 1 {t1}\nb 1 {t1}\nc 1\n");
        var stats = new ScrapeStats();
        var loop = Loop(Target(target.Url), _storage, _clock, stats);
        await ScrapeAsync(loop);

        target.Handler = TestTarget.Respond($"a 2 {t1 - 1000}\nb 2 {t1}\nc 2\n");
        _clock.Advance(TimeSpan.FromSeconds(10));
        var status = await ScrapeAsync(loop);

        Assert.Equal(TargetHealth.Up, status.Health);
        Assert.Equal(1, stats.SampleOutOfOrder);
        Assert.Equal(1, stats.SampleDuplicateTimestamp);
        Assert.Equal([1.0, 2], Samples(_storage, "c").Select(s => s.Value));
        Assert.Equal(3, Last(_storage, "scrape_samples_post_metric_relabeling"));
    }

    [Fact]
    public async Task Samples_too_far_in_the_future_are_out_of_bounds()
    {
        var future = _clock.GetUtcNow().AddHours(1).ToUnixTimeMilliseconds();
        await using var target = TestTarget.Text($"a 1 {future}\nb 1\n");
        var stats = new ScrapeStats();
        var status = await ScrapeAsync(Loop(Target(target.Url), _storage, _clock, stats));

        Assert.Equal(TargetHealth.Up, status.Health);
        Assert.Equal(1, stats.SampleOutOfBounds);
        Assert.Empty(Samples(_storage, "a"));
    }

    [Fact]
    public async Task Re_scrapes_reuse_the_cache_without_growing_it()
    {
        await using var target = TestTarget.Text(TwoSeries);
        var loop = Loop(Target(target.Url), _storage, _clock);
        for (var i = 0; i < 5; i++)
        {
            await ScrapeAsync(loop);
            _clock.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(2, loop.Cache.Count);

        // Churn: series not seen in the last good scrape leave the cache.
        target.Handler = TestTarget.Respond("other 1\n");
        await ScrapeAsync(loop);
        Assert.Equal(1, loop.Cache.Count);
    }

    [Fact]
    public async Task Metadata_follows_the_latest_help_and_type()
    {
        await using var target = TestTarget.Text("# HELP a First.\n# TYPE a gauge\na 1\n");
        var loop = Loop(Target(target.Url), _storage, _clock);
        await ScrapeAsync(loop);
        target.Handler = TestTarget.Respond("# HELP a Second\\nline.\n# TYPE a counter\na 1\n");
        _clock.Advance(TimeSpan.FromSeconds(10));
        await ScrapeAsync(loop);

        var meta = Assert.Single(loop.Metadata());
        Assert.Equal(("a", MetricType.Counter, "Second\nline.", ""), (meta.Metric, meta.Type, meta.Help, meta.Unit));
    }
}
