using Vigil.Instrumentation.Bridge;
using Vigil.Model;

namespace Vigil.Instrumentation.Tests.Bridge;

public sealed class PrometheusNamesTests
{
    // instrument name, unit, kind → text 0.0.4 name, OpenMetrics family name, UNIT.
    // Kinds: C = Counter/ObservableCounter, U = UpDownCounter (a gauge in Prometheus), G = Gauge/ObservableGauge, H = Histogram.
    public static TheoryData<string, string?, char, string, string, string> Table => new()
    {
        // Invalid characters become '_', runs collapse.
        { "http.server.request.duration", "s", 'H', "http_server_request_duration_seconds", "http_server_request_duration_seconds", "seconds" },
        { "my-app..queue--depth", null, 'U', "my_app_queue_depth", "my_app_queue_depth", "" },
        { "weird name!with/chars", null, 'G', "weird_name_with_chars", "weird_name_with_chars", "" },
        { "recording:rule", null, 'G', "recording_rule", "recording_rule", "" },
        { "9lives", null, 'G', "_9lives", "_9lives", "" },
        // Monotonic counters get _total, once.
        { "dotnet.gc.collections", "{collection}", 'C', "dotnet_gc_collections_total", "dotnet_gc_collections", "" },
        { "jobs.total", null, 'C', "jobs_total", "jobs", "" },
        { "jobs_total", "{job}", 'C', "jobs_total", "jobs", "" },
        { "dotnet.gc.heap.total_allocated", "By", 'C', "dotnet_gc_heap_total_allocated_bytes_total", "dotnet_gc_heap_total_allocated_bytes", "bytes" },
        // ... and nothing else keeps one (promtool: non-counter metrics should not have "_total" suffix).
        { "queue.total", null, 'U', "queue", "queue", "" },
        // Units become words and go before _total.
        { "dotnet.gc.pause.time", "s", 'C', "dotnet_gc_pause_time_seconds_total", "dotnet_gc_pause_time_seconds", "seconds" },
        { "requests.total", "s", 'C', "requests_seconds_total", "requests_seconds", "seconds" },
        { "memory.usage", "By", 'U', "memory_usage_bytes", "memory_usage_bytes", "bytes" },
        { "temperature", "Cel", 'G', "temperature_celsius", "temperature_celsius", "celsius" },
        { "cpu.frequency", "Hz", 'G', "cpu_frequency_hertz", "cpu_frequency_hertz", "hertz" },
        { "disk.used", "%", 'G', "disk_used_percent", "disk_used_percent", "percent" },
        { "fuel", "widgets", 'G', "fuel_widgets", "fuel_widgets", "widgets" },
        // No duplicated unit when the name already has it.
        { "process_cpu_seconds", "s", 'C', "process_cpu_seconds_total", "process_cpu_seconds", "seconds" },
        { "process_resident_memory_bytes", "By", 'G', "process_resident_memory_bytes", "process_resident_memory_bytes", "bytes" },
        { "seconds.waited", "s", 'C', "seconds_waited_total", "seconds_waited", "" },
        // Curly annotations are dropped: a count of things is unitless.
        { "http.server.active_requests", "{request}", 'U', "http_server_active_requests", "http_server_active_requests", "" },
        { "packets", "{packet}", 'C', "packets_total", "packets", "" },
        // x/y becomes x_per_y; the denominator is singular.
        { "network.io.rate", "By/s", 'G', "network_io_rate_bytes_per_second", "network_io_rate_bytes_per_second", "bytes_per_second" },
        { "request.rate", "{request}/s", 'G', "request_rate_per_second", "request_rate_per_second", "per_second" },
        { "throughput", "1/min", 'G', "throughput_per_minute", "throughput_per_minute", "per_minute" },
        // "1" is "ratio" for gauges only; a "1" sum is a plain count.
        { "cache.hit", "1", 'G', "cache_hit_ratio", "cache_hit_ratio", "ratio" },
        { "cache.hit_ratio", "1", 'G', "cache_hit_ratio", "cache_hit_ratio", "ratio" },
        { "items", "1", 'C', "items_total", "items", "" },
        { "items.pending", "1", 'U', "items_pending", "items_pending", "" },
        // Non-base units are converted (values scaled) so promtool's base-unit lint passes.
        { "request.latency", "ms", 'H', "request_latency_seconds", "request_latency_seconds", "seconds" },
        { "gc.pause", "us", 'C', "gc_pause_seconds_total", "gc_pause_seconds", "seconds" },
        { "uptime", "h", 'G', "uptime_seconds", "uptime_seconds", "seconds" },
        { "cache.size", "KiBy", 'U', "cache_size_bytes", "cache_size_bytes", "bytes" },
        { "upload.size", "MBy", 'H', "upload_size_bytes", "upload_size_bytes", "bytes" },
        // camelCase is split (promtool: metric names should be written in 'snake_case'); names are case-insensitive in OTel.
        { "ordersCreated", null, 'C', "orders_created_total", "orders_created", "" },
        { "HTTPServer.Requests", null, 'C', "http_server_requests_total", "http_server_requests", "" },
        { "MyApp.Queue2Depth", null, 'U', "my_app_queue2_depth", "my_app_queue2_depth", "" },
        // A gauge must not end like part of a histogram (promtool lints *_count, *_sum, *_bucket on non-histograms).
        { "dotnet.timer.count", "{timer}", 'U', "dotnet_timer_count_current", "dotnet_timer_count_current", "" },
        { "basket.sum", null, 'G', "basket_sum_current", "basket_sum_current", "" },
        { "dotnet.thread_pool.work_item.count", "{work_item}", 'C', "dotnet_thread_pool_work_item_count_total", "dotnet_thread_pool_work_item_count", "" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Metric_name_follows_the_translation_table(string instrument, string? unit, char kind, string expected, string expectedOpenMetrics, string expectedUnit)
    {
        var type = kind switch { 'C' => MetricType.Counter, 'H' => MetricType.Histogram, _ => MetricType.Gauge };
        var name = PrometheusNames.Metric(instrument, unit, type, isGauge: kind == 'G', convertToBaseUnits: true);

        Assert.Equal(expected, name.Name);
        Assert.Equal(expectedOpenMetrics, name.OpenMetricsName);
        Assert.Equal(expectedUnit, name.Unit);
        Assert.True(LabelText.IsValidMetricName(name.Name), name.Name);
    }

    [Theory]
    [InlineData("ms", "request_latency_milliseconds", 1.0)]
    [InlineData("KiBy", "request_latency_kibibytes", 1.0)]
    [InlineData("s", "request_latency_seconds", 1.0)]
    public void Without_base_unit_conversion_units_are_only_spelled_out(string unit, string expected, double scale)
    {
        var name = PrometheusNames.Metric("request.latency", unit, MetricType.Histogram, isGauge: false, convertToBaseUnits: false);

        Assert.Equal(expected, name.Name);
        Assert.Equal(scale, name.Scale);
    }

    [Theory]
    [InlineData("ms", 1e-3)]
    [InlineData("us", 1e-6)]
    [InlineData("ns", 1e-9)]
    [InlineData("min", 60)]
    [InlineData("h", 3600)]
    [InlineData("d", 86400)]
    [InlineData("KiBy", 1024)]
    [InlineData("MiBy", 1048576)]
    [InlineData("GBy", 1e9)]
    [InlineData("s", 1)]
    [InlineData("By", 1)]
    [InlineData("{request}", 1)]
    public void Base_unit_conversion_scales_measurements(string unit, double scale)
        => Assert.Equal(scale, PrometheusNames.Metric("x", unit, MetricType.Gauge, isGauge: false, convertToBaseUnits: true).Scale);

    [Theory]
    [InlineData("method", "method")]
    [InlineData("http.request.method", "http_request_method")]
    [InlineData("gc.heap.generation", "gc_heap_generation")]
    [InlineData("error-type", "error_type")]
    [InlineData("a..b", "a_b")]
    [InlineData("userId", "user_id")]
    [InlineData("HTTPStatus", "http_status")]
    [InlineData("2fa.enabled", "_2fa_enabled")]
    [InlineData("__reserved", "reserved")]
    [InlineData("le", "tag_le")]
    [InlineData("quantile", "tag_quantile")]
    [InlineData("", "_")]
    [InlineData("...", "_")]
    public void Label_names_are_sanitized(string key, string expected)
    {
        Assert.Equal(expected, PrometheusNames.Label(key));
        Assert.True(LabelText.IsValidLabelName(expected));
    }
}
