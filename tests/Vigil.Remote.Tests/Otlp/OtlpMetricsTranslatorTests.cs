using Vigil.Model;
using Vigil.Remote.Otlp;
using Vigil.Remote.Otlp.Proto.Collector;
using Vigil.Remote.Otlp.Proto.Common;
using Vigil.Remote.Otlp.Proto.Metrics;
using static Vigil.Remote.Tests.Otlp.OtlpRequests;

namespace Vigil.Remote.Tests.Otlp;

public sealed class OtlpMetricsTranslatorTests
{
    private sealed class ListSink : IOtlpSampleSink
    {
        public List<(string Series, long T, double V)> Samples { get; } = [];

        public int StopAfter { get; init; } = int.MaxValue;

        public bool Append(Labels labels, long timestampMs, double value)
        {
            if (Samples.Count >= StopAfter)
            {
                return false;
            }
            Samples.Add((labels.ToString(), timestampMs, value));
            return true;
        }

        public double Value(string series) => Assert.Single(Samples, s => s.Series == series).V;
    }

    private static (ListSink Sink, OtlpTranslation Result) Translate(ExportMetricsServiceRequest request)
    {
        var sink = new ListSink();
        var result = OtlpMetricsTranslator.Translate(request, new OtlpNames(), ref sink);
        return (sink, result);
    }

    [Fact]
    public void Monotonic_cumulative_sum_is_a_counter_with_unit_and_total()
    {
        var t = BaseMs + 15_000;
        var (sink, result) = Translate(Request(Service("checkout"),
            Counter("http.server.request.duration", "s", Point(t, 12.5, Attr("http.method", "GET")))));
        Assert.Equal(("{__name__=\"http_server_request_duration_seconds_total\", http_method=\"GET\", job=\"checkout\"}", t, 12.5), Assert.Single(sink.Samples));
        Assert.Equal(1, result.Samples);
        Assert.Equal(0, result.RejectedDataPoints);
    }

    [Theory]
    [InlineData("queue.depth", "{item}", false, "queue_depth")]
    [InlineData("memory.used", "By", false, "memory_used_bytes")]
    [InlineData("cpu.utilization", "1", true, "cpu_utilization_ratio")]
    [InlineData("active.ratio", "1", false, "active_ratio")]
    [InlineData("latency.max", "ms", true, "latency_max_milliseconds")]
    [InlineData("dotnet.timer.count", "{timer}", true, "dotnet_timer_count_current")]
    public void Gauges_and_non_monotonic_sums_are_gauges_named_like_instrumentation(string name, string unit, bool isGauge, string expected)
    {
        var metric = isGauge
            ? Gauge(name, unit, Point(BaseMs, 3))
            : Sum(name, unit, monotonic: false, AggregationTemporality.Cumulative, Point(BaseMs, 3));
        var (sink, _) = Translate(Request(null, metric));
        Assert.Equal($"{{__name__=\"{expected}\"}}", Assert.Single(sink.Samples).Series);
    }

    [Fact]
    public void Int_points_and_attribute_value_kinds_become_label_values()
    {
        var array = new AnyValue { ArrayValue = new ArrayValue() };
        array.ArrayValue.Values.Add(new AnyValue { StringValue = "a" });
        array.ArrayValue.Values.Add(new AnyValue { IntValue = 2 });
        var point = IntPoint(BaseMs, 7,
            new KeyValue { Key = "flag", Value = new AnyValue { BoolValue = true } },
            new KeyValue { Key = "count", Value = new AnyValue { IntValue = -3 } },
            new KeyValue { Key = "ratio", Value = new AnyValue { DoubleValue = 1e21 } },
            new KeyValue { Key = "list", Value = array },
            new KeyValue { Key = "raw", Value = new AnyValue { BytesValue = Google.Protobuf.ByteString.CopyFrom(1, 2, 3) } });
        var (sink, _) = Translate(Request(null, Gauge("g", "", point)));
        Assert.Equal("{__name__=\"g\", count=\"-3\", flag=\"true\", list=\"[\\\"a\\\",2]\", ratio=\"1000000000000000000000\", raw=\"AQID\"}", Assert.Single(sink.Samples).Series);
        Assert.Equal(7, sink.Samples[0].V);
    }

    [Fact]
    public void Attribute_names_are_sanitized_and_colliding_ones_joined_in_key_order()
    {
        var point = Point(BaseMs, 1, Attr("net.peer-name", "b"), Attr("net.peer.name", "a"), Attr("9lives", "x"), Attr("le", "y"), Attr("httpMethod", "PUT"));
        var (sink, _) = Translate(Request(null, Gauge("g", "", point)));
        // Sorted by key: "net.peer-name" < "net.peer.name" ('-' < '.'), so b comes first.
        Assert.Equal("{_9lives=\"x\", __name__=\"g\", http_method=\"PUT\", net_peer_name=\"b;a\", tag_le=\"y\"}", Assert.Single(sink.Samples).Series);
    }

