using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Vigil.Testing;

namespace Vigil.AlertLoad;

/// <summary>
/// Alert ingestion under load: starts <c>vigil serve --alertmanager.config.file</c> (group_by alertname and shard,
/// one receiver without integrations), then for <c>--seconds</c> posts <c>--rate</c> alerts per second in batches of
/// <c>--batch</c> from <c>--senders</c> concurrent clients, cycling through <c>--distinct</c> different alerts (as
/// Prometheus re-sends firing alerts). Every second it samples the server's RSS (VmRSS). At the end it checks that
/// <c>alertmanager_alerts_received_total</c> counts every alert sent and that <c>GET /api/v2/alerts</c> returns every
/// distinct alert: no loss. Prints achieved rate, peak and final RSS, and POST latency percentiles.
/// Usage: <c>dotnet AlertLoad.dll [--rate 10000] [--seconds 30] [--batch 100] [--senders 8] [--distinct 50000]</c>
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var rate = Arg(args, "--rate", 10_000);
        var seconds = Arg(args, "--seconds", 30);
        var batch = Arg(args, "--batch", 100);
        var senders = Arg(args, "--senders", 8);
        var distinct = Arg(args, "--distinct", 50_000);
        using var dir = new TempDirectory("alert-load");
        await File.WriteAllTextAsync(dir.File("alertmanager.yml"), "route:\n  receiver: sink\n  group_by: [alertname, shard]\nreceivers:\n  - name: sink\n");
        await using var vigil = await VigilProcess.StartServeAsync(dir.File("data"), $"--alertmanager.config.file={dir.File("alertmanager.yml")}");
        using var http = new HttpClient { BaseAddress = vigil.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        // Pre-render every batch body: the generator must not be the bottleneck.
        var bodies = new byte[(distinct + batch - 1) / batch][];
        var end = DateTimeOffset.UtcNow.AddHours(2).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        for (var b = 0; b < bodies.Length; b++)
        {
            var sb = new StringBuilder("[");
            for (var i = b * batch; i < Math.Min(distinct, (b + 1) * batch); i++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{(i > b * batch ? "," : "")}{{\"labels\":{{\"alertname\":\"Load{i % 50}\",\"shard\":\"{i % 20}\",\"instance\":\"host-{i}\"}},\"annotations\":{{\"summary\":\"load test alert {i}\"}},\"endsAt\":\"{end}\"}}");
            }
            bodies[b] = Encoding.UTF8.GetBytes(sb.Append(']').ToString());
        }

        var batchesPerSecond = rate / batch;
        long sent = 0;
        var latencies = new List<double>();
        var peakRss = 0L;
        var next = 0;
        var clock = Stopwatch.StartNew();
        for (var second = 0; second < seconds; second++)
        {
            var tick = Stopwatch.StartNew();
            var queue = Enumerable.Range(0, batchesPerSecond).Select(_ => Interlocked.Increment(ref next) % bodies.Length).ToArray();
            var perSender = new List<double>[senders];
            await Parallel.ForEachAsync(Enumerable.Range(0, senders), async (s, ct) =>
            {
                perSender[s] = [];
                for (var k = s; k < queue.Length; k += senders)
                {
                    var body = bodies[queue[k]];
                    var started = Stopwatch.GetTimestamp();
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new("application/json");
                    using var response = await http.PostAsync("/api/v2/alerts", content, ct);
                    response.EnsureSuccessStatusCode();
                    perSender[s].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Add(ref sent, body.Length == 0 ? 0 : CountAlerts(body));
                }
            });
            foreach (var l in perSender)
            {
                latencies.AddRange(l);
            }
            peakRss = Math.Max(peakRss, Rss(vigil.Pid));
            var left = TimeSpan.FromSeconds(1) - tick.Elapsed;
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left);
            }
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var metrics = await http.GetStringAsync("/metrics");
        var received = ReadMetric(metrics, "alertmanager_alerts_received_total{status=\"firing\"}");
        using var alerts = JsonDocument.Parse(await http.GetStringAsync("/api/v2/alerts"));
        var stored = alerts.RootElement.GetArrayLength();
        var finalRss = Rss(vigil.Pid);
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sent {sent} alerts in {elapsed:F1} s: {sent / elapsed:F0} alerts/s (target {rate}/s, {batch} per POST, {senders} senders)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"received_total {received}, stored {stored} of {distinct} distinct: {(received == sent && stored == distinct ? "no loss" : "LOSS")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"POST latency ms: p50 {Pct(latencies, 0.5):F1}, p99 {Pct(latencies, 0.99):F1}, max {latencies[^1]:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RSS: peak {peakRss / 1048576.0:F0} MiB, final {finalRss / 1048576.0:F0} MiB"));
        return received == sent && stored == distinct ? 0 : 1;
    }

    private static int CountAlerts(byte[] body)
    {
        var n = 0;
        foreach (var b in body.AsSpan())
        {
            n += b == (byte)'{' ? 1 : 0;
        }
        return n / 3; // each alert has three objects: itself, labels, annotations
    }

    private static double Pct(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, p * sorted.Count)];

    private static long Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    private static double ReadMetric(string text, string series)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return double.NaN;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
