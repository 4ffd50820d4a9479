using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Vigil.Compat.Tests.Differential;
using Vigil.Testing;
using Vigil.Testing.Generators;

namespace Vigil.QueryCompare;

/// <summary>
/// Query latency, Vigil against Prometheus 2.42 on the same machine and the same data:
/// <list type="number">
/// <item>generates metrics with <see cref="OpenMetricsGenerator"/> (one file per 2 h window, deleted once imported);</item>
/// <item>backfills each file with <c>promtool tsdb create-blocks-from openmetrics</c> and <c>vigil tsdb import openmetrics</c>;</item>
/// <item>starts Prometheus alone, waits for its compaction to settle, runs every query <c>--warmup</c> times untimed, then
/// <c>--repeat</c> rounds, and stops it; then the same for Vigil;</item>
/// <item>prints, per query and overall, the median and p90 of each, the ratio Vigil/Prometheus and whether the answers agree.</item>
/// </list>
/// Usage: <c>dotnet run -c Release --project bench/query-compare -- [--quick] [--instances N] [--hours H] [--repeat R] [--warmup W] [--settle S] [--deadline MIN] [--work DIR] [--results FILE]</c>
/// (<c>--results</c> appends <c>key TAB value</c> lines for bench/compare.sh, including chunk and index bytes per sample of
/// both backfilled data dirs, measured before either server starts).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var instances = Arg(args, "--instances", quick ? 30 : 115);
        var hours = Arg(args, "--hours", quick ? 3.0 : 24.0);
        var repeat = Arg(args, "--repeat", quick ? 5 : 7);
        var settle = Arg(args, "--settle", quick ? 0 : 150);
        var warmup = Arg(args, "--warmup", 3);
        var deadlineMinutes = Arg(args, "--deadline", quick ? 2.8 : 60.0);
        var workArg = ArgString(args, "--work");
        var resultsFile = ArgString(args, "--results");

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(deadlineMinutes);
        using var temp = workArg is null ? new TempDirectory("vigil-query-compare") : null;
        var work = workArg ?? temp!.Path;
        Directory.CreateDirectory(work);
        var log = Console.Out;
        var clock = Stopwatch.StartNew();

        var nowSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var options = new MetricsGeneratorOptions
        {
            End = DateTimeOffset.FromUnixTimeSeconds(nowSeconds - (nowSeconds % 60) - 60),
            Duration = TimeSpan.FromHours(hours),
            InstancesPerJob = instances,
        };
        var promData = Path.Combine(work, "prometheus-data");
        var vigilData = Path.Combine(work, "vigil-data");
        var meta = Path.Combine(work, "generated.txt");
        long end;
        string dataDescription;
        if (File.Exists(meta) && Directory.Exists(promData) && Directory.Exists(vigilData))
        {
            // Reuse an earlier backfill (--work DIR): line 1 is the data's end, line 2 its description.
            var lines = await File.ReadAllLinesAsync(meta);
            end = long.Parse(lines[0], CultureInfo.InvariantCulture);
            dataDescription = lines[1] + " (reused)";
            log.WriteLine($"reusing {work}: {dataDescription}");
        }
        else
        {
            (end, dataDescription) = await BackfillAsync(options, work, promData, vigilData, log, clock);
            await File.WriteAllLinesAsync(meta, [end.ToString(CultureInfo.InvariantCulture), dataDescription]);
        }

        // Bytes on disk of the same data, before either server starts (Prometheus would then compact its blocks).
        var promDisk = BlockBytes(promData);
        var vigilDisk = BlockBytes(vigilData);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:mm\\:ss}] on disk: Prometheus {promDisk}, Vigil {vigilDisk}"));

        var queries = BenchQueries.For(hours);
        var timeout = TimeSpan.FromMinutes(2);
        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] Prometheus: start, settle, warm up, {repeat} rounds of {queries.Count} queries");
        Measurement prom;
        await using (var prometheus = await PrometheusInstance.StartAsync(promData, work))
        {
            await SettleAsync(promData, TimeSpan.FromSeconds(settle), deadline, log);
            using var http = new HttpClient { BaseAddress = prometheus.BaseAddress, Timeout = timeout };
            prom = await MeasureAsync(http, queries, end, warmup, repeat, deadline);
        }
        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] Vigil: start, warm up, {repeat} rounds");
        Measurement vigil;
        // No scrape jobs, like Prometheus here (Vigil's embedded default would scrape itself during the measurement).
        var vigilConfig = Path.Combine(work, "vigil.yml");
        await File.WriteAllTextAsync(vigilConfig, PrometheusInstance.EmptyConfig);
        await using (var server = await VigilProcess.StartServeAsync(vigilData, $"--config.file={vigilConfig}"))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = timeout };
            vigil = await MeasureAsync(http, queries, end, warmup, repeat, deadline);
            await server.TerminateAsync();
        }
        log.WriteLine($"[{clock.Elapsed:mm\\:ss}] done");
        log.WriteLine();
        log.Write(Report(queries, prom, vigil, dataDescription, warmup, repeat, args));
        log.WriteLine();
        log.WriteLine("| on disk (blocks as backfilled) | Prometheus 2.42 | Vigil | Vigil/Prometheus |");
        log.WriteLine("|---|---:|---:|---:|");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| samples (meta.json) | {promDisk.Samples:N0} | {vigilDisk.Samples:N0} | |"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| chunk bytes per sample | {promDisk.ChunkBytesPerSample:F3} | {vigilDisk.ChunkBytesPerSample:F3} | {vigilDisk.ChunkBytesPerSample / promDisk.ChunkBytesPerSample:F2} |"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| chunk + index bytes per sample | {promDisk.BytesPerSample:F3} | {vigilDisk.BytesPerSample:F3} | {vigilDisk.BytesPerSample / promDisk.BytesPerSample:F2} |"));
        if (resultsFile is not null)
        {
            await File.AppendAllTextAsync(resultsFile, Results(queries, prom, vigil, promDisk, vigilDisk));
        }
        return prom.Complete && vigil.Complete ? 0 : 2;
    }

    private static async Task<(long End, string Description)> BackfillAsync(MetricsGeneratorOptions options, string work, string promData, string vigilData, TextWriter log, Stopwatch clock)
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var generator = new OpenMetricsGenerator(options);
        var window = (long)TimeSpan.FromHours(2).TotalMilliseconds;
        long samples = 0, bytes = 0;
        TimeSpan generating = TimeSpan.Zero, promtoolTime = TimeSpan.Zero, vigilTime = TimeSpan.Zero;
        var input = Path.Combine(work, "window.om");
        for (var from = options.StartMs - (options.StartMs % window); from <= options.EndMs; from += window)
        {
            var t = Stopwatch.StartNew();
            GeneratedMetrics written;
            await using (var file = new FileStream(input, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                written = generator.WriteWindow(file, Math.Max(from, options.StartMs), Math.Min(from + window, options.EndMs + 1));
            }
            generating += t.Elapsed;
            samples += written.Samples;
            bytes += written.Bytes;

            t.Restart();
            var created = await ExternalTool.RunAsync(promtool, ["tsdb", "create-blocks-from", "openmetrics", "--quiet", input, promData], timeout: TimeSpan.FromMinutes(20));
            if (created.ExitCode != 0)
            {
                throw new InvalidOperationException("promtool failed: " + created.Output);
            }
            promtoolTime += t.Elapsed;

            t.Restart();
            var imported = await ExternalTool.RunAsync("dotnet", [VigilProcess.DllPath, "tsdb", "import", "openmetrics", input, vigilData], timeout: TimeSpan.FromMinutes(20));
            if (imported.ExitCode != 0)
            {
                throw new InvalidOperationException("vigil import failed: " + imported.Output);
            }
            vigilTime += t.Elapsed;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{clock.Elapsed:mm\\:ss}] window {DateTimeOffset.FromUnixTimeMilliseconds(from):HH:mm}: {written.Series} series, {written.Samples} samples, {written.Bytes / 1e6:F0} MB; generate {generating.TotalSeconds:F0} s, promtool {promtoolTime.TotalSeconds:F0} s, vigil import {vigilTime.TotalSeconds:F0} s so far"));
        }
        File.Delete(input);
        var description = string.Create(CultureInfo.InvariantCulture,
            $"{generator.SeriesWritten:N0} series, {samples:N0} samples ({options.Duration.TotalHours:0.#} h at {options.Interval.TotalSeconds:0} s, {options.InstancesPerJob} instances per job, {bytes / 1e9:F2} GB of OpenMetrics); backfill took promtool {promtoolTime.TotalSeconds:F0} s, vigil import {vigilTime.TotalSeconds:F0} s");
        return (options.EndMs / 1000, description);
    }

    /// <summary>
    /// Prometheus compacts backfilled 2 h blocks into larger ones in the background (first round about a minute after
    /// start). Measuring during that would time the compaction too, so wait until no block has appeared or gone for
    /// 20 s, at least <paramref name="atLeast"/>.
    /// </summary>
    private static async Task SettleAsync(string dataPath, TimeSpan atLeast, DateTime deadline, TextWriter log)
    {
        if (atLeast <= TimeSpan.Zero)
        {
            return;
        }
        var started = DateTime.UtcNow;
        var last = BlockDirs(dataPath);
        var stableSince = DateTime.UtcNow;
        log.WriteLine($"  {last.Split(',').Length} blocks at start");
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            var now = BlockDirs(dataPath);
            if (now != last)
            {
                last = now;
                stableSince = DateTime.UtcNow;
                log.WriteLine($"  {now.Split(',').Length} blocks after {(DateTime.UtcNow - started).TotalSeconds:F0} s");
            }
            if (DateTime.UtcNow - started >= atLeast && DateTime.UtcNow - stableSince >= TimeSpan.FromSeconds(20))
            {
                return;
            }
        }
    }

    private static string BlockDirs(string dataPath)
        => string.Join(",", Directory.GetDirectories(dataPath).Select(Path.GetFileName).Where(n => n is { Length: >= 26 } && n != "wal" && n != "chunks_head").Order(StringComparer.Ordinal));

    private sealed class Measurement(int queries)
    {
        public List<double>[] Milliseconds { get; } = [.. Enumerable.Range(0, queries).Select(_ => new List<double>())];

        public QueryAnswer?[] LastAnswer { get; } = new QueryAnswer?[queries];

        public bool Complete { get; set; } = true;
    }

    private static async Task<Measurement> MeasureAsync(HttpClient http, IReadOnlyList<BenchQuery> queries, long end, int warmup, int repeat, DateTime deadline)
    {
        var m = new Measurement(queries.Count);
        for (var round = 1 - warmup; round <= repeat; round++)
        {
            for (var i = 0; i < queries.Count; i++)
            {
                if (DateTime.UtcNow > deadline)
                {
                    m.Complete = false;
                    return m;
                }
                var clock = Stopwatch.StartNew();
                QueryAnswer answer;
                try
                {
                    using var response = await http.GetAsync(queries[i].Path(end));
                    var body = await response.Content.ReadAsStringAsync();
                    answer = new QueryAnswer(response.StatusCode, body, clock.Elapsed);
                }
                catch (TaskCanceledException)
                {
                    answer = new QueryAnswer(HttpStatusCode.GatewayTimeout, "{\"status\":\"error\",\"errorType\":\"client_timeout\"}", clock.Elapsed);
                }
                // Warm-up rounds (round <= 0) fill caches and let the JIT reach its optimized tier; they are not timed.
                if (round > 0)
                {
                    m.Milliseconds[i].Add(answer.Elapsed.TotalMilliseconds);
                }
                m.LastAnswer[i] = answer;
            }
        }
        return m;
    }

    /// <summary>Chunk and index bytes of a data dir's block directories, and their samples (meta.json).</summary>
    private sealed record DiskUsage(long ChunkBytes, long IndexBytes, long Samples, int Blocks)
    {
        public double ChunkBytesPerSample => (double)ChunkBytes / Samples;

        public double BytesPerSample => (double)(ChunkBytes + IndexBytes) / Samples;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Blocks} blocks, {Samples:N0} samples, chunks {ChunkBytes / 1e6:F1} MB, index {IndexBytes / 1e6:F1} MB, {BytesPerSample:F3} bytes/sample");
    }

    private static DiskUsage BlockBytes(string dataPath)
    {
        long chunks = 0, index = 0, samples = 0;
        var blocks = 0;
        foreach (var block in Directory.GetDirectories(dataPath))
        {
            var meta = Path.Combine(block, "meta.json");
            if (!File.Exists(meta))
            {
                continue;
            }
            blocks++;
            using (var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(meta)))
            {
                samples += doc.RootElement.GetProperty("stats").GetProperty("numSamples").GetInt64();
            }
            var chunkDir = Path.Combine(block, "chunks");
            chunks += Directory.Exists(chunkDir) ? Directory.GetFiles(chunkDir).Sum(f => new FileInfo(f).Length) : 0;
            index += File.Exists(Path.Combine(block, "index")) ? new FileInfo(Path.Combine(block, "index")).Length : 0;
        }
        return new DiskUsage(chunks, index, samples, blocks);
    }

    /// <summary><c>key TAB value</c> lines for bench/compare.sh.</summary>
    private static string Results(IReadOnlyList<BenchQuery> queries, Measurement prom, Measurement vigil, DiskUsage promDisk, DiskUsage vigilDisk)
    {
        var sb = new StringBuilder();
        var ratios = new List<double>();
        var agree = 0;
        for (var i = 0; i < queries.Count; i++)
        {
            var ratio = Percentile(vigil.Milliseconds[i], 0.5) / Percentile(prom.Milliseconds[i], 0.5);
            if (double.IsFinite(ratio))
            {
                ratios.Add(ratio);
            }
            agree += prom.LastAnswer[i] is { } pa && vigil.LastAnswer[i] is { } va && QueryAnswerComparer.Difference(pa, va, queries[i].Expr.StartsWith("topk", StringComparison.Ordinal)) is null ? 1 : 0;
        }
        Line("query.queries", queries.Count);
        Line("query.median_ratio", Percentile(ratios, 0.5));
        Line("query.geomean_ratio", ratios.Count > 0 ? Math.Exp(ratios.Average(Math.Log)) : double.NaN);
        Line("query.agree_percent", 100.0 * agree / queries.Count);
        Line("query.complete", prom.Complete && vigil.Complete ? 1 : 0);
        foreach (var (name, m) in new[] { ("prometheus", prom), ("vigil", vigil) })
        {
            // All timed executions of all queries pooled.
            var all = m.Milliseconds.SelectMany(x => x).ToList();
            Line($"query.{name}.median_ms", Percentile(all, 0.5));
            Line($"query.{name}.p90_ms", Percentile(all, 0.9));
        }
        foreach (var (name, d) in new[] { ("prometheus", promDisk), ("vigil", vigilDisk) })
        {
            Line($"disk.{name}.chunk_bytes_per_sample", d.ChunkBytesPerSample);
            Line($"disk.{name}.bytes_per_sample", d.BytesPerSample);
            Line($"disk.{name}.samples", d.Samples);
        }
        return sb.ToString();

        void Line(string key, double value) => sb.Append(CultureInfo.InvariantCulture, $"{key}\t{value.ToString("R", CultureInfo.InvariantCulture)}\n");
    }

    private static string Report(IReadOnlyList<BenchQuery> queries, Measurement prom, Measurement vigil, string data, int warmup, int repeat, string[] args)
    {
        var sb = new StringBuilder();
        var ic = CultureInfo.InvariantCulture;
        sb.AppendLine(ic, $"Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; machine: {Environment.ProcessorCount} cores, {MemoryGiB():F0} GiB; {RuntimeVersion()}; load average at the end: {LoadAverage()}");
        sb.AppendLine(ic, $"Data: {data}");
        sb.AppendLine(ic, $"Command: dotnet run -c Release --project bench/query-compare -- {string.Join(' ', args)}");
        sb.AppendLine(ic, $"Each query: {warmup} untimed warm-up rounds, then {repeat} timed rounds (round-robin over the queries), wall time of the HTTP request including the JSON body.");
        sb.AppendLine();
        sb.AppendLine("| query | shape | Prometheus median ms | p90 | Vigil median ms | p90 | Vigil/Prometheus | agree |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|:---:|");
        var ratios = new List<double>();
        var agree = 0;
        double promTotal = 0, vigilTotal = 0;
        for (var i = 0; i < queries.Count; i++)
        {
            var q = queries[i];
            var pm = Percentile(prom.Milliseconds[i], 0.5);
            var pp = Percentile(prom.Milliseconds[i], 0.9);
            var vm = Percentile(vigil.Milliseconds[i], 0.5);
            var vp = Percentile(vigil.Milliseconds[i], 0.9);
            var ratio = vm / pm;
            if (double.IsFinite(ratio))
            {
                ratios.Add(ratio);
                promTotal += pm;
                vigilTotal += vm;
            }
            var same = prom.LastAnswer[i] is { } pa && vigil.LastAnswer[i] is { } va && QueryAnswerComparer.Difference(pa, va, q.Expr.StartsWith("topk", StringComparison.Ordinal)) is null;
            agree += same ? 1 : 0;
            var ok = prom.LastAnswer[i]?.Body.StartsWith("{\"status\":\"success\"", StringComparison.Ordinal) == true ? "" : " (Prometheus: error)";
            sb.AppendLine(ic, $"| `{q.Expr.Replace("|", "\\|", StringComparison.Ordinal)}` | {q.Shape} | {pm:F1} | {pp:F1} | {vm:F1} | {vp:F1} | {ratio:F2} | {(same ? "yes" : "**no**")}{ok} |");
        }
        sb.AppendLine();
        var geo = ratios.Count > 0 ? Math.Exp(ratios.Average(Math.Log)) : double.NaN;
        sb.AppendLine(ic, $"Vigil/Prometheus: geometric mean of the per-query median ratios {geo:F2}, median ratio {Percentile(ratios, 0.5):F2}, range {(ratios.Count > 0 ? ratios.Min() : double.NaN):F2}–{(ratios.Count > 0 ? ratios.Max() : double.NaN):F2}; sum of medians {promTotal:F0} ms vs {vigilTotal:F0} ms ({vigilTotal / promTotal:F2}).");
        sb.AppendLine(ic, $"Answers agree (QueryAnswerComparer, as in the differential tests): {agree} of {queries.Count} ({100.0 * agree / queries.Count:F0}%).");
        if (!prom.Complete || !vigil.Complete)
        {
            sb.AppendLine("INCOMPLETE: the deadline cut the measurement short; the figures above cover only the rounds that ran.");
        }
        return sb.ToString();
    }

    /// <summary>Nearest-rank percentile (the median of an even count is the mean of the middle two).</summary>
    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToList();
        if (p == 0.5 && sorted.Count % 2 == 0)
        {
            return (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

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

    private static string RuntimeVersion() => $".NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

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
