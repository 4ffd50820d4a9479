using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Vigil.Instrumentation.Tests;

/// <summary>Whatever the scrape endpoint serves must pass <c>promtool check metrics</c> without one lint complaint.</summary>
[Collection(PromtoolCollection.Name)]
public sealed class PromtoolTests
{
    private readonly PromtoolFixture _promtool;

    public PromtoolTests(PromtoolFixture promtool) => _promtool = promtool;

    [Fact]
    public async Task DemoApi_metrics_pass_promtool_check_metrics()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Demo:LatencyScale", "0");
            b.UseSetting("Demo:Seed", "7");
        });
        using var client = factory.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            (await client.GetAsync($"/orders/{i}")).Dispose();
            (await client.PostAsync("/orders", JsonContent("{\"region\":\"eu-west\"}"))).Dispose();
            (await client.PostAsync("/login", null)).Dispose();
        }
        (await client.GetAsync("/slow")).Dispose();
        (await client.GetAsync("/health")).Dispose();
        (await client.GetAsync("/no/such/page")).Dispose();
        (await client.GetAsync("/boom")).Dispose();

        var text = await client.GetStringAsync("/metrics");

        // The demo's own metrics are there, so the check covers them.
        Assert.Equal(20, MetricsText.Require(text, "demo_orders_created_total{region=\"eu-west\"}"));
        Assert.Contains("demo_logins_failed_total{reason=\"bad_password\"}", text);
        Assert.Contains("# TYPE demo_payment_latency_seconds histogram", text);
        Assert.Equal(20, MetricsText.Samples(text, "http_requests_total").Where(l => l.Contains("route=\"/orders/{id}\"", StringComparison.Ordinal)).Sum(Value));
        Assert.Contains("http_requests_total{code=\"500\",method=\"GET\",route=\"/boom\"} 1", text);
        await AssertPromtoolAcceptsAsync(text);
    }

    [Fact]
    public async Task A_bare_app_with_only_AddVigilMetrics_passes_promtool_check_metrics()
    {
        await using var app = await TestApp.StartAsync(a => a.MapGet("/hello/{name}", (string name) => $"hello {name}"));
        await app.GetAsync("/hello/world");
        await app.GetAsync("/nowhere");

        var text = await app.ScrapeAsync();

        Assert.Contains("http_requests_total", text);
        Assert.Contains("process_cpu_seconds_total", text);
        Assert.Contains("dotnet_gc_collections_total", text);
        await AssertPromtoolAcceptsAsync(text);
    }

    [Fact]
    public async Task Every_instrument_kind_with_awkward_names_and_units_passes_promtool()
    {
        using var meters = new TestMeters();
        var meter = meters.CreateMeter();
        var tag = new KeyValuePair<string, object?>("userId", "u1");
        var le = new KeyValuePair<string, object?>("le", "x");
        meter.CreateCounter<long>("myApp.requestsTotal", "{request}").Add(1, tag);
        meter.CreateCounter<double>("io.read", "KiBy", "Bytes read.").Add(3, le);
        meter.CreateUpDownCounter<int>("queue.count", "{item}", "Queued.").Add(2);
        meter.CreateGauge<double>("load.sum", "1", "Load.").Record(0.5);
        meter.CreateHistogram<double>("db.query", "ms", "Queries.").Record(12, le);
        meter.CreateHistogram<double>("upload.rate", "By/s", "Upload rate.").Record(1e6);
        meter.CreateObservableCounter("uptime.total", () => 5.0, "min", "Uptime.");
        meter.CreateObservableGauge("cpu:usage", () => 0.3, "%", "CPU.");
        meter.CreateObservableUpDownCounter("1st.bucket", () => 1, null, "First.");

        var text = meters.Scrape();

        Assert.Equal(9, MetricsText.Lines(text).Count(l => l.StartsWith("# TYPE", StringComparison.Ordinal)));
        await AssertPromtoolAcceptsAsync(text);
    }

    [Fact]
    public async Task Promtool_is_a_real_oracle_here()
    {
        // The check above would be worthless if promtool accepted anything: show it rejects a lint problem.
        var result = await _promtool.CheckMetricsAsync("# HELP requestCount x\n# TYPE requestCount counter\nrequestCount 1\n");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("snake_case", result.Output);
    }

    private async Task AssertPromtoolAcceptsAsync(string text)
    {
        var result = await _promtool.CheckMetricsAsync(text);
        Assert.True(result.ExitCode == 0 && result.Output.Length == 0, $"promtool check metrics exited {result.ExitCode}:\n{result.Output}\n--- exposition ---\n{text}");
    }

    private static double Value(string line) => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
