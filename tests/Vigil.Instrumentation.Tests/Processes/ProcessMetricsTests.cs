namespace Vigil.Instrumentation.Tests.Processes;

public sealed class ProcessMetricsTests
{
    [Fact]
    public async Task Process_metrics_have_client_golangs_names_help_and_types()
    {
        await using var app = await TestApp.StartAsync();

        var text = await app.ScrapeAsync();

        Assert.Contains("# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n# TYPE process_cpu_seconds_total counter\n", text);
        Assert.Contains("# HELP process_resident_memory_bytes Resident memory size in bytes.\n# TYPE process_resident_memory_bytes gauge\n", text);
        Assert.Contains("# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n# TYPE process_virtual_memory_bytes gauge\n", text);
        Assert.Contains("# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n# TYPE process_start_time_seconds gauge\n", text);
        if (OperatingSystem.IsLinux())
        {
            Assert.Contains("# HELP process_open_fds Number of open file descriptors.\n# TYPE process_open_fds gauge\n", text);
            Assert.Contains("# HELP process_max_fds Maximum number of open file descriptors.\n# TYPE process_max_fds gauge\n", text);
        }
    }

    [Fact]
    public async Task Process_metric_values_are_plausible()
    {
        await using var app = await TestApp.StartAsync();

        var text = await app.ScrapeAsync();

        var rss = MetricsText.Require(text, "process_resident_memory_bytes");
        Assert.InRange(rss, 10e6, 64e9);
        Assert.InRange(MetricsText.Require(text, "process_virtual_memory_bytes"), rss, double.MaxValue);
        Assert.InRange(MetricsText.Require(text, "process_cpu_seconds_total"), 0.01, 1e6);
        // The test process started before this test and after the tests were built (within the last day).
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        Assert.InRange(MetricsText.Require(text, "process_start_time_seconds"), now - 86400, now);
        if (OperatingSystem.IsLinux())
        {
            var open = MetricsText.Require(text, "process_open_fds");
            Assert.InRange(open, 3, MetricsText.Require(text, "process_max_fds"));
        }
    }

    [Fact]
    public async Task Cpu_seconds_never_decrease_between_scrapes()
    {
        await using var app = await TestApp.StartAsync();

        var first = MetricsText.Require(await app.ScrapeAsync(), "process_cpu_seconds_total");
        var spin = System.Diagnostics.Stopwatch.StartNew();
        while (spin.ElapsedMilliseconds < 50)
        {
        }
        var second = MetricsText.Require(await app.ScrapeAsync(), "process_cpu_seconds_total");

        Assert.True(second >= first, $"{second} < {first}");
    }

    [Fact]
    public async Task Process_metrics_can_be_switched_off()
    {
        await using var app = await TestApp.StartAsync(configure: o => o.ProcessMetrics = false);

        var text = await app.ScrapeAsync();

        Assert.DoesNotContain(MetricsText.Lines(text), l => l.StartsWith("process_", StringComparison.Ordinal) || l.Contains(" process_", StringComparison.Ordinal));
        Assert.Contains("dotnet_process_cpu_time_seconds_total", text); // the runtime's own, which is not client_golang's
    }
}
