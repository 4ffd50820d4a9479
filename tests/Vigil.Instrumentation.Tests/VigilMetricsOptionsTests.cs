using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Vigil.Instrumentation.Tests;

public sealed class VigilMetricsOptionsTests
{
    private static void Record(IServiceProvider services, params string[] meterNames)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        foreach (var name in meterNames)
        {
            factory.Create(name).CreateCounter<int>(name.Replace('.', '_') + "_hits").Add(1);
        }
    }

    [Fact]
    public async Task Every_meter_of_the_app_is_exported_by_default()
    {
        await using var app = await TestApp.StartAsync();
        Record(app.Services, "Orders.Api", "Billing");

        var text = await app.ScrapeAsync();

        Assert.Contains("orders_api_hits_total 1", text);
        Assert.Contains("billing_hits_total 1", text);
    }

    [Fact]
    public async Task Only_listed_meters_are_exported_when_export_all_is_off()
    {
        await using var app = await TestApp.StartAsync(configure: o =>
        {
            o.ExportAllMeters = false;
            o.Meters.Add("Orders.*");
        });
        Record(app.Services, "Orders.Api", "Billing");
        await app.GetAsync("/metrics");

        var text = await app.ScrapeAsync();

        Assert.Contains("orders_api_hits_total 1", text);
        Assert.DoesNotContain("billing_hits_total", text);
        Assert.Contains("http_requests_total", text); // Vigil's own meters follow their own switches
        Assert.Contains("dotnet_gc_collections_total", text);
    }

    [Fact]
    public async Task Excluded_meters_are_never_exported()
    {
        await using var app = await TestApp.StartAsync(configure: o => o.ExcludedMeters.Add("Billing"));
        Record(app.Services, "Orders.Api", "Billing");

        var text = await app.ScrapeAsync();

        Assert.Contains("orders_api_hits_total 1", text);
        Assert.DoesNotContain("billing_hits_total", text);
    }

    [Fact]
    public async Task Histogram_buckets_can_be_configured()
    {
        await using var app = await TestApp.StartAsync(a => a.MapGet("/x", () => "x"), o => o.HistogramBuckets = [0.5, 30]);
        await app.GetAsync("/x");

        var buckets = MetricsText.Samples(await app.ScrapeAsync(), "http_request_duration_seconds_bucket")
            .Where(l => l.Contains("route=\"/x\"", StringComparison.Ordinal));

        Assert.Equal(["0.5", "30", "+Inf"], buckets.Select(l => l.Split("le=\"")[1].Split('"')[0]));
    }

    [Fact]
    public async Task Invalid_buckets_fail_at_startup()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(configure: o => o.HistogramBuckets = [1, 0.5]));
        Assert.Contains("HistogramBuckets", error.Message);
    }

    [Fact]
    public async Task Meters_of_another_app_in_the_same_process_are_not_exported()
    {
        await using var first = await TestApp.StartAsync(a => a.MapGet("/first", () => "1"));
        await using var second = await TestApp.StartAsync(a => a.MapGet("/second", () => "2"));
        await first.GetAsync("/first");
        await second.GetAsync("/second");

        var text = await first.ScrapeAsync();

        Assert.Contains("route=\"/first\"", text);
        Assert.DoesNotContain("route=\"/second\"", text);
    }

    [Fact]
    public void Calling_AddVigilMetrics_twice_registers_one_middleware()
    {
        var services = new ServiceCollection();
        services.AddVigilMetrics();
        services.AddVigilMetrics(o => o.ProcessMetrics = false);

        Assert.Single(services, d => d.ServiceType == typeof(IStartupFilter));
        Assert.Single(services, d => d.ServiceType == typeof(PrometheusExporter));
    }
}