    [Fact]
    public void Resource_identity_becomes_job_and_instance_and_the_rest_target_info()
    {
        var resource = Service("cart", "pod-7", Attr("service.namespace", "shop"), Attr("host.name", "node-1"), Attr("telemetry.sdk.language", "dotnet"));
        // A point attribute named job is overridden by the resource's (as Prometheus's translator does).
        var (sink, _) = Translate(Request(resource,
            Gauge("a", "", Point(BaseMs + 1000, 1, Attr("job", "mine"))),
            Gauge("b", "", Point(BaseMs + 5000, 2))));
        Assert.Equal(3, sink.Samples.Count);
        Assert.Equal(1, sink.Value("{__name__=\"a\", instance=\"pod-7\", job=\"shop/cart\"}"));
        var info = Assert.Single(sink.Samples, s => s.Series.StartsWith("{__name__=\"target_info\"", StringComparison.Ordinal));
        Assert.Equal("{__name__=\"target_info\", host_name=\"node-1\", instance=\"pod-7\", job=\"shop/cart\", telemetry_sdk_language=\"dotnet\"}", info.Series);
        Assert.Equal((BaseMs + 5000, 1.0), (info.T, info.V));
    }

    [Fact]
    public void A_resource_with_only_identity_has_no_target_info()
    {
        var (sink, _) = Translate(Request(Service("cart", "i-1"), Gauge("a", "", Point(BaseMs, 1))));
        Assert.DoesNotContain(sink.Samples, s => s.Series.Contains("target_info", StringComparison.Ordinal));
    }

    [Fact]
    public void Explicit_bucket_histogram_becomes_cumulative_buckets_sum_and_count()
    {
        var t = BaseMs + 30_000;
        var point = HistogramPoint(t, [0.005, 0.1, 1], [2, 3, 0, 1], 4.25, Attr("route", "/"));
        var (sink, result) = Translate(Request(null, Histogram("http.server.request.duration", "s", AggregationTemporality.Cumulative, point)));
        Assert.Equal(
        [
            ("{__name__=\"http_server_request_duration_seconds_bucket\", le=\"0.005\", route=\"/\"}", t, 2),
            ("{__name__=\"http_server_request_duration_seconds_bucket\", le=\"0.1\", route=\"/\"}", t, 5),
            ("{__name__=\"http_server_request_duration_seconds_bucket\", le=\"1\", route=\"/\"}", t, 5),
            ("{__name__=\"http_server_request_duration_seconds_bucket\", le=\"+Inf\", route=\"/\"}", t, 6),
            ("{__name__=\"http_server_request_duration_seconds_sum\", route=\"/\"}", t, 4.25),
            ("{__name__=\"http_server_request_duration_seconds_count\", route=\"/\"}", t, 6),
        ], sink.Samples);
        Assert.Equal(6, result.Samples);
    }

    [Fact]
    public void Histogram_without_sum_or_buckets_has_only_the_inf_bucket_and_count()
    {
        var point = HistogramPoint(BaseMs, [], [], sum: null);
        point.Count = 9;
        var (sink, _) = Translate(Request(null, Histogram("h", "", AggregationTemporality.Cumulative, point)));
        Assert.Equal(
        [
            ("{__name__=\"h_bucket\", le=\"+Inf\"}", BaseMs, 9),
            ("{__name__=\"h_count\"}", BaseMs, 9),
        ], sink.Samples);
    }

