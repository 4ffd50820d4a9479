using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Vigil.Compat.Tests.Differential;
using Vigil.Testing;

namespace Vigil.Compat.Tests.RemoteWrite;

/// <summary>
/// Vigil scrapes a local target and remote-writes to a real Prometheus 2.42 (<c>--web.enable-remote-write-receiver</c>):
/// the same series (plus the external label) and the same values must come back from both query APIs, also across a
/// restart of Vigil.
/// </summary>
public class VigilRemoteWriteTests
{
    private sealed class Target : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private long _scrapes;

        public Target()
        {
            Port = FreePort.Next();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public int Port { get; }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                var n = Interlocked.Increment(ref _scrapes);
                var body = string.Create(CultureInfo.InvariantCulture, $"""
                    # TYPE demo_requests_total counter
                    demo_requests_total{"{"}path="/a"{"}"} {n * 3}
                    demo_requests_total{"{"}path="/b"{"}"} {n * 7}
                    # TYPE demo_temperature_celsius gauge
                    demo_temperature_celsius {20 + (n % 5) / 4.0}

                    """);
                var bytes = Encoding.UTF8.GetBytes(body);
                context.Response.ContentType = "text/plain; version=0.0.4";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task Samples_vigil_remote_writes_land_in_prometheus_unchanged_across_a_restart()
    {
        using var target = new Target();
        using var promData = new TempDirectory();
        using var promConfig = new TempDirectory();
        using var vigilData = new TempDirectory();
        await using var prometheus = await PrometheusInstance.StartWithConfigAsync(promData.Path, promConfig.Path, PrometheusInstance.EmptyConfig,
            null, "--web.enable-remote-write-receiver");
        var vigilConfig = promConfig.File("vigil.yml");
        await File.WriteAllTextAsync(vigilConfig, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              external_labels:
                origin: vigil
            scrape_configs:
              - job_name: target
                static_configs:
                  - targets: ['127.0.0.1:{target.Port}']
            remote_write:
              - url: {prometheus.BaseAddress}api/v1/write
                name: to-prometheus
                queue_config:
                  batch_send_deadline: 200ms
                  min_backoff: 10ms
                  max_backoff: 200ms
            """);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var vigil = await VigilProcess.StartServeAsync(vigilData.Path, $"--config.file={vigilConfig}");
        try
        {
            await WaitForAsync(http, prometheus, "count_over_time(up{job=\"target\"}[1m])", 4, vigil);
            var code = await vigil.TerminateAsync();
            Assert.True(code == 0, $"vigil exited with {code}:\n{vigil.Output}");
        }
        finally
        {
            await vigil.DisposeAsync();
        }
        var stoppedAt = DateTimeOffset.UtcNow;

        // Restart: what was scraped before the stop and not yet sent, and everything after, arrives.
        await using var restarted = await VigilProcess.StartServeAsync(vigilData.Path, $"--config.file={vigilConfig}");
        await WaitForAsync(http, prometheus, $"count_over_time(up{{job=\"target\"}}[1m] @ {(stoppedAt.ToUnixTimeMilliseconds() + 5000) / 1000.0})", 1, restarted,
            at: stoppedAt.AddSeconds(5));
        var metrics = await http.GetStringAsync(new Uri(restarted.BaseAddress, "/metrics"));
        Assert.Contains($"prometheus_remote_storage_samples_total{{remote_name=\"to-prometheus\",url=\"{prometheus.BaseAddress}api/v1/write\"}}", metrics, StringComparison.Ordinal);

        // Every sample of the job over a window spanning the restart, once surely sent (it ends 3 s ago).
        string? difference = null;
        for (var attempt = 0; attempt < 15; attempt++)
        {
            var at = DateTimeOffset.UtcNow.AddSeconds(-3);
            // From 3 s before the stop (the first run sent only samples newer than its start, as Prometheus does).
            var window = (int)Math.Ceiling((at - stoppedAt).TotalSeconds) + 3;
            var query = $"{{job=\"target\"}}[{window}s]";
            var fromPrometheus = await SamplesAsync(http, prometheus.BaseAddress, query, at, dropLabel: "origin");
            var fromVigil = await SamplesAsync(http, restarted.BaseAddress, query, at, dropLabel: null);
            Assert.True(fromVigil.Count >= 8, $"Vigil holds only {fromVigil.Count} series for job target");
            difference = Difference(fromVigil, fromPrometheus);
            if (difference is null)
            {
                return;
            }
            await Task.Delay(1000);
        }
        Assert.Fail(difference + "\nVigil:\n" + restarted.Output);
    }

    private static async Task WaitForAsync(HttpClient http, PrometheusInstance prometheus, string query, double atLeast, VigilProcess vigil, DateTimeOffset? at = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await ValueAsync(http, prometheus.BaseAddress, query) < atLeast || (at is { } t && DateTimeOffset.UtcNow < t))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Prometheus did not get {query} >= {atLeast} within 60 s.\nPrometheus:\n{prometheus.Output}\nVigil:\n{vigil.Output}");
            await Task.Delay(500);
        }
    }

    private static async Task<double> ValueAsync(HttpClient http, Uri server, string query)
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

    /// <summary>Series (canonical label text, without <paramref name="dropLabel"/>) → samples as "t=v" from a range-vector instant query.</summary>
    private static async Task<SortedDictionary<string, string>> SamplesAsync(HttpClient http, Uri server, string query, DateTimeOffset at, string? dropLabel)
    {
        var time = (at.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);
        var body = await http.GetStringAsync(new Uri(server, "/api/v1/query?query=" + Uri.EscapeDataString(query) + "&time=" + time));
        using var doc = JsonDocument.Parse(body);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var series in doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var metric = series.GetProperty("metric").EnumerateObject().ToList();
            if (dropLabel is not null)
            {
                Assert.Contains(metric, p => p.Name == dropLabel && p.Value.GetString() == "vigil");
            }
            var labels = metric.Where(p => p.Name != dropLabel).Select(p => p.Name + "=" + p.Value.GetString()).Order(StringComparer.Ordinal);
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
                sb.AppendLine($"missing in Prometheus: {series}");
            }
            else if (got != samples)
            {
                sb.AppendLine($"{series}: Vigil {samples} / Prometheus {got}");
            }
        }
        foreach (var series in actual.Keys.Where(k => !expected.ContainsKey(k)))
        {
            sb.AppendLine($"only in Prometheus: {series}");
        }
        return sb.Length == 0 ? null : sb.ToString();
    }
}
