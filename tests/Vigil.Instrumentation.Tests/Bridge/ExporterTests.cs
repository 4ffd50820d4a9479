using System.Globalization;
using System.Diagnostics.Metrics;
using Vigil.Model.Exposition;

namespace Vigil.Instrumentation.Tests.Bridge;

public sealed class ExporterTests
{
    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    [Fact]
    public void Counter_is_a_counter_with_total_and_tags_as_labels()
    {
        using var meters = new TestMeters();
        var counter = meters.CreateMeter().CreateCounter<long>("orders.created", "{order}", "Orders created.");
        counter.Add(2, Tag("region", "eu"));
        counter.Add(1, Tag("region", "us"));
        counter.Add(1, Tag("region", "eu"));

        Assert.Equal(
            """
            # HELP orders_created_total Orders created.
            # TYPE orders_created_total counter
            orders_created_total{region="eu"} 3
            orders_created_total{region="us"} 1

            """, meters.Scrape());
    }

    [Fact]
    public void Counter_ignores_negative_and_NaN_increments()
    {
        using var meters = new TestMeters();
        var counter = meters.CreateMeter().CreateCounter<double>("work", null, "Work done.");
        counter.Add(1.5);
        counter.Add(-1);
        counter.Add(double.NaN);

        Assert.Equal(1.5, MetricsText.Require(meters.Scrape(), "work_total"));
    }

    [Fact]
    public void UpDownCounter_is_a_gauge_that_sums()
    {
        using var meters = new TestMeters();
        var queue = meters.CreateMeter().CreateUpDownCounter<int>("queue.depth", "{item}", "Items waiting.");
        queue.Add(5);
        queue.Add(-2);

        Assert.Equal(
            """
            # HELP queue_depth Items waiting.
            # TYPE queue_depth gauge
            queue_depth 3

            """, meters.Scrape());
    }

    [Fact]
    public void Gauge_keeps_the_last_value()
    {
        using var meters = new TestMeters();
        var gauge = meters.CreateMeter().CreateGauge<double>("room.temperature", "Cel", "Temperature of the room.");
        gauge.Record(21.5, Tag("room", "lab"));
        gauge.Record(19.25, Tag("room", "lab"));

        Assert.Equal(
            """
            # HELP room_temperature_celsius Temperature of the room.
            # TYPE room_temperature_celsius gauge
            room_temperature_celsius{room="lab"} 19.25

            """, meters.Scrape());
    }

    [Fact]
    public void Observable_instruments_report_what_their_callbacks_return()
    {
        using var meters = new TestMeters();
        var meter = meters.CreateMeter();
        meter.CreateObservableCounter("cpu.time", () => 12.5, "s", "CPU time.");
        meter.CreateObservableGauge("cache.hit", () => 0.75, "1", "Share of cache hits.");
        meter.CreateObservableUpDownCounter("connections.open", () => new Measurement<long>(4, Tag("pool", "main")), "{connection}", "Open connections.");

        Assert.Equal(
            """
            # HELP cache_hit_ratio Share of cache hits.
            # TYPE cache_hit_ratio gauge
            cache_hit_ratio 0.75
            # HELP connections_open Open connections.
            # TYPE connections_open gauge
            connections_open{pool="main"} 4
            # HELP cpu_time_seconds_total CPU time.
            # TYPE cpu_time_seconds_total counter
            cpu_time_seconds_total 12.5

            """, meters.Scrape());
    }

    [Fact]
    public void Observable_series_not_reported_in_the_latest_collection_are_not_exported()
    {
        using var meters = new TestMeters();
        var queues = new List<Measurement<int>> { new(3, Tag("queue", "a")), new(7, Tag("queue", "b")) };
        meters.CreateMeter().CreateObservableGauge("queue.length", () => queues.ToArray(), null, "Queue length.");

        var first = meters.Scrape();
        queues.RemoveAt(0);
        var second = meters.Scrape();

        Assert.Equal(3, MetricsText.Require(first, "queue_length{queue=\"a\"}"));
        Assert.Null(MetricsText.Value(second, "queue_length{queue=\"a\"}"));
        Assert.Equal(7, MetricsText.Require(second, "queue_length{queue=\"b\"}"));
    }

    [Fact]
    public void Histogram_writes_cumulative_buckets_sum_and_count()
    {
        using var meters = new TestMeters(buckets: [1, 2, 4]);
        var histogram = meters.CreateMeter().CreateHistogram<double>("job.duration", "s", "Job duration.");
        foreach (var value in new[] { 0.5, 1, 1.5, 3, 100 })
        {
            histogram.Record(value, Tag("queue", "q1"));
        }

        Assert.Equal(
            """
            # HELP job_duration_seconds Job duration.
            # TYPE job_duration_seconds histogram
            job_duration_seconds_bucket{queue="q1",le="1"} 2
            job_duration_seconds_bucket{queue="q1",le="2"} 3
            job_duration_seconds_bucket{queue="q1",le="4"} 4
            job_duration_seconds_bucket{queue="q1",le="+Inf"} 5
            job_duration_seconds_sum{queue="q1"} 106
            job_duration_seconds_count{queue="q1"} 5

            """, meters.Scrape());
    }

