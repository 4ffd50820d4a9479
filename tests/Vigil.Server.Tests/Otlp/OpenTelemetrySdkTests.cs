using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Vigil.Server.Api;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Api;
using Vigil.Server.Tests.Hosting;
using Vigil.Testing;

namespace Vigil.Server.Tests.Otlp;

/// <summary>The real OpenTelemetry .NET SDK (1.20.1) pushes to Vigil's OTLP receiver; the series are read back through the query API.</summary>
public sealed class OpenTelemetrySdkTests
{
    /// <summary>Vigil on Kestrel at a free loopback port (the exporter sends synchronously, which TestServer refuses).</summary>
    private sealed class KestrelVigil : IAsyncDisposable
    {
        private readonly TempDirectory _dir = new("vigil-otlp");

        public WebApplication App { get; private set; } = null!;

        public HttpClient Client { get; private set; } = null!;

        public Uri Endpoint { get; private set; } = null!;

        public static async Task<KestrelVigil> StartAsync()
        {
            var vigil = new KestrelVigil();
            var port = FreePort.Next();
            Assert.True(ListenAddress.TryParse($"127.0.0.1:{port}", out var address, out _));
            var config = vigil._dir.File("vigil.yml");
            await File.WriteAllTextAsync(config, "global: {}\n");
            vigil.App = VigilHost.Build(new ServerOptions { DataPath = vigil._dir.File("data"), ListenAddress = address, ConfigFile = config, EnableOtlpReceiver = true });
            await vigil.App.StartAsync();
            vigil.Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            vigil.Endpoint = new Uri($"http://127.0.0.1:{port}/api/v1/otlp/v1/metrics");
            return vigil;
        }

        public async ValueTask DisposeAsync()
        {
            Client?.Dispose();
            if (App is not null)
            {
                await App.StopAsync();
                await App.DisposeAsync();
            }
            _dir.Dispose();
        }
    }

