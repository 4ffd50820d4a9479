using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Vigil.Compat.Tests.Differential;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Remote;

/// <summary>A real Prometheus 2.42 remote-writes to Vigil; what it stored and what Vigil received must be the same samples.</summary>
public class PrometheusRemoteWriteTests
{
    [Fact]
    public async Task Samples_prometheus_remote_writes_land_in_vigil_unchanged()
    {
        using var vigilData = new TempDirectory();
        using var promData = new TempDirectory();
        using var promConfig = new TempDirectory();
        // No scraping of its own (the embedded default scrapes itself, into the very series Prometheus sends).
        var vigilConfig = promConfig.File("vigil.yml");
        await File.WriteAllTextAsync(vigilConfig, "global: {}\n");
        await using var vigil = await VigilProcess.StartServeAsync(vigilData.Path, "--web.enable-remote-write-receiver", $"--config.file={vigilConfig}");
        var config = $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: vigil
                static_configs:
                  - targets: ['127.0.0.1:{vigil.Port}']
            remote_write:
              - url: http://127.0.0.1:{vigil.Port}/api/v1/write
                queue_config:
                  batch_send_deadline: 500ms
                  max_samples_per_send: 500
            """;
        await using var prometheus = await PrometheusInstance.StartWithConfigAsync(promData.Path, promConfig.Path, config);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        // Wait until a few scrapes have been forwarded.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await CountAsync(http, vigil.BaseAddress, "count_over_time(up{job=\"vigil\"}[1m])") < 5)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no remote-written samples in Vigil after 60 s.\nPrometheus:\n{prometheus.Output}\nVigil:\n{vigil.Output}");
            await Task.Delay(500);
        }

        // Compare every sample of the job over a window that has surely been sent (it ends 3 s ago).
        string? difference = null;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var at = DateTimeOffset.UtcNow.AddSeconds(-3).ToUnixTimeMilliseconds() / 1000.0;
            var query = "{job=\"vigil\"}[4s]";
            var fromPrometheus = await SamplesAsync(http, prometheus.BaseAddress, query, at);
            var fromVigil = await SamplesAsync(http, vigil.BaseAddress, query, at);
            Assert.True(fromPrometheus.Count > 50, $"Prometheus holds only {fromPrometheus.Count} series for job vigil");
            difference = Difference(fromPrometheus, fromVigil);
            if (difference is null)
            {
                return;
            }
            await Task.Delay(1000);
        }
        Assert.Fail(difference);
    }

    private static async Task<double> CountAsync(HttpClient http, Uri server, string query)
    {
        using var response = await http.GetAsync(new Uri(server, "/api/v1/query?query=" + Uri.EscapeDataString(query)));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return 0;
        }
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var result = doc.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0 ? 0 : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Series (as canonical label text) → their samples as "t=v" lines, from a range-vector instant query.</summary>
    private static async Task<SortedDictionary<string, string>> SamplesAsync(HttpClient http, Uri server, string query, double at)
    {
        var uri = new Uri(server, "/api/v1/query?query=" + Uri.EscapeDataString(query) + "&time=" + at.ToString("F3", CultureInfo.InvariantCulture));
        var body = await http.GetStringAsync(uri);
        using var doc = JsonDocument.Parse(body);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var series in doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = series.GetProperty("metric").EnumerateObject().Select(p => p.Name + "=" + p.Value.GetString()).Order(StringComparer.Ordinal);
            var samples = new StringBuilder();
            foreach (var point in series.GetProperty("values").EnumerateArray())
            {
                samples.Append(point[0].GetRawText()).Append('=').Append(point[1].GetString()).Append(' ');
            }
            result[string.Join(",", labels)] = samples.ToString();
        }
        return result;
    }

    private static string? Difference(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual)
    {
        var sb = new StringBuilder();
        foreach (var (series, samples) in expected)
        {
            if (!actual.TryGetValue(series, out var got))
            {
                sb.AppendLine($"missing in Vigil: {series}");
            }
            else if (got != samples)
            {
                sb.AppendLine($"{series}: Prometheus {samples} / Vigil {got}");
            }
        }
        foreach (var series in actual.Keys.Where(k => !expected.ContainsKey(k)))
        {
            sb.AppendLine($"only in Vigil: {series}");
        }
        return sb.Length == 0 ? null : sb.ToString();
    }
}
