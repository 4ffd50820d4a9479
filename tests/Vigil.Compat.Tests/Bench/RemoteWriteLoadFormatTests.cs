using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Vigil.Compat.Tests.Differential;
using Vigil.Remote.Receive;
using Vigil.RemoteWriteCompare.Load;
using Vigil.Storage;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Bench;

/// <summary>
/// The remote-write benchmark's load client (<c>bench/remote-write-compare/Load</c>) must send what a Prometheus
/// sender would: its requests decode with Vigil's receiver types (prompb, snappy) into the series and samples it meant,
/// and a real Prometheus 2.42 receiver (<c>--web.enable-remote-write-receiver</c>) accepts them with 204 and serves
/// every series back.
/// </summary>
public sealed class RemoteWriteLoadFormatTests
{
    [Fact]
    public void Requests_decode_into_the_series_labels_and_one_sample_each()
    {
        var series = new RemoteWriteSeries(1000);
        var writer = new WriteRequestWriter(series, seed: 7);
        var receiver = new RemoteWriteReceiver(new MemoryStorage());
        const long ts = 1_700_000_000_000;

        var body = writer.Next(100, 500, ts);

        Assert.True(receiver.TryDecode(body, out var request, out var error), error);
        Assert.Equal(writer.LastUncompressedBytes, request.CalculateSize());
        Assert.Equal(500, request.Timeseries.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 500; i++)
        {
            var decoded = request.Timeseries[i];
            var expected = series.Labels(100 + i);
            Assert.Equal(expected, decoded.Labels.Select(l => new KeyValuePair<string, string>(l.Name, l.Value)));
            // Sorted by name, __name__ first, job and instance on every series (what Prometheus's own sender does).
            Assert.Equal(decoded.Labels.Select(l => l.Name).Order(StringComparer.Ordinal), decoded.Labels.Select(l => l.Name));
            Assert.Equal("__name__", decoded.Labels[0].Name);
            Assert.Contains(decoded.Labels, l => l is { Name: "job", Value: "rw-bench" });
            Assert.Contains(decoded.Labels, l => l.Name == "instance");
            var sample = Assert.Single(decoded.Samples);
            Assert.Equal(ts, sample.Timestamp);
            Assert.True(double.IsFinite(sample.Value) && sample.Value >= 0, $"value {sample.Value}");
            names.Add(decoded.Labels[0].Value);
        }
        Assert.True(names.Count >= 4, string.Join(",", names));
        // Every label set is distinct.
        Assert.Equal(500, request.Timeseries.Select(t => string.Join(",", t.Labels.Select(l => l.Name + "=" + l.Value))).Distinct().Count());
    }

    [Fact]
    public void Counters_never_go_down_and_successive_requests_append_in_order()
    {
        var series = new RemoteWriteSeries(300);
        var writer = new WriteRequestWriter(series, seed: 3);
        var storage = new MemoryStorage();
        var receiver = new RemoteWriteReceiver(storage);
        var last = new double[300];
        for (var round = 0; round < 5; round++)
        {
            var body = writer.Next(0, 300, 1_700_000_000_000 + (round * 15_000));
            Assert.True(receiver.TryDecode(body, out var request, out var error), error);
            for (var i = 0; i < 300; i++)
            {
                var t = request.Timeseries[i];
                var name = t.Labels[0].Value;
                if (name.EndsWith("_total", StringComparison.Ordinal) || name.EndsWith("_bucket", StringComparison.Ordinal) || name.EndsWith("_count", StringComparison.Ordinal))
                {
                    Assert.True(round == 0 || t.Samples[0].Value >= last[i], $"{name} went from {last[i]} to {t.Samples[0].Value}");
                }
                last[i] = t.Samples[0].Value;
            }
            var result = receiver.Receive(body);
            Assert.Equal(204, result.StatusCode);
        }
        Assert.Equal(1500, receiver.SamplesReceived);
        Assert.Equal(300, storage.SeriesCount);
        Assert.Equal(0, receiver.InvalidLabelSeries);
    }

    [Fact]
    public async Task A_real_Prometheus_receiver_accepts_the_requests_and_serves_every_series()
    {
        using var dir = new TempDirectory("rw-load-format");
        var data = Directory.CreateDirectory(Path.Combine(dir.Path, "data")).FullName;
        await using var prometheus = await PrometheusInstance.StartAsync(data, dir.Path, null, "--web.enable-remote-write-receiver");
        using var http = new HttpClient { BaseAddress = prometheus.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var series = new RemoteWriteSeries(700);
        var writer = new WriteRequestWriter(series, seed: 11);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var round = 0; round < 2; round++)
        {
            for (var from = 0; from < 700; from += 500)
            {
                using var content = new ByteArrayContent(writer.Next(from, Math.Min(500, 700 - from), now - 60_000 + (round * 15_000)));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                content.Headers.ContentEncoding.Add("snappy");
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/write") { Content = content };
                request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
                using var response = await http.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        var at = ((now - 45_000) / 1000.0).ToString(CultureInfo.InvariantCulture);
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/query?time={at}&query=" + Uri.EscapeDataString("count({job=\"rw-bench\"})")));
        var result = doc.RootElement.GetProperty("data").GetProperty("result");
        Assert.Equal("700", result[0].GetProperty("value")[1].GetString());
        // Both rounds were appended: 2 samples per series, by Prometheus's own count.
        var appended = (await http.GetStringAsync("/metrics")).Split('\n')
            .Where(l => l.StartsWith("prometheus_tsdb_head_samples_appended_total", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        Assert.Equal(1400, appended);
    }
}