    [Fact]
    public void OpenMetrics_names_counter_families_without_total_and_writes_unit_and_eof()
    {
        using var meters = new TestMeters(buckets: [0.5, 1]);
        var meter = meters.CreateMeter();
        meter.CreateCounter<long>("dotnet.gc.pause.time", "s", "GC pauses.").Add(3);
        meter.CreateHistogram<double>("request.size", "By", "Request sizes.").Record(0.75);

        Assert.Equal(
            """
            # HELP dotnet_gc_pause_time_seconds GC pauses.
            # TYPE dotnet_gc_pause_time_seconds counter
            # UNIT dotnet_gc_pause_time_seconds seconds
            dotnet_gc_pause_time_seconds_total 3
            # HELP request_size_bytes Request sizes.
            # TYPE request_size_bytes histogram
            # UNIT request_size_bytes bytes
            request_size_bytes_bucket{le="0.5"} 0
            request_size_bytes_bucket{le="1.0"} 1
            request_size_bytes_bucket{le="+Inf"} 1
            request_size_bytes_sum 0.75
            request_size_bytes_count 1
            # EOF

            """, meters.Scrape(ExpositionFormat.OpenMetrics));
    }

    [Fact]
    public void Help_defaults_to_the_instrument_and_meter_when_there_is_no_description()
    {
        using var meters = new TestMeters();
        meters.CreateMeter("My.Meter").CreateCounter<int>("things").Add(1);

        Assert.Contains("# HELP things_total things (meter My.Meter).\n", meters.Scrape());
    }

    [Fact]
    public void Help_is_escaped()
    {
        using var meters = new TestMeters();
        meters.CreateMeter().CreateCounter<int>("things", null, "a \\ b\nc").Add(1);

        Assert.Contains("# HELP things_total a \\\\ b\\nc\n", meters.Scrape());
    }

    [Fact]
    public void Families_with_no_series_are_not_written()
    {
        using var meters = new TestMeters();
        meters.CreateMeter().CreateCounter<int>("never.used");

        Assert.Equal("", meters.Scrape());
        Assert.Equal("# EOF\n", meters.Scrape(ExpositionFormat.OpenMetrics));
    }

    [Fact]
    public void Tag_order_does_not_make_a_new_series()
    {
        using var meters = new TestMeters();
        var counter = meters.CreateMeter().CreateCounter<int>("hits");
        counter.Add(1, Tag("a", "1"), Tag("b", "2"));
        counter.Add(1, Tag("b", "2"), Tag("a", "1"));

        Assert.Equal(["hits_total{a=\"1\",b=\"2\"} 2"], MetricsText.Samples(meters.Scrape(), "hits_total"));
    }

    [Fact]
    public void Tag_values_that_print_alike_share_a_series()
    {
        using var meters = new TestMeters();
        var counter = meters.CreateMeter().CreateCounter<int>("responses");
        counter.Add(1, Tag("code", 200));
        counter.Add(1, Tag("code", "200"));
        counter.Add(1, Tag("ok", true));

        var samples = MetricsText.Samples(meters.Scrape(), "responses_total");
        Assert.Equal(["responses_total{code=\"200\"} 2", "responses_total{ok=\"true\"} 1"], samples);
    }

