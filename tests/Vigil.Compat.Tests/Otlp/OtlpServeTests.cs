using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Vigil.Remote.Otlp.Proto.Collector;
using Vigil.Remote.Otlp.Proto.Common;
using Vigil.Remote.Otlp.Proto.Metrics;
using Vigil.Remote.Otlp.Proto.Resource;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Otlp;

/// <summary>The real <c>vigil serve --web.enable-otlp-receiver</c> process takes a gzip OTLP request and serves its series.</summary>
public class OtlpServeTests
{
    private static KeyValue Attr(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    [Fact]
    public async Task Serve_flag_enables_the_receiver_and_pushed_series_are_queryable_and_federated()
    {
        using var data = new TempDirectory();
        var config = data.File("vigil.yml");
        await File.WriteAllTextAsync(config, "global: {}\n");
        await using var vigil = await VigilProcess.StartServeAsync(data.File("tsdb"), "--web.enable-otlp-receiver", $"--config.file={config}");
        using var http = new HttpClient { BaseAddress = vigil.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        var nanos = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var sum = new Sum { IsMonotonic = true, AggregationTemporality = AggregationTemporality.Cumulative };
        var point = new NumberDataPoint { TimeUnixNano = nanos, AsInt = 42 };
        point.Attributes.Add(Attr("http.method", "GET"));
        sum.DataPoints.Add(point);
        var histogram = new Histogram { AggregationTemporality = AggregationTemporality.Cumulative };
        var h = new HistogramDataPoint { TimeUnixNano = nanos, Count = 3, Sum = 0.75 };
        h.ExplicitBounds.Add(0.25);
        h.BucketCounts.Add(2);
        h.BucketCounts.Add(1);
        histogram.DataPoints.Add(h);
        var scope = new ScopeMetrics();
        scope.Metrics.Add(new Metric { Name = "http.requests", Unit = "{request}", Sum = sum });
        scope.Metrics.Add(new Metric { Name = "http.duration", Unit = "s", Histogram = histogram });
        var resource = new Resource();
        resource.Attributes.Add(Attr("service.name", "web"));
        resource.Attributes.Add(Attr("service.instance.id", "web-1"));
        var metrics = new ResourceMetrics { Resource = resource };
        metrics.ScopeMetrics.Add(scope);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(metrics);

        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            request.WriteTo(gzip);
        }
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await http.PostAsync("/api/v1/otlp/v1/metrics", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(ExportMetricsServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).PartialSuccess);

        using var query = JsonDocument.Parse(await http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString("http_requests_total{job=\"web\",instance=\"web-1\",http_method=\"GET\"}")));
        Assert.Equal("42", query.RootElement.GetProperty("data").GetProperty("result")[0].GetProperty("value")[1].GetString());

        var federated = await http.GetStringAsync("/federate?match[]=" + Uri.EscapeDataString("{job=\"web\"}"));
        Assert.Equal(
        [
            "# TYPE http_duration_seconds_bucket untyped",
            $"http_duration_seconds_bucket{{instance=\"web-1\",job=\"web\",le=\"+Inf\"}} 3 {nanos / 1_000_000}",
            $"http_duration_seconds_bucket{{instance=\"web-1\",job=\"web\",le=\"0.25\"}} 2 {nanos / 1_000_000}",
            "# TYPE http_duration_seconds_count untyped",
            $"http_duration_seconds_count{{instance=\"web-1\",job=\"web\"}} 3 {nanos / 1_000_000}",
            "# TYPE http_duration_seconds_sum untyped",
            $"http_duration_seconds_sum{{instance=\"web-1\",job=\"web\"}} 0.75 {nanos / 1_000_000}",
            "# TYPE http_requests_total untyped",
            $"http_requests_total{{http_method=\"GET\",instance=\"web-1\",job=\"web\"}} 42 {nanos / 1_000_000}",
            "",
        ], federated.Split('\n'));
    }
}
