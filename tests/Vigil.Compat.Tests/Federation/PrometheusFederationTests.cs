using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Vigil.Compat.Tests.Differential;
using Vigil.Model;
using Vigil.Remote.Prompb;
using Vigil.Testing;
using PromLabel = Vigil.Remote.Prompb.Label;
using PromSample = Vigil.Remote.Prompb.Sample;

namespace Vigil.Compat.Tests.Federation;

/// <summary>
/// <c>/federate</c> against a real Prometheus 2.42: the same samples remote-written into both must federate to the
/// same bytes for every match[] set, and a real Prometheus scraping Vigil's /federate with honor_labels gets them.
/// </summary>
public class PrometheusFederationTests
{
    private const string Config = "global:\n  external_labels:\n    region: eu\n    zone: z1\nscrape_configs: []\n";

    /// <summary>Series relative to <paramref name="now"/>: some in the lookback window, one too old, one stale, odd values and labels.</summary>
    private static WriteRequest Data(long now)
    {
        var request = new WriteRequest();
        void Add(double value, long ago, params string[] labels)
        {
            var series = new TimeSeries();
            var sorted = Labels.Of(labels);
            foreach (var label in sorted)
            {
                series.Labels.Add(new PromLabel { Name = label.Name, Value = label.Value });
            }
            series.Samples.Add(new PromSample { Timestamp = now - ago, Value = value });
            request.Timeseries.Add(series);
        }
        Add(1, 120_000, "__name__", "up", "job", "api", "instance", "a:80");
        Add(0, 60_000, "__name__", "up", "job", "api", "instance", "b:80");
        Add(1, 600_000, "__name__", "up", "job", "old", "instance", "c:80");
        Add(12.5, 30_000, "__name__", "http_requests_total", "job", "api", "code", "200");
        Add(3, 30_000, "__name__", "http_requests_total", "job", "api", "code", "503", "path", "/a\"b\\c\nd");
        Add(double.PositiveInfinity, 45_000, "__name__", "latency_seconds", "job", "api", "region", "us");
        Add(double.NaN, 45_000, "__name__", "ratio", "job", "batch");
        Add(-0.0, 45_000, "__name__", "zero", "job", "batch");
        Add(1.5e-7, 45_000, "__name__", "tiny", "job", "batch");
        Add(123456789012, 45_000, "__name__", "big", "job", "batch", "zone", "z9");
        Add(StaleMarker.Value, 20_000, "__name__", "gone", "job", "batch");
        // A series with two samples: the later one wins.
        Add(5, 90_000, "__name__", "twice", "job", "batch");
        Add(6, 10_000, "__name__", "twice", "job", "batch");
        // Many series over few names, a third with a label that sorts before __name__: the label-ordered input is
        // not ordered by name, so Go's unstable sort.Sort decides the order within each name.
        for (var i = 0; i < 84; i++)
        {
            var name = "pdq_m" + (i * 5 % 7).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var idx = i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
            if (i % 3 == 0)
            {
                Add(i, 50_000, "__name__", name, "Env", "e" + (i % 5).ToString(System.Globalization.CultureInfo.InvariantCulture), "idx", idx);
            }
            else
            {
                Add(i, 50_000, "__name__", name, "job", "w" + (i % 4).ToString(System.Globalization.CultureInfo.InvariantCulture), "idx", idx);
            }
        }
        return request;
    }