    private static MeterProvider Provider(KestrelVigil vigil, Meter meter, MetricReaderTemporalityPreference temporality) =>
        Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty()
                .AddService("checkout", serviceNamespace: "shop", serviceInstanceId: "pod-1", autoGenerateServiceInstanceId: false)
                .AddAttributes([new KeyValuePair<string, object>("deployment.environment", "test")]))
            .AddMeter(meter.Name)
            .AddView("request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = [0.1, 0.5, 1] })
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                exporter.Endpoint = vigil.Endpoint;
                reader.TemporalityPreference = temporality;
                // Export only when the test flushes.
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = int.MaxValue;
            })
            .Build();

    private static async Task<string?> ValueAsync(HttpClient client, string query)
    {
        var data = await client.GetDataAsync("/api/v1/query?query=" + Uri.EscapeDataString(query));
        var result = data.GetProperty("result");
        return result.GetArrayLength() == 0 ? null : result[0].GetProperty("value")[1].GetString();
    }

    [Fact]
    public async Task Counters_gauges_and_histograms_pushed_by_the_sdk_are_queryable()
    {
        await using var vigil = await KestrelVigil.StartAsync();
        using var meter = new Meter("Vigil.Tests.Otlp");
        var orders = meter.CreateCounter<long>("orders", unit: "{order}");
        var queue = meter.CreateUpDownCounter<int>("queue.depth");
        var temperature = meter.CreateGauge<double>("temperature", unit: "Cel");
        var duration = meter.CreateHistogram<double>("request.duration", unit: "s");
        using (var provider = Provider(vigil, meter, MetricReaderTemporalityPreference.Cumulative))
        {
            orders.Add(3, new KeyValuePair<string, object?>("region", "eu"));
            queue.Add(7);
            temperature.Record(21.5);
            foreach (var seconds in (double[])[0.0625, 0.25, 0.375, 0.75, 2])
            {
                duration.Record(seconds, new KeyValuePair<string, object?>("http.route", "/pay"));
            }
            Assert.True(provider.ForceFlush(10_000));

            // A second export carries the cumulative totals at a later timestamp.
            await Task.Delay(5);
            orders.Add(2, new KeyValuePair<string, object?>("region", "eu"));
            queue.Add(-4);
            Assert.True(provider.ForceFlush(10_000));
        }

        var client = vigil.Client;
        Assert.Equal("5", await ValueAsync(client, "orders_total{job=\"shop/checkout\",instance=\"pod-1\",region=\"eu\"}"));
        Assert.Equal("3", await ValueAsync(client, "queue_depth{job=\"shop/checkout\"}"));
        Assert.Equal("21.5", await ValueAsync(client, "temperature_celsius"));
        Assert.Equal("1", await ValueAsync(client, "request_duration_seconds_bucket{le=\"0.1\",http_route=\"/pay\"}"));
        Assert.Equal("3", await ValueAsync(client, "request_duration_seconds_bucket{le=\"0.5\"}"));
        Assert.Equal("4", await ValueAsync(client, "request_duration_seconds_bucket{le=\"1\"}"));
        Assert.Equal("5", await ValueAsync(client, "request_duration_seconds_bucket{le=\"+Inf\"}"));
        Assert.Equal("5", await ValueAsync(client, "request_duration_seconds_count"));
        Assert.Equal("3.4375", await ValueAsync(client, "request_duration_seconds_sum"));
        Assert.Equal("1", await ValueAsync(client, "target_info{job=\"shop/checkout\",instance=\"pod-1\",deployment_environment=\"test\"}"));
        // Every export of the counter was stored (the provider exports once more when disposed).
        Assert.True(int.Parse(await ValueAsync(client, "count_over_time(orders_total[5m])") ?? "0", CultureInfo.InvariantCulture) >= 2);
        Assert.Equal(0, vigil.App.Services.GetRequiredService<PrometheusApi>().OtlpReceiver.RejectedDataPoints);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("vigil_otlp_rejected_data_points_total 0", metrics, StringComparison.Ordinal);
        Assert.Contains("prometheus_web_federation_errors_total 0", metrics, StringComparison.Ordinal);
        Assert.Matches(@"vigil_otlp_samples_received_total (\d+)", metrics);
    }

    [Fact]
    public async Task Delta_temporality_from_the_sdk_is_rejected_as_partial_success()
    {
        await using var vigil = await KestrelVigil.StartAsync();
        using var meter = new Meter("Vigil.Tests.Otlp.Delta");
        var orders = meter.CreateCounter<long>("orders");
        var temperature = meter.CreateGauge<double>("temperature");
        using (var provider = Provider(vigil, meter, MetricReaderTemporalityPreference.Delta))
        {
            orders.Add(3);
            temperature.Record(4);
            Assert.True(provider.ForceFlush(10_000));
        }
        Assert.Null(await ValueAsync(vigil.Client, "orders_total"));
        Assert.Equal("4", await ValueAsync(vigil.Client, "temperature"));
        Assert.Equal(1, vigil.App.Services.GetRequiredService<PrometheusApi>().OtlpReceiver.RejectedDataPoints);
    }

    [Fact]
    public async Task Off_by_default_with_a_hint()
    {
        await using var vigil = await TestVigil.StartAsync();
        var content = new ByteArrayContent([]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        var response = await vigil.Client.PostAsync("/api/v1/otlp/v1/metrics", content);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("otlp write receiver needs to be enabled with --web.enable-otlp-receiver\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Http_answers_carry_the_receivers_status_and_content_type()
    {
        await using var vigil = await TestVigil.StartAsync(v => new ServerOptions { DataPath = v.DataPath, EnableOtlpReceiver = true });
        var text = new StringContent("x");
        var unsupported = await vigil.Client.PostAsync("/api/v1/otlp/v1/metrics", text);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);

        var json = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        var empty = await vigil.Client.PostAsync("/api/v1/otlp/v1/metrics", json);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal("application/json", empty.Content.Headers.ContentType?.MediaType);

        var garbage = new ByteArrayContent([0x0a, 0xff, 0xff]);
        garbage.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        var bad = await vigil.Client.PostAsync("/api/v1/otlp/v1/metrics", garbage);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/x-protobuf", bad.Content.Headers.ContentType?.MediaType);

        var flags = await vigil.Client.GetDataAsync("/api/v1/status/flags");
        Assert.Equal("true", flags.GetProperty("web.enable-otlp-receiver").GetString());
    }
}