    [Fact]
    public void Non_string_tag_values_use_the_invariant_culture()
    {
        // The build is globalization-invariant, so make a culture with a decimal comma by hand.
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = comma;
        try
        {
            using var meters = new TestMeters();
            meters.CreateMeter().CreateCounter<int>("ratios").Add(1, Tag("r", 0.5), Tag("m", 2.5m));

            Assert.Equal("0,5", 0.5.ToString(CultureInfo.CurrentCulture));
            Assert.Equal(["ratios_total{m=\"2.5\",r=\"0.5\"} 1"], MetricsText.Samples(meters.Scrape(), "ratios_total"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Keys_that_sanitize_alike_join_their_values_in_key_order()
    {
        using var meters = new TestMeters();
        meters.CreateMeter().CreateCounter<int>("calls").Add(1, Tag("http_method", "B"), Tag("http.method", "A"));

        // Spec, Metric Attributes: values joined with ';' in the lexicographical order of the original keys.
        Assert.Equal(["calls_total{http_method=\"A;B\"} 1"], MetricsText.Samples(meters.Scrape(), "calls_total"));
    }

    [Fact]
    public void Label_values_are_escaped()
    {
        using var meters = new TestMeters();
        meters.CreateMeter().CreateCounter<int>("odd").Add(1, Tag("path", "a\"b\\c\nd"));

        Assert.Equal(["odd_total{path=\"a\\\"b\\\\c\\nd\"} 1"], MetricsText.Samples(meters.Scrape(), "odd_total"));
    }

    [Fact]
    public void Instruments_with_the_same_name_and_kind_share_a_family()
    {
        using var meters = new TestMeters();
        meters.CreateMeter("a").CreateCounter<long>("jobs").Add(2);
        meters.CreateMeter("b").CreateCounter<int>("jobs").Add(3);

        var text = meters.Scrape();
        Assert.Single(MetricsText.Lines(text), l => l.StartsWith("# TYPE jobs_total", StringComparison.Ordinal));
        Assert.Equal(5, MetricsText.Require(text, "jobs_total"));
    }

    [Fact]
    public void An_instrument_whose_name_is_taken_by_another_type_is_dropped()
    {
        using var meters = new TestMeters();
        var meter = meters.CreateMeter();
        meter.CreateHistogram<double>("size").Record(1);
        meter.CreateGauge<double>("size").Record(5);

        var text = meters.Scrape();
        Assert.Single(MetricsText.Lines(text), l => l.StartsWith("# TYPE size", StringComparison.Ordinal));
        Assert.Contains("# TYPE size histogram", text);
    }

    [Fact]
    public void Disposing_a_meter_removes_its_families()
    {
        using var meters = new TestMeters();
        var meter = meters.CreateMeter();
        meter.CreateCounter<int>("gone").Add(1);
        Assert.NotEqual("", meters.Scrape());

        meter.Dispose();

        Assert.Equal("", meters.Scrape());
    }

    [Fact]
    public void Meters_the_filter_rejects_are_not_exported()
    {
        using var meters = new TestMeters();
        using var other = new Meter(new MeterOptions("other") { Scope = new object() });
        other.CreateCounter<int>("elsewhere").Add(1);

        Assert.DoesNotContain("elsewhere", meters.Scrape());
    }

    [Fact]
    public void Every_measurement_type_is_accepted()
    {
        using var meters = new TestMeters();
        var meter = meters.CreateMeter();
        meter.CreateCounter<byte>("b").Add(1);
        meter.CreateCounter<short>("s").Add(2);
        meter.CreateCounter<int>("i").Add(3);
        meter.CreateCounter<long>("l").Add(4);
        meter.CreateCounter<float>("f").Add(0.5f);
        meter.CreateCounter<double>("d").Add(0.25);
        meter.CreateCounter<decimal>("m").Add(1.5m);

        var text = meters.Scrape();
        Assert.Equal([1, 2, 3, 4, 0.5, 0.25, 1.5], new[] { "b", "s", "i", "l", "f", "d", "m" }.Select(n => MetricsText.Require(text, n + "_total")));
    }

    [Fact]
    public void A_failing_callback_does_not_fail_the_scrape()
    {
        using var meters = new TestMeters();
        var meter = meters.CreateMeter();
        Func<int> broken = () => throw new InvalidOperationException("boom");
        meter.CreateObservableGauge("broken", broken);
        meter.CreateObservableGauge("fine", () => 1);

        Assert.Equal(1, MetricsText.Require(meters.Scrape(), "fine"));
    }

    [Fact]
    public async Task Concurrent_recording_loses_nothing()
    {
        using var meters = new TestMeters(buckets: [0.5]);
        var meter = meters.CreateMeter();
        var counter = meter.CreateCounter<long>("ops");
        var histogram = meter.CreateHistogram<double>("latency", "s");
        const int Threads = 8;
        const int PerThread = 50_000;

        var tasks = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                counter.Add(1, Tag("worker", t % 2 == 0 ? "even" : "odd"));
                histogram.Record(i % 2 == 0 ? 0.25 : 1);
            }
        })).ToArray();
        // Scrapes racing the writers must never show a _count different from the +Inf bucket.
        while (!tasks.All(t => t.IsCompleted))
        {
            var text = meters.Scrape();
            Assert.Equal(MetricsText.Value(text, "latency_seconds_bucket{le=\"+Inf\"}"), MetricsText.Value(text, "latency_seconds_count"));
        }
        await Task.WhenAll(tasks);

        var final = meters.Scrape();
        Assert.Equal(Threads / 2 * PerThread, MetricsText.Require(final, "ops_total{worker=\"even\"}"));
        Assert.Equal(Threads / 2 * PerThread, MetricsText.Require(final, "ops_total{worker=\"odd\"}"));
        Assert.Equal(Threads * PerThread / 2, MetricsText.Require(final, "latency_seconds_bucket{le=\"0.5\"}"));
        Assert.Equal(Threads * PerThread, MetricsText.Require(final, "latency_seconds_count"));
        Assert.Equal((Threads * PerThread / 2 * 0.25) + (Threads * PerThread / 2), MetricsText.Require(final, "latency_seconds_sum"));
    }

    [Fact]
    public void Recording_into_a_known_series_does_not_allocate()
    {
        using var meters = new TestMeters();
        var meter = meters.CreateMeter();
        var counter = meter.CreateCounter<long>("requests");
        var histogram = meter.CreateHistogram<double>("duration", "s");
        var method = Tag("method", "GET");
        var route = Tag("route", "/orders/{id}");
        var code = Tag("code", "200");
        for (var i = 0; i < 1000; i++)
        {
            counter.Add(1, method, route, code);
            histogram.Record(0.1, method, route, code);
            counter.Add(1);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            counter.Add(1, method, route, code);
            histogram.Record(0.1, code, route, method);
            counter.Add(1);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