    private static async Task PushAsync(HttpClient http, Uri server, WriteRequest request)
    {
        var content = new ByteArrayContent(IronSnappy.Snappy.Encode(request.ToByteArray()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("snappy");
        content.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        using var response = await http.PostAsync(new Uri(server, "/api/v1/write"), content);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{server}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private const string ProtobufAccept = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3";

    private static async Task<(HttpStatusCode Status, string? ContentType, string Body)> FederateAsync(HttpClient http, Uri server, string[] selectors, string? accept = null)
    {
        var query = string.Join("&", selectors.Select(s => "match[]=" + Uri.EscapeDataString(s)));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, "/federate" + (query.Length > 0 ? "?" + query : "")));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        using var response = await http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        // Protobuf bodies compared as hex, text as text.
        var body = accept is null || response.StatusCode != HttpStatusCode.OK ? Encoding.UTF8.GetString(bytes) : Convert.ToHexString(bytes);
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
    }

    public static TheoryData<string[]> MatchSets => new()
    {
        new[] { "{__name__=~\".+\"}" },
        new[] { "{__name__=~\"pdq_.+\"}" },
        new[] { "{__name__=~\"pdq_m[1-3]\"}" },
        new[] { "{idx=~\"[0-4].\"}" },
        new[] { "{Env=~\".+\"}", "{__name__=~\"pdq_m[56]\"}" },
        new[] { "up", "{job=\"api\"}" },
        new[] { "http_requests_total{code=~\"5..\"}" },
        new[] { "{region=\"us\"}", "big" },
        new[] { "{job=\"batch\"}" },
        new[] { "nothing_matches" },
        Array.Empty<string>(),
        new[] { "up{" },
        new[] { "{job=~\"a.*\"}", "up{job=\"api\"" },
    };

    [Fact]
    public async Task Federate_output_matches_prometheus_for_every_match_set()
    {
        using var vigilData = new TempDirectory();
        using var promData = new TempDirectory();
        using var configDir = new TempDirectory();
        var vigilConfig = configDir.File("vigil.yml");
        await File.WriteAllTextAsync(vigilConfig, Config);
        await using var vigil = await VigilProcess.StartServeAsync(vigilData.Path, "--web.enable-remote-write-receiver", $"--config.file={vigilConfig}");
        await using var prometheus = await PrometheusInstance.StartWithConfigAsync(promData.Path, configDir.Path, Config, null, "--web.enable-remote-write-receiver");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var data = Data(now);
        await PushAsync(http, prometheus.BaseAddress, data);
        await PushAsync(http, vigil.BaseAddress, data);

        var failures = new StringBuilder();
        foreach (var selectors in MatchSets)
        {
            foreach (var accept in (string?[])[null, ProtobufAccept, "text/plain;version=0.0.4", "application/json, */*;q=0.1"])
            {
                var expected = await FederateAsync(http, prometheus.BaseAddress, selectors, accept);
                var actual = await FederateAsync(http, vigil.BaseAddress, selectors, accept);
                if (expected != actual)
                {
                    failures.AppendLine($"match[] {string.Join(" ", selectors)}, Accept {accept}:\n--- Prometheus {expected.Status} {expected.ContentType}\n{expected.Body}\n--- Vigil {actual.Status} {actual.ContentType}\n{actual.Body}");
                }
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
        // The comparison saw real content, not two empty answers.
        Assert.Contains("# TYPE http_requests_total untyped\n", (await FederateAsync(http, vigil.BaseAddress, ["{__name__=~\".+\"}"])).Body, StringComparison.Ordinal);
        Assert.True((await FederateAsync(http, vigil.BaseAddress, ["{__name__=~\".+\"}"], ProtobufAccept)).Body.Length > 500);
    }

    [Fact]
    public async Task Prometheus_federating_from_vigil_with_honor_labels_gets_the_matched_series()
    {
        using var vigilData = new TempDirectory();
        using var promData = new TempDirectory();
        using var configDir = new TempDirectory();
        var vigilConfig = configDir.File("vigil.yml");
        await File.WriteAllTextAsync(vigilConfig, Config);
        await using var vigil = await VigilProcess.StartServeAsync(vigilData.Path, "--web.enable-remote-write-receiver", $"--config.file={vigilConfig}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await PushAsync(http, vigil.BaseAddress, Data(now));

        var federating = $$"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: federate
                honor_labels: true
                metrics_path: /federate
                params:
                  'match[]': ['{job="api"}']
                static_configs:
                  - targets: ['127.0.0.1:{{vigil.Port}}']
            """;
        await using var prometheus = await PrometheusInstance.StartWithConfigAsync(promData.Path, configDir.Path, federating);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        SortedDictionary<string, string> series;
        while ((series = await QueryAsync(http, prometheus.BaseAddress, "{job=\"api\"}")).Count < 5)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Prometheus did not federate from Vigil in 30 s:\n{prometheus.Output}");
            await Task.Delay(500);
        }
        // Vigil's job and instance labels win (honor_labels), its external labels are added unless the series has
        // its own, and the empty instance="" keeps Prometheus from adding the federation target's instance.
        Assert.Equal(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["__name__=http_requests_total,code=200,job=api,region=eu,zone=z1"] = "12.5",
            ["__name__=http_requests_total,code=503,job=api,path=/a\"b\\c\nd,region=eu,zone=z1"] = "3",
            ["__name__=latency_seconds,job=api,region=us,zone=z1"] = "+Inf",
            ["__name__=up,instance=a:80,job=api,region=eu,zone=z1"] = "1",
            ["__name__=up,instance=b:80,job=api,region=eu,zone=z1"] = "0",
        }, series);
    }

    /// <summary>An instant query's result as canonical label text → value.</summary>
    private static async Task<SortedDictionary<string, string>> QueryAsync(HttpClient http, Uri server, string query)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using var response = await http.GetAsync(new Uri(server, "/api/v1/query?query=" + Uri.EscapeDataString(query)));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return result;
        }
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (var s in doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = s.GetProperty("metric").EnumerateObject().Select(p => p.Name + "=" + p.Value.GetString()).Order(StringComparer.Ordinal);
            result[string.Join(",", labels)] = s.GetProperty("value")[1].GetString()!;
        }
        return result;
    }
}
