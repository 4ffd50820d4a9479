using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Vigil.RemoteWriteCompare.Load;
using Vigil.ScrapeCompare;
using Vigil.Testing;

namespace Vigil.RemoteWriteCompare;

/// <summary>
/// Remote-write ingest, Vigil against Prometheus 2.42 on the same machine, one at a time, each with an empty data dir and
/// its receiver on (<c>--web.enable-remote-write-receiver</c>):
/// <list type="number">
/// <item>maximum sustained ingest: <c>--writers</c> K writers in a closed loop (each sends its next request as soon as the
/// previous one is answered) over <c>--series</c> S series (K disjoint shards, <c>--batch</c> samples per request, one
/// sample per series per request, timestamps = wall clock, strictly increasing per series). After <c>--warmup</c> seconds,
/// over <c>--window</c> seconds: samples accepted (2xx) per second, and the receiver's CPU seconds (utime+stime of
/// /proc/PID/stat) per million accepted samples;</item>
/// <item>start-up with a full WAL: a fresh server takes <c>--wal-series</c> series x <c>--wal-rounds</c> samples, is stopped
/// with SIGTERM, and is started again on the same data dir: the time until <c>/-/ready</c> answers 200, and whether every
/// series is back in the head.</item>
/// </list>
/// Usage: <c>dotnet RemoteWriteCompare.dll [--quick] [--series S] [--writers K] [--batch B] [--warmup S] [--window S]
/// [--wal-series N] [--wal-rounds R] [--deadline MIN] [--work DIR] [--only prometheus|vigil] [--results FILE]</c>
/// (<c>--results</c> appends <c>key TAB value</c> lines for bench/compare.sh).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var o = new Options(
            Series: Arg(args, "--series", quick ? 10_000 : 50_000),
            Writers: Arg(args, "--writers", quick ? 4 : 8),
            Batch: Arg(args, "--batch", 500),
            Warmup: Arg(args, "--warmup", quick ? 5 : 20),
            Window: Arg(args, "--window", quick ? 15 : 60),
            WalSeries: Arg(args, "--wal-series", quick ? 20_000 : 100_000),
            WalRounds: Arg(args, "--wal-rounds", quick ? 10 : 40),
            Deadline: DateTime.UtcNow + TimeSpan.FromMinutes(Arg(args, "--deadline", quick ? 2.0 : 8.0)));
        var only = ArgString(args, "--only");
        var resultsFile = ArgString(args, "--results");
        var workArg = ArgString(args, "--work");
        using var temp = workArg is null ? new TempDirectory("vigil-rw-compare") : null;
        var work = workArg ?? temp!.Path;
        Directory.CreateDirectory(work);
        var config = Path.Combine(work, "empty.yml");
        // No scrape jobs: only remote write reaches the head.
        await File.WriteAllTextAsync(config, "global:\n  evaluation_interval: 1m\nscrape_configs: []\n");
        var log = Console.Out;
        var clock = Stopwatch.StartNew();
        var throughputSeries = new RemoteWriteSeries(o.Series);
        var walSeries = new RemoteWriteSeries(o.WalSeries, job: "rw-wal");
        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] {o.Series:N0} series for the throughput run, {o.WalSeries:N0} x {o.WalRounds} samples for the WAL; {o.Writers} writers, {o.Batch} samples per request");

        var systems = new List<(string Name, Func<string, int, Task<ServerUnderTest>> Start)>();
        if (only is null or "prometheus")
        {
            var prometheus = ExternalTool.Require("prometheus", "prometheus");
            systems.Add(("Prometheus", (data, port) => ServerUnderTest.StartAsync("Prometheus", prometheus,
                [$"--config.file={config}", $"--storage.tsdb.path={data}", $"--web.listen-address=127.0.0.1:{port}", "--web.enable-remote-write-receiver"], port, TimeSpan.FromMinutes(3))));
        }
        if (only is null or "vigil")
        {
            var dll = VigilProcess.DllPath;
            systems.Add(("Vigil", (data, port) => ServerUnderTest.StartAsync("Vigil", "dotnet",
                [dll, "serve", $"--config.file={config}", $"--storage.tsdb.path={data}", $"--web.listen-address=127.0.0.1:{port}", "--web.enable-remote-write-receiver"], port, TimeSpan.FromMinutes(3))));
        }

        var results = new List<Result>();
        foreach (var (name, start) in systems)
        {
            var r = new Result(name);
            results.Add(r);
            try
            {
                await ThroughputAsync(r, throughputSeries, o, Fresh(Path.Combine(work, name + "-rw")), start, log, clock);
                await WalStartupAsync(r, walSeries, o, Fresh(Path.Combine(work, name + "-wal")), start, log, clock);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or IOException or FormatException)
            {
                r.Failure = e.Message;
                log.WriteLine($"[{clock.Elapsed:mm\\:ss}] {name}: FAILED: {e.Message}");
            }
            Directory.Delete(Path.Combine(work, name + "-rw"), recursive: true);
            Directory.Delete(Path.Combine(work, name + "-wal"), recursive: true);
        }
        log.WriteLine();
        log.Write(Report(results, o, args));
        if (resultsFile is not null)
        {
            var lines = new StringBuilder();
            foreach (var r in results)
            {
                var key = "rw." + r.Name.ToLowerInvariant() + ".";
                Line(key + "samples_per_second", r.SamplesPerSecond);
                Line(key + "cpu_per_msample", r.CpuPerMillion);
                Line(key + "wal_ready_seconds", r.WalReady);
                Line(key + "empty_ready_seconds", r.EmptyReady);
                Line(key + "wal_bytes", r.WalBytes);
                Line(key + "rejected_requests", r.Rejected);
                Line(key + "ok", r.Failure is null ? 1 : 0);
            }
            await File.AppendAllTextAsync(resultsFile, lines.ToString());

            void Line(string key, double value) => lines.Append(CultureInfo.InvariantCulture, $"{key}\t{value.ToString("R", CultureInfo.InvariantCulture)}\n");
        }
        return results.All(r => r.Failure is null) ? 0 : 2;
    }

    private sealed record Options(int Series, int Writers, int Batch, int Warmup, int Window, int WalSeries, int WalRounds, DateTime Deadline);

    private sealed class Result(string name)
    {
        public string Name { get; } = name;

        public string? Failure { get; set; }

        public double WindowSeconds { get; set; }

        public double Accepted { get; set; }

        public double Appended { get; set; } = double.NaN;

        public double Cpu { get; set; }

        public double ClientCpu { get; set; }

        public double Rejected { get; set; }

        public double RssEnd { get; set; }

        public double EmptyReady { get; set; } = double.NaN;

        public double WalReady { get; set; } = double.NaN;

        public double WalBytes { get; set; } = double.NaN;

        public double WalSamples { get; set; }

        public double HeadSeriesAfterRestart { get; set; } = double.NaN;

        public double SamplesPerSecond => Accepted / WindowSeconds;

        public double CpuPerMillion => Cpu / (Accepted / 1e6);
    }

    private static async Task ThroughputAsync(Result r, RemoteWriteSeries series, Options o, string data, Func<string, int, Task<ServerUnderTest>> start, TextWriter log, Stopwatch clock)
    {
        var port = FreePort.Next();
        await using var server = await start(data, port);
        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] {r.Name}: throughput: ready; {o.Writers} writers for {o.Warmup} + {o.Window} s");
        using var http = Client(server.BaseAddress, o.Writers);
        using var stop = new CancellationTokenSource();
        var counters = new Counters();
        var writers = Enumerable.Range(0, o.Writers).Select(w => WriterAsync(http, series, w, o, long.MaxValue, counters, stop.Token)).ToArray();
        await WaitAsync(TimeSpan.FromSeconds(o.Warmup), o.Deadline, server);
        var cpu0 = server.CpuSeconds();
        var client0 = ProcStats.CpuSeconds(Environment.ProcessId);
        var accepted0 = Interlocked.Read(ref counters.Accepted);
        var rejected0 = Interlocked.Read(ref counters.Rejected);
        var appended0 = await MetricAsync(http, "prometheus_tsdb_head_samples_appended_total");
        var window = Stopwatch.StartNew();
        await WaitAsync(TimeSpan.FromSeconds(o.Window), o.Deadline, server);
        r.WindowSeconds = window.Elapsed.TotalSeconds;
        r.Cpu = server.CpuSeconds() - cpu0;
        r.ClientCpu = ProcStats.CpuSeconds(Environment.ProcessId) - client0;
        r.Accepted = Interlocked.Read(ref counters.Accepted) - accepted0;
        r.Rejected = Interlocked.Read(ref counters.Rejected) - rejected0;
        r.Appended = await MetricAsync(http, "prometheus_tsdb_head_samples_appended_total") - appended0;
        r.RssEnd = server.Memory().Rss;
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        if (server.HasExited)
        {
            throw new InvalidOperationException($"{r.Name} exited with {server.ExitCode} during the throughput run:\n{Tail(server.Output)}");
        }
        if (r.WindowSeconds < o.Window * 0.95)
        {
            r.Failure = "the deadline cut the throughput window short";
        }
        var (exit, _) = await server.StopAsync();
        if (exit != 0)
        {
            log.WriteLine($"--- {r.Name} output (tail) ---\n{Tail(server.Output)}");
        }
        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] {r.Name}: {r.SamplesPerSecond:N0} samples/s accepted ({r.Appended:N0} appended by its own count in the window), {r.Cpu:F1} CPU s = {r.CpuPerMillion:F2} s per million, {r.Rejected} rejected requests ({counters.LastError ?? "none"}); exit {exit}");
    }

    private static async Task WalStartupAsync(Result r, RemoteWriteSeries series, Options o, string data, Func<string, int, Task<ServerUnderTest>> start, TextWriter log, Stopwatch clock)
    {
        var port = FreePort.Next();
        var started = Stopwatch.StartNew();
        await using (var server = await start(data, port))
        {
            r.EmptyReady = started.Elapsed.TotalSeconds;
            using var http = Client(server.BaseAddress, o.Writers);
            var counters = new Counters();
            using var stop = new CancellationTokenSource(o.Deadline - DateTime.UtcNow);
            var fill = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, o.Writers).Select(w => WriterAsync(http, series, w, o, o.WalRounds, counters, stop.Token)));
            r.WalSamples = Interlocked.Read(ref counters.Accepted);
            if (stop.IsCancellationRequested)
            {
                throw new InvalidOperationException($"the deadline cut the WAL fill short at {r.WalSamples:N0} samples");
            }
            var (exit, took) = await server.StopAsync();
            log.WriteLine($"[{clock.Elapsed:mm\\:ss}] {r.Name}: WAL: {r.WalSamples:N0} samples in {fill.Elapsed.TotalSeconds:F0} s ({counters.Rejected} rejected requests), stopped in {took.TotalSeconds:F1} s (exit {exit})");
        }
        r.WalBytes = DirectoryBytes(Path.Combine(data, "wal"));
        started.Restart();
        await using (var server = await start(data, FreePort.Next()))
        {
            r.WalReady = started.Elapsed.TotalSeconds;
            using var http = Client(server.BaseAddress, 1);
            r.HeadSeriesAfterRestart = await MetricAsync(http, "prometheus_tsdb_head_series");
            await server.StopAsync();
        }
        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] {r.Name}: restart with {r.WalBytes / 1e6:F1} MB of WAL: ready after {r.WalReady:F2} s (empty: {r.EmptyReady:F2} s), {r.HeadSeriesAfterRestart:N0} head series");
        if (r.HeadSeriesAfterRestart < series.Count)
        {
            r.Failure = $"after the restart only {r.HeadSeriesAfterRestart:N0} of {series.Count:N0} series are in the head";
        }
    }

    private sealed class Counters
    {
        public long Accepted;
        public long Rejected;
        public string? LastError;
    }

    /// <summary>
    /// Writer <paramref name="w"/> of K owns series [w*S/K, (w+1)*S/K); each round sends all of them, <paramref name="o"/>.Batch
    /// per request, stamped with the wall clock (strictly after its previous round), until cancelled or after
    /// <paramref name="rounds"/> rounds. Samples count as accepted when the answer is 2xx.
    /// </summary>
    private static async Task WriterAsync(HttpClient http, RemoteWriteSeries series, int w, Options o, long rounds, Counters counters, CancellationToken stop)
    {
        var from = (int)((long)series.Count * w / o.Writers);
        var to = (int)((long)series.Count * (w + 1) / o.Writers);
        var writer = new WriteRequestWriter(series, (ulong)w + 1);
        long last = 0;
        try
        {
            for (long round = 0; round < rounds && !stop.IsCancellationRequested; round++)
            {
                var ts = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), last + 1);
                last = ts;
                for (var i = from; i < to && !stop.IsCancellationRequested; i += o.Batch)
                {
                    var n = Math.Min(o.Batch, to - i);
                    using var content = new ByteArrayContent(writer.Next(i, n, ts));
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                    content.Headers.ContentEncoding.Add("snappy");
                    using var response = await http.PostAsync("/api/v1/write", content, stop);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Add(ref counters.Accepted, n);
                    }
                    else
                    {
                        Interlocked.Increment(ref counters.Rejected);
                        counters.LastError = $"{(int)response.StatusCode}: {(await response.Content.ReadAsStringAsync(CancellationToken.None)).Trim()}";
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static HttpClient Client(Uri baseAddress, int connections)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        client.DefaultRequestHeaders.UserAgent.ParseAdd("vigil-bench-remote-write/0.1");
        return client;
    }

    private static async Task WaitAsync(TimeSpan duration, DateTime deadline, ServerUnderTest server)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration && DateTime.UtcNow < deadline && !server.HasExited)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(500, Math.Max(1, (duration - clock.Elapsed).TotalMilliseconds))));
        }
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
                sum += double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                found = true;
            }
        }
        return found ? sum : throw new FormatException($"{name} is not in /metrics");
    }

    private static string Report(List<Result> results, Options o, string[] args)
    {
        var sb = new StringBuilder();
        var ic = CultureInfo.InvariantCulture;
        sb.AppendLine(ic, $"Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load average at the end: {LoadAverage()}");
        sb.AppendLine(ic, $"Command: dotnet RemoteWriteCompare.dll {string.Join(' ', args)}");
        sb.AppendLine(ic, $"Throughput: {o.Series:N0} series, {o.Writers} closed-loop writers, {o.Batch} samples per request, warm-up {o.Warmup} s, window {o.Window} s. WAL: {o.WalSeries:N0} series x {o.WalRounds} samples.");
        sb.AppendLine();
        var p = results.FirstOrDefault(r => r.Name == "Prometheus");
        var v = results.FirstOrDefault(r => r.Name == "Vigil");
        sb.AppendLine("| figure | Prometheus 2.42 | Vigil | Vigil/Prometheus |");
        sb.AppendLine("|---|---:|---:|---:|");
        Row("**accepted samples/s (maximum sustained)**", r => r.SamplesPerSecond, "N0");
        Row("samples appended by the server's own count in the window", r => r.Appended, "N0");
        Row("**receiver CPU s per million samples**", r => r.CpuPerMillion, "F2");
        Row("load client CPU s in the window", r => r.ClientCpu, "F1");
        Row("rejected requests in the window", r => r.Rejected, "N0");
        Row("RSS at the end of the window, MiB", r => r.RssEnd / 1048576, "F0");
        Row("WAL size, MB", r => r.WalBytes / 1e6, "F1");
        Row("ready after start, empty data dir, s", r => r.EmptyReady, "F2");
        Row("**ready after restart with that WAL, s**", r => r.WalReady, "F2");
        Row("head series after the restart", r => r.HeadSeriesAfterRestart, "N0");
        foreach (var r in results.Where(r => r.Failure is not null))
        {
            sb.AppendLine(ic, $"**{r.Name} FAILED**: {r.Failure}");
        }
        return sb.ToString();

        void Row(string figure, Func<Result, double> f, string format)
        {
            double? a = p is null ? null : f(p);
            double? b = v is null ? null : f(v);
            var ratio = a is { } x && b is { } y && double.IsFinite(y / x) ? (y / x).ToString("F2", ic) : "–";
            sb.AppendLine(ic, $"| {figure} | {Cell(a)} | {Cell(b)} | {ratio} |");

            string Cell(double? value) => value is { } z && double.IsFinite(z) ? z.ToString(format, ic) : "–";
        }
    }

    private static long DirectoryBytes(string path)
        => Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    private static string Fresh(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Tail(string output) => output.Length > 4000 ? output[^4000..] : output;

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
