using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Vigil.ScrapeCompare.Load;
using Vigil.Testing;

namespace Vigil.ScrapeCompare;

/// <summary>
/// Scrape ingestion, Vigil against Prometheus 2.42 on the same machine and the same targets:
/// <list type="number">
/// <item>starts <see cref="LoadServer"/> in this process: <c>--targets</c> N targets of <c>--series</c> M series each, one loopback port per target;</item>
/// <item>writes one scrape configuration (<c>--interval</c>, the N targets) and runs Prometheus alone on it with an empty data
/// dir: a warm-up (<c>--warmup</c>, and until every target is up), then a measured window (<c>--window</c>) over which it reads
/// the server's CPU (utime+stime from /proc/PID/stat), RSS (VmRSS, sampled every second for the peak) and its own
/// <c>prometheus_tsdb_head_samples_appended_total</c> and <c>prometheus_tsdb_head_series</c>; checks <c>up</c> through the
/// HTTP API; stops it by PID; then the same for Vigil;</item>
/// <item>prints CPU seconds per million samples, RSS, bytes of RSS per active series, and the ratios Vigil/Prometheus.</item>
/// </list>
/// Usage: <c>dotnet ScrapeCompare.dll [--quick] [--targets N] [--series M] [--interval S] [--warmup S] [--window S]
/// [--deadline MIN] [--work DIR] [--only prometheus|vigil] [--serve-only] [--results FILE [--results-prefix P]]</c>
/// (<c>--serve-only</c>: only the load generator, for <c>--window</c> seconds; <c>--results</c> appends <c>key TAB value</c>
/// lines for bench/compare.sh).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var targets = Arg(args, "--targets", quick ? 20 : 100);
        var series = Arg(args, "--series", quick ? 1000 : 2000);
        var interval = Arg(args, "--interval", quick ? 5 : 10);
        var warmup = Arg(args, "--warmup", quick ? 20 : 60);
        var window = Arg(args, "--window", quick ? 40 : 180);
        var deadlineMinutes = Arg(args, "--deadline", quick ? 2.9 : 12.0);
        var only = ArgString(args, "--only");
        var workArg = ArgString(args, "--work");
        var resultsFile = ArgString(args, "--results");
        var resultsPrefix = ArgString(args, "--results-prefix") ?? "scrape";

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(deadlineMinutes);
        using var temp = workArg is null ? new TempDirectory("vigil-scrape-compare") : null;
        var work = workArg ?? temp!.Path;
        Directory.CreateDirectory(work);
        var log = Console.Out;
        var clock = Stopwatch.StartNew();

        await using var load = await LoadServer.StartAsync(targets, series, FreePort.Next);
        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] load: {targets} targets x {load.SeriesPerTarget} series on 127.0.0.1:{load.Ports[0]}..., interval {interval} s");

        var config = Path.Combine(work, "scrape.yml");
        await File.WriteAllTextAsync(config, Config(load.Addresses, interval));
        if (args.Contains("--serve-only"))
        {
            // Just the load generator, for scraping by hand: bounded by --window.
            log.WriteLine($"serving for {window} s; configuration in {config}");
            await Task.Delay(TimeSpan.FromSeconds(window));
            return 0;
        }
        var settings = new Settings(targets, load.SeriesPerTarget, interval, warmup, window, deadline);

        var results = new List<Result>();
        if (only is null or "prometheus")
        {
            var prometheus = ExternalTool.Require("prometheus", "prometheus");
            var data = FreshDirectory(Path.Combine(work, "prometheus-data"));
            var port = FreePort.Next();
            results.Add(await MeasureAsync("Prometheus", FirstLine(await ExternalTool.RunAsync(prometheus, ["--version"])), load, settings, log, clock,
                () => ServerUnderTest.StartAsync("Prometheus", prometheus, [$"--config.file={config}", $"--storage.tsdb.path={data}", $"--web.listen-address=127.0.0.1:{port}"], port, TimeSpan.FromSeconds(60))));
            Directory.Delete(data, recursive: true);
        }
        if (only is null or "vigil")
        {
            var data = FreshDirectory(Path.Combine(work, "vigil-data"));
            var port = FreePort.Next();
            var dll = VigilProcess.DllPath;
            results.Add(await MeasureAsync("Vigil", "vigil " + FirstLine(await ExternalTool.RunAsync("dotnet", [dll, "--version"])), load, settings, log, clock,
                () => ServerUnderTest.StartAsync("Vigil", "dotnet", [dll, "serve", $"--config.file={config}", $"--storage.tsdb.path={data}", $"--web.listen-address=127.0.0.1:{port}"], port, TimeSpan.FromSeconds(60))));
            Directory.Delete(data, recursive: true);
        }
        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] done");
        log.WriteLine();
        log.Write(Report(results, settings, load, args));
        if (resultsFile is not null)
        {
            var lines = new StringBuilder();
            foreach (var r in results)
            {
                var key = $"{resultsPrefix}.{r.Name.ToLowerInvariant()}.";
                Line(key + "cpu_per_msample", r.CpuPerMillion);
                Line(key + "rss_bytes", r.RssEnd);
                Line(key + "head_series", r.HeadSeries);
                Line(key + "rss_per_series", r.RssEnd / r.HeadSeries);
                Line(key + "rss_growth_per_series", (r.RssEnd - r.RssReady) / r.HeadSeries);
                Line(key + "ok", r.Ok && r.Up == settings.Targets ? 1 : 0);
            }
            await File.AppendAllTextAsync(resultsFile, lines.ToString());

            void Line(string key, double value) => lines.Append(CultureInfo.InvariantCulture, $"{key}\t{value.ToString("R", CultureInfo.InvariantCulture)}\n");
        }
        return results.All(r => r.Ok) ? 0 : 2;
    }

    internal static string Config(IEnumerable<string> addresses, int intervalSeconds)
    {
        var sb = new StringBuilder();
        var ic = CultureInfo.InvariantCulture;
        sb.AppendLine("# Written by bench/scrape-compare; the same file is given to Prometheus and to Vigil.");
        sb.AppendLine("global:");
        sb.AppendLine(ic, $"  scrape_interval: {intervalSeconds}s");
        sb.AppendLine(ic, $"  scrape_timeout: {intervalSeconds}s");
        sb.AppendLine("  evaluation_interval: 1m");
        sb.AppendLine("scrape_configs:");
        sb.AppendLine("  - job_name: scrape-bench");
        sb.AppendLine("    static_configs:");
        sb.AppendLine("      - targets:");
        foreach (var a in addresses)
        {
            sb.AppendLine(ic, $"          - '{a}'");
        }
        return sb.ToString();
    }

    private sealed record Settings(int Targets, int SeriesPerTarget, int Interval, int Warmup, int Window, DateTime Deadline)
    {
        /// <summary>Series per target plus the five a scrape adds (up, scrape_duration_seconds, ...).</summary>
        public long ExpectedSeries => (long)Targets * (SeriesPerTarget + 5);
    }

    private sealed class Result(string name, string version)
    {
        public string Name { get; } = name;

        public string Version { get; } = version;

        public string? Failure { get; set; }

        public List<string> Notes { get; } = [];

        public double WindowSeconds { get; set; }

        public double Cpu { get; set; }

        public double Samples { get; set; }

        public double HeadSeries { get; set; }

        public long RssReady { get; set; }

        public long RssEnd { get; set; }

        public long RssPeak { get; set; }

        public long Hwm { get; set; }

        public int Up { get; set; }

        public int UpSeries { get; set; }

        public double ScrapeDurationAvg { get; set; } = double.NaN;

        public double ScrapeDurationMax { get; set; } = double.NaN;

        public double GeneratorCpu { get; set; }

        public double GeneratorRender { get; set; }

        public long GeneratorScrapes { get; set; }

        public long OpenMetricsScrapes { get; set; }

        public int ExitCode { get; set; }

        public TimeSpan StopTook { get; set; }

        public bool Ok => Failure is null && ExitCode == 0;

        public double CpuPerMillion => Cpu / (Samples / 1e6);
    }

    private static async Task<Result> MeasureAsync(string name, string version, LoadServer load, Settings s, TextWriter log, Stopwatch clock, Func<Task<ServerUnderTest>> start)
    {
        var r = new Result(name, version);
        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] {name}: start ({version})");
        ServerUnderTest server;
        try
        {
            server = await start();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            r.Failure = "did not start: " + e.Message;
            log.WriteLine(r.Failure);
            return r;
        }
        await using (server)
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
            r.RssReady = server.Memory().Rss;
            try
            {
                // Warm-up: series are created by the first scrapes; wait at least --warmup and until every target is up.
                var started = Stopwatch.StartNew();
                var up = 0;
                while (started.Elapsed.TotalSeconds < s.Warmup || (up < s.Targets && started.Elapsed.TotalSeconds < s.Warmup + (3 * s.Interval)))
                {
                    if (DateTime.UtcNow > s.Deadline || server.HasExited)
                    {
                        break;
                    }
                    await Task.Delay(2000);
                    up = (await UpAsync(http)).Up;
                }
                log.WriteLine($"[{clock.Elapsed:mm\\:ss}] {name}: warm-up over after {started.Elapsed.TotalSeconds:F0} s, {up}/{s.Targets} targets up; measuring {s.Window} s");

                // The measured window.
                var window = Stopwatch.StartNew();
                var cpu0 = server.CpuSeconds();
                var samples0 = await MetricAsync(http, "prometheus_tsdb_head_samples_appended_total");
                var gen0 = ProcStats.CpuSeconds(Environment.ProcessId);
                var render0 = load.RenderTime;
                var scrapes0 = load.Scrapes;
                var om0 = load.OpenMetricsScrapes;
                while (window.Elapsed.TotalSeconds < s.Window && DateTime.UtcNow < s.Deadline && !server.HasExited)
                {
                    await Task.Delay(1000);
                    if (!server.HasExited)
                    {
                        r.RssPeak = Math.Max(r.RssPeak, server.Memory().Rss);
                    }
                }
                if (server.HasExited)
                {
                    throw new InvalidOperationException($"{name} exited with {server.ExitCode} during the measurement");
                }
                var cpu1 = server.CpuSeconds();
                var samples1 = await MetricAsync(http, "prometheus_tsdb_head_samples_appended_total");
                r.WindowSeconds = window.Elapsed.TotalSeconds;
                (r.RssEnd, r.Hwm) = server.Memory();
                r.RssPeak = Math.Max(r.RssPeak, r.RssEnd);
                r.GeneratorCpu = ProcStats.CpuSeconds(Environment.ProcessId) - gen0;
                r.GeneratorRender = (load.RenderTime - render0).TotalSeconds;
                r.GeneratorScrapes = load.Scrapes - scrapes0;
                r.OpenMetricsScrapes = load.OpenMetricsScrapes - om0;
                r.Cpu = cpu1 - cpu0;
                r.Samples = samples1 - samples0;
                r.HeadSeries = await MetricAsync(http, "prometheus_tsdb_head_series");
                if (window.Elapsed.TotalSeconds < s.Window * 0.95)
                {
                    r.Failure = "the deadline cut the window short";
                }

                (r.Up, r.UpSeries) = await UpAsync(http);
                r.ScrapeDurationAvg = await ScalarAsync(http, "avg(scrape_duration_seconds)");
                r.ScrapeDurationMax = await ScalarAsync(http, "max(max_over_time(scrape_duration_seconds[2m]))");
                if (r.Up < s.Targets)
                {
                    r.Notes.Add($"only {r.Up} of {s.Targets} targets up ({r.UpSeries} `up` series); errors: {await TargetErrorsAsync(http)}");
                }
                log.WriteLine($"[{clock.Elapsed:mm\\:ss}] {name}: {r.Samples:N0} samples in {r.WindowSeconds:F0} s, {r.Cpu:F1} CPU s, RSS {r.RssEnd / 1048576.0:F0} MiB, {r.HeadSeries:N0} head series, {r.Up}/{s.Targets} up");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or FormatException or JsonException or IOException)
            {
                r.Failure = e.Message;
                log.WriteLine($"[{clock.Elapsed:mm\\:ss}] {name}: FAILED: {e.Message}");
            }
            // Complaints logged while it ran (not the shutdown's "received SIGTERM").
            var complaints = server.Output.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("warn", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("exception", StringComparison.OrdinalIgnoreCase)).ToList();
            var exited = server.HasExited;
            (r.ExitCode, r.StopTook) = await server.StopAsync();
            if (exited)
            {
                r.Notes.Add($"exited by itself with code {r.ExitCode}");
            }
            if (complaints.Count > 0)
            {
                r.Notes.Add($"{complaints.Count} log lines mention error/warn/fail/exception, e.g. `{complaints[0].Trim()}`");
            }
            if (r.ExitCode != 0 || r.Failure is not null)
            {
                log.WriteLine($"--- {name} output (tail) ---");
                var output = server.Output;
                log.WriteLine(output.Length > 4000 ? output[^4000..] : output);
            }
            log.WriteLine($"[{clock.Elapsed:mm\\:ss}] {name}: stopped (exit {r.ExitCode}, {r.StopTook.TotalSeconds:F1} s)");
        }
        return r;
    }

    /// <summary>The sum over all label sets of <paramref name="name"/> in the server's own /metrics (text format).</summary>
    private static async Task<double> MetricAsync(HttpClient http, string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", "text/plain;version=0.0.4");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStringAsync();
        var found = false;
        var sum = 0.0;
        foreach (var line in body.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{')
            {
                var rest = line[name.Length] == '{' ? line[(line.LastIndexOf('}') + 1)..] : line[name.Length..];
                var value = rest.Trim().Split(' ')[0];
                sum += double.Parse(value, CultureInfo.InvariantCulture);
                found = true;
            }
        }
        return found ? sum : throw new FormatException($"{name} is not in /metrics");
    }

    private static async Task<JsonElement> QueryAsync(HttpClient http, string query)
    {
        var body = await http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query));
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("data").GetProperty("result").Clone();
    }

    /// <summary>How many <c>up</c> series are 1, and how many there are.</summary>
    private static async Task<(int Up, int Series)> UpAsync(HttpClient http)
    {
        var result = await QueryAsync(http, "up{job=\"scrape-bench\"}");
        var up = 0;
        foreach (var s in result.EnumerateArray())
        {
            up += s.GetProperty("value")[1].GetString() == "1" ? 1 : 0;
        }
        return (up, result.GetArrayLength());
    }

    private static async Task<double> ScalarAsync(HttpClient http, string query)
    {
        var result = await QueryAsync(http, query);
        return result.GetArrayLength() == 0 ? double.NaN : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>The distinct last errors of unhealthy targets, from /api/v1/targets.</summary>
    private static async Task<string> TargetErrorsAsync(HttpClient http)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/v1/targets"));
        var errors = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var t in doc.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray())
        {
            if (t.GetProperty("health").GetString() != "up")
            {
                errors.Add($"{t.GetProperty("health").GetString()}: {t.GetProperty("lastError").GetString()}");
            }
        }
        return errors.Count == 0 ? "none reported" : string.Join("; ", errors.Take(5));
    }

    private static string Report(List<Result> results, Settings s, LoadServer load, string[] args)
    {
        var sb = new StringBuilder();
        var ic = CultureInfo.InvariantCulture;
        sb.AppendLine(ic, $"Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; machine: {Environment.ProcessorCount} cores, {MemoryGiB():F0} GiB; .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; load average at the end: {LoadAverage()}");
        foreach (var r in results)
        {
            sb.AppendLine(ic, $"{r.Name}: {r.Version}");
        }
        sb.AppendLine(ic, $"Workload: {s.Targets} targets x {s.SeriesPerTarget:N0} series (+5 per target from the scrape itself = {s.ExpectedSeries:N0} expected active series), scrape interval {s.Interval} s, warm-up {s.Warmup} s, measured window {s.Window} s, one system at a time.");
        sb.AppendLine(ic, $"Command: dotnet ScrapeCompare.dll {string.Join(' ', args)}");
        sb.AppendLine();
        var p = results.FirstOrDefault(r => r.Name == "Prometheus");
        var v = results.FirstOrDefault(r => r.Name == "Vigil");
        sb.AppendLine("| figure | Prometheus 2.42 | Vigil | Vigil/Prometheus | goal |");
        sb.AppendLine("|---|---:|---:|---:|---|");
        Row(sb, "active series (`prometheus_tsdb_head_series`)", p?.HeadSeries, v?.HeadSeries, "N0", "");
        Row(sb, "samples appended in the window", p?.Samples, v?.Samples, "N0", "");
        Row(sb, "samples/s", p is null ? null : p.Samples / p.WindowSeconds, v is null ? null : v.Samples / v.WindowSeconds, "N0", "≈ 1");
        Row(sb, "CPU seconds in the window", p?.Cpu, v?.Cpu, "F1", "");
        Row(sb, "**CPU seconds per million samples**", p?.CpuPerMillion, v?.CpuPerMillion, "F2", "≤ 0.5");
        Row(sb, "**RSS at the end, MiB**", p?.RssEnd / 1048576.0, v?.RssEnd / 1048576.0, "F0", "≤ 0.5");
        Row(sb, "peak RSS in the window, MiB", p?.RssPeak / 1048576.0, v?.RssPeak / 1048576.0, "F0", "");
        Row(sb, "VmHWM (peak since start), MiB", p?.Hwm / 1048576.0, v?.Hwm / 1048576.0, "F0", "");
        Row(sb, "RSS when ready (before scrapes), MiB", p?.RssReady / 1048576.0, v?.RssReady / 1048576.0, "F0", "");
        Row(sb, "**RSS bytes per active series**", p is null ? null : p.RssEnd / p.HeadSeries, v is null ? null : v.RssEnd / v.HeadSeries, "N0", "≤ 0.5");
        Row(sb, "RSS growth bytes per active series (end − ready)", p is null ? null : (p.RssEnd - p.RssReady) / p.HeadSeries, v is null ? null : (v.RssEnd - v.RssReady) / v.HeadSeries, "N0", "");
        Row(sb, "avg `scrape_duration_seconds`, ms", p?.ScrapeDurationAvg * 1000, v?.ScrapeDurationAvg * 1000, "F1", "");
        Row(sb, "max `scrape_duration_seconds` (last 2 m), ms", p?.ScrapeDurationMax * 1000, v?.ScrapeDurationMax * 1000, "F1", "");
        sb.AppendLine(ic, $"| targets up (`up == 1`) | {p?.Up.ToString(ic) ?? "–"}/{s.Targets} | {v?.Up.ToString(ic) ?? "–"}/{s.Targets} | | all |");
        sb.AppendLine(ic, $"| scrapes served in the window (as OpenMetrics) | {Scrapes(p)} | {Scrapes(v)} | | |");
        sb.AppendLine(ic, $"| load generator process CPU s in the window (of which rendering bodies) | {Gen(p)} | {Gen(v)} | | |");
        sb.AppendLine();
        var expected = s.ExpectedSeries * 1.0 / s.Interval;
        sb.AppendLine(ic, $"Expected ingest: {expected:N0} samples/s ({s.ExpectedSeries:N0} series every {s.Interval} s). Generator: {load.Scrapes:N0} scrapes served in all, {load.Bytes / 1e9:F2} GB.");
        if (p is not null && v is not null && p.Samples > 0 && v.Samples > 0)
        {
            var rate = v.Samples / v.WindowSeconds / (p.Samples / p.WindowSeconds);
            sb.AppendLine(ic, $"Same ingest: Vigil appended {rate:F3}x Prometheus's samples per second — {(Math.Abs(rate - 1) <= 0.05 ? "within 5%" : "**NOT within 5%**")}.");
        }
        foreach (var r in results)
        {
            if (r.Failure is not null)
            {
                sb.AppendLine(ic, $"**{r.Name} FAILED**: {r.Failure}");
            }
            if (r.ExitCode != 0)
            {
                sb.AppendLine(ic, $"**{r.Name} exit code {r.ExitCode}** after SIGTERM ({r.StopTook.TotalSeconds:F1} s).");
            }
            foreach (var note in r.Notes)
            {
                sb.AppendLine(ic, $"{r.Name}: {note}");
            }
        }
        return sb.ToString();

        string Scrapes(Result? r) => r is null ? "–" : string.Create(ic, $"{r.GeneratorScrapes:N0} ({r.OpenMetricsScrapes:N0})");

        string Gen(Result? r) => r is null ? "–" : string.Create(ic, $"{r.GeneratorCpu:F1} ({r.GeneratorRender:F2})");
    }

    private static void Row(StringBuilder sb, string figure, double? prom, double? vigil, string format, string goal)
    {
        var ic = CultureInfo.InvariantCulture;
        var ratio = prom is { } a && vigil is { } b && double.IsFinite(b / a) ? (b / a).ToString("F2", ic) : "–";
        sb.AppendLine(ic, $"| {figure} | {Cell(prom)} | {Cell(vigil)} | {ratio} | {goal} |");

        string Cell(double? value) => value is { } x && double.IsFinite(x) ? x.ToString(format, ic) : "–";
    }

    private static string FreshDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FirstLine(ExternalTool.Result result) => result.Output.Split('\n')[0].Trim();

    private static double MemoryGiB()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / (1024 * 1024);
            }
        }
        return double.NaN;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static T Arg<T>(string[] args, string name, T fallback) where T : IParsable<T>
    {
        var value = ArgString(args, name);
        return value is null ? fallback : T.Parse(value, CultureInfo.InvariantCulture);
    }

    private static string? ArgString(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