    [Fact]
    public void Summary_becomes_quantiles_sum_and_count()
    {
        var point = new SummaryDataPoint { TimeUnixNano = Nanos(BaseMs), Count = 10, Sum = 2.5 };
        point.QuantileValues.Add(new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 0.5, Value = 0.2 });
        point.QuantileValues.Add(new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 0.99, Value = 0.9 });
        var summary = new Summary();
        summary.DataPoints.Add(point);
        var (sink, _) = Translate(Request(null, new Metric { Name = "rpc.duration", Unit = "s", Summary = summary }));
        Assert.Equal(
        [
            ("{__name__=\"rpc_duration_seconds\", quantile=\"0.5\"}", BaseMs, 0.2),
            ("{__name__=\"rpc_duration_seconds\", quantile=\"0.99\"}", BaseMs, 0.9),
            ("{__name__=\"rpc_duration_seconds_sum\"}", BaseMs, 2.5),
            ("{__name__=\"rpc_duration_seconds_count\"}", BaseMs, 10),
        ], sink.Samples);
    }

    [Fact]
    public void No_recorded_value_flag_writes_stale_markers_for_every_series_of_the_point()
    {
        var gauge = Point(BaseMs, 0);
        gauge.Flags = (uint)DataPointFlags.NoRecordedValueMask;
        var histogram = HistogramPoint(BaseMs, [1], [1, 1], 3);
        histogram.Flags = (uint)DataPointFlags.NoRecordedValueMask;
        var (sink, _) = Translate(Request(null, Gauge("g", "", gauge), Histogram("h", "", AggregationTemporality.Cumulative, histogram)));
        Assert.Equal(5, sink.Samples.Count);
        Assert.All(sink.Samples, s => Assert.True(StaleMarker.IsStale(s.V), s.Series));
    }

    [Fact]
    public void Delta_temporality_is_rejected_counted_and_explained()
    {
        var (sink, result) = Translate(Request(null,
            Sum("requests", "", monotonic: true, AggregationTemporality.Delta, Point(BaseMs, 1), Point(BaseMs + 1, 2)),
            Histogram("latency", "s", AggregationTemporality.Delta, HistogramPoint(BaseMs, [1], [1, 0], 0.5)),
            Sum("unspecified", "", monotonic: false, AggregationTemporality.Unspecified, Point(BaseMs, 1)),
            Gauge("kept", "", Point(BaseMs, 4))));
        Assert.Equal("{__name__=\"kept\"}", Assert.Single(sink.Samples).Series);
        Assert.Equal(4, result.RejectedDataPoints);
        Assert.Equal(
        [
            "invalid temporality and type combination for metric \"requests\"",
            "invalid temporality and type combination for metric \"latency\"",
            "invalid temporality and type combination for metric \"unspecified\"",
        ], result.Errors);
    }

    [Fact]
    public void Exponential_histograms_empty_metrics_and_broken_points_are_rejected()
    {
        var exponential = new ExponentialHistogram { AggregationTemporality = AggregationTemporality.Cumulative };
        exponential.DataPoints.Add(new ExponentialHistogramDataPoint { TimeUnixNano = Nanos(BaseMs), Count = 1 });
        var noTimestamp = Point(BaseMs, 1);
        noTimestamp.TimeUnixNano = 0;
        var noValue = new NumberDataPoint { TimeUnixNano = Nanos(BaseMs) };
        var badBuckets = HistogramPoint(BaseMs, [1, 2], [1, 1], 1);
        var (sink, result) = Translate(Request(null,
            new Metric { Name = "exp", ExponentialHistogram = exponential },
            new Metric { Name = "nothing" },
            Gauge("", "", Point(BaseMs, 1)),
            Gauge("g", "", noTimestamp, noValue),
            Histogram("h", "", AggregationTemporality.Cumulative, badBuckets)));
        Assert.Empty(sink.Samples);
        Assert.Equal(5, result.RejectedDataPoints);
        Assert.Equal(
        [
            "exponential histogram \"exp\" not supported (Prometheus 2.42 has no native histograms; configure an explicit-bucket histogram view)",
            "unsupported metric type for metric \"nothing\"",
            "metric with an empty name",
            "data point without a timestamp (time_unix_nano) in metric \"g\"",
            "data point without a value in metric \"g\"",
            "histogram data point of metric \"h\" has 2 bucket counts for 2 bounds (want 3)",
        ], result.Errors);
    }

    [Fact]
    public void Error_message_keeps_the_first_distinct_reasons()
    {
        var metrics = Enumerable.Range(0, 12).Select(i => Sum($"d{i}", "", true, AggregationTemporality.Delta, Point(BaseMs, 1))).ToArray();
        var (_, result) = Translate(Request(null, metrics));
        Assert.Equal(12, result.RejectedDataPoints);
        Assert.Equal(OtlpTranslation.MaxErrors, result.Errors.Count);
        Assert.EndsWith("; and 4 more", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sink_that_stops_ends_the_translation()
    {
        var sink = new ListSink { StopAfter = 2 };
        var result = OtlpMetricsTranslator.Translate(Request(null, Gauge("g", "", Point(BaseMs, 1), Point(BaseMs + 1, 2), Point(BaseMs + 2, 3))), new OtlpNames(), ref sink);
        Assert.True(result.Stopped);
        Assert.Equal(2, result.Samples);
    }

    [Fact]
    public void Timestamps_are_truncated_to_milliseconds()
    {
        var point = Point(BaseMs, 1);
        point.TimeUnixNano += 999_999;
        var (sink, _) = Translate(Request(null, Gauge("g", "", point)));
        Assert.Equal(BaseMs, Assert.Single(sink.Samples).T);
    }
}
