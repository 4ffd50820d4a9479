namespace Vigil.Instrumentation.Tests;

public sealed class RuntimeMetricsTests
{
    [Fact]
    public async Task The_System_Runtime_meter_is_exported_with_Prometheus_names()
    {
        await using var app = await TestApp.StartAsync();
        GC.Collect(0);

        var text = await app.ScrapeAsync();

        Assert.Contains("# TYPE dotnet_gc_collections_total counter\n", text);
        Assert.InRange(MetricsText.Require(text, "dotnet_gc_collections_total{gc_heap_generation=\"gen0\"}"), 1, double.MaxValue);
        Assert.InRange(MetricsText.Require(text, "dotnet_gc_heap_total_allocated_bytes_total"), 1, double.MaxValue);
        Assert.InRange(MetricsText.Require(text, "dotnet_process_cpu_count_current"), 1, 4096);
        Assert.InRange(MetricsText.Require(text, "dotnet_assembly_count_current"), 10, 100_000);
        Assert.Contains("# TYPE dotnet_process_memory_working_set_bytes gauge\n", text);
        Assert.Contains("dotnet_process_cpu_time_seconds_total{cpu_mode=\"user\"} ", text);
    }

    [Fact]
    public async Task Runtime_metrics_can_be_switched_off()
    {
        await using var app = await TestApp.StartAsync(configure: o => o.RuntimeMetrics = false);

        Assert.DoesNotContain("dotnet_", await app.ScrapeAsync());
    }
}
