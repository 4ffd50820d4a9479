using System.Globalization;

namespace Vigil.Testing.Generators;

/// <summary>
/// Writes realistic, deterministic metrics as OpenMetrics with timestamps (ending in <c># EOF</c>), the input
/// of <c>promtool tsdb create-blocks-from openmetrics</c> and <c>vigil tsdb import openmetrics</c>.
/// <para>
/// Jobs <c>api</c> and <c>frontend</c> have request counters by method and code, a latency histogram by method,
/// an RPC summary (NaN quantiles when idle), CPU and memory, <c>build_info</c> (a new version label at each
/// restart); <c>node</c> has CPU counters by cpu and mode, memory, shrinking filesystems and temperatures;
/// <c>batch</c> has per-task counters that start and stop mid-range, a last-success timestamp, queue depths and
/// a gauge around zero. Every target has <c>up</c>. Targets differ in phase, some jitter by a second, some are
/// added or removed mid-range, some fail scrapes for a while (no samples, <c>up</c> 0) and some restart
/// (counters reset).
/// </para>
/// Large data can be written as consecutive time windows (one file each, each ending in <c># EOF</c>), since
/// a single import file must stay under 2 GiB; the samples are the same as in one file.
/// </summary>
public sealed class OpenMetricsGenerator
{
    private static readonly double[] s_latencyBounds = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, double.PositiveInfinity];
    private static readonly double[] s_quantiles = [0.5, 0.9, 0.99];

    private readonly MetricsGeneratorOptions _options;
    private readonly List<Family> _families = [];
    private readonly Dictionary<string, Family> _byName = [];
    private long _nextWindow = long.MinValue;

    public OpenMetricsGenerator(MetricsGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InstancesPerJob, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Interval, TimeSpan.FromSeconds(1));
        _options = options;
        var seed = (ulong)options.Seed;
        for (var i = 0; i < options.InstancesPerJob; i++)
        {
            foreach (var job in (string[])["api", "frontend"])
            {
                AddWebTarget(new ScrapeTarget(job, $"{job}-{i}:8080", options, SplitMix64.Derive(seed, $"{job}/{i}")));
            }
            AddNodeTarget(new ScrapeTarget("node", $"node-{i}:9100", options, SplitMix64.Derive(seed, $"node/{i}")));
            AddBatchTarget(new ScrapeTarget("batch", $"batch-{i}:9091", options, SplitMix64.Derive(seed, $"batch/{i}")));
        }
    }

    /// <summary>Series written so far (each label set once).</summary>
    public int SeriesWritten
    {
        get
        {
            var n = 0;
            foreach (var f in _families)
            {
                foreach (var s in f.Series)
                {
                    n += s.Emitted ? s.SeriesCount : 0;
                }
            }
            return n;
        }
    }

    /// <summary>Writes the whole range as one file.</summary>
    public static GeneratedMetrics WriteFile(string path, MetricsGeneratorOptions options)
    {
        var generator = new OpenMetricsGenerator(options);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        return generator.WriteWindow(file, options.StartMs, options.EndMs + 1);
    }

    /// <summary>
    /// Writes the range as files of <paramref name="window"/> each (aligned to multiples of it, like blocks),
    /// named <c>NNN.om</c> in <paramref name="directory"/>; returns their paths and the totals.
    /// </summary>
    public static (IReadOnlyList<string> Files, GeneratedMetrics Total) WriteFiles(string directory, MetricsGeneratorOptions options, TimeSpan window)
    {
        var generator = new OpenMetricsGenerator(options);
        var step = (long)window.TotalMilliseconds;
        var from = options.StartMs - (options.StartMs % step);
        var files = new List<string>();
        long samples = 0, bytes = 0;
        for (var i = 0; from <= options.EndMs; i++, from += step)
        {
            var path = Path.Combine(directory, i.ToString("D3", CultureInfo.InvariantCulture) + ".om");
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var written = generator.WriteWindow(file, from, from + step);
                samples += written.Samples;
                bytes += written.Bytes;
            }
            files.Add(path);
        }
        return (files, new GeneratedMetrics(generator.SeriesWritten, samples, options.StartMs, options.EndMs, bytes));
    }

    /// <summary>
    /// Writes the samples with timestamps in [<paramref name="fromMs"/>, <paramref name="toMs"/>) and <c># EOF</c>.
    /// Windows must be written in order, without holes, so that counters carry on from one to the next.
    /// </summary>
    public GeneratedMetrics WriteWindow(Stream destination, long fromMs, long toMs)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (fromMs < _nextWindow || (_nextWindow != long.MinValue && fromMs != _nextWindow))
        {
            throw new InvalidOperationException("windows must be written in order and without holes");
        }
        _nextWindow = toMs;
        long samples = 0;
        long min = long.MaxValue, max = long.MinValue;
        var seriesInWindow = 0;
        using var w = new Utf8LineWriter(destination);
        foreach (var family in _families)
        {
            w.Write($"# HELP {family.Name} {family.Help}\n# TYPE {family.Name} {family.Type}\n");
            foreach (var series in family.Series)
            {
                var target = series.Target;
                var written = 0L;
                for (var k = target.FirstScrapeAtOrAfter(fromMs); ; k++)
                {
                    var t = target.ScrapeTime(k);
                    if (t >= toMs || t > target.EndMs)
                    {
                        break;
                    }
                    if (t < fromMs || !target.Exists(t) || t < series.ActiveFrom || t >= series.ActiveTo)
                    {
                        continue;
                    }
                    var failed = target.Failed(t);
                    var write = !failed || series.WrittenWhenFailed;
                    series.Step(w, t, target.Epoch(t), failed, write);
                    if (write)
                    {
                        written++;
                        min = Math.Min(min, t);
                        max = Math.Max(max, t);
                    }
                }
                if (written > 0)
                {
                    series.Emitted = true;
                    seriesInWindow += series.SeriesCount;
                    samples += written * series.SeriesCount;
                }
            }
        }
        w.Write("# EOF\n"u8);
        w.Flush();
        return new GeneratedMetrics(seriesInWindow, samples, min, max, w.BytesWritten);
    }

    private double IntervalSeconds => _options.Interval.TotalSeconds;

    private void AddWebTarget(ScrapeTarget target)
    {
        var rng = new SplitMix64(SplitMix64.Derive((ulong)_options.Seed, target.Instance + "/web"));
        (string, string) job = ("job", target.Job), instance = ("instance", target.Instance);
        var baseRate = rng.Between(0.5, 20);
        foreach (var (method, methodFactor) in (ReadOnlySpan<(string, double)>)[("GET", 1.0), ("POST", 0.3)])
        {
            foreach (var (code, codeFactor) in (ReadOnlySpan<(string, double)>)[("200", 1.0), ("404", 0.04), ("500", rng.Chance(0.3) ? 0 : 0.01)])
            {
                var prefix = GeneratedSeries.Prefix("http_requests_total", job, instance, ("method", method), ("code", code));
                Add("http_requests", "counter", "Requests served.", new CounterSeries(target, rng.Next(), prefix, baseRate * methodFactor * codeFactor, IntervalSeconds, 0));
            }
            Add("http_request_duration_seconds", "histogram", "Request latency.",
                LatencySeries.Histogram(target, rng.Next(), "http_request_duration_seconds", [job, instance, ("method", method)], baseRate * methodFactor, IntervalSeconds, s_latencyBounds));
        }
        Add("rpc_duration_seconds", "summary", "Backend RPC latency.",
            LatencySeries.Summary(target, rng.Next(), "rpc_duration_seconds", [job, instance], rng.Chance(0.5) ? 0.02 : 2, IntervalSeconds, s_quantiles));
        Add("process_cpu_seconds", "counter", "CPU time used.",
            new CounterSeries(target, rng.Next(), GeneratedSeries.Prefix("process_cpu_seconds_total", job, instance), rng.Between(0.01, 1.5), IntervalSeconds, 2));
        var memory = Math.Round(rng.Between(5e7, 2e9));
        Add("process_resident_memory_bytes", "gauge", "Resident memory.",
            new GaugeSeries(target, rng.Next(), GeneratedSeries.Prefix("process_resident_memory_bytes", job, instance), memory,
                (r, _, v) => Math.Round(Math.Clamp(v + (r.Normal() * 2e6) + 1e4, 1e7, 4e9))));
        var epochs = target.Restarts.Length + 1;
        for (var e = 0; e < epochs; e++)
        {
            var version = string.Create(CultureInfo.InvariantCulture, $"1.{rng.NextInt(20) + (e * 20)}.{rng.NextInt(5)}");
            Add("build_info", "gauge", "Build information.",
                new GaugeSeries(target, rng.Next(), GeneratedSeries.Prefix("build_info", job, instance, ("version", version)), 1, static (_, _, v) => v)
                {
                    ActiveFrom = e == 0 ? long.MinValue : target.Restarts[e - 1],
                    ActiveTo = e == epochs - 1 ? long.MaxValue : target.Restarts[e],
                });
        }
        Add("up", "gauge", "Whether the scrape succeeded.", new UpSeries(target, rng.Next(), GeneratedSeries.Prefix("up", job, instance)));
    }

    private void AddNodeTarget(ScrapeTarget target)
    {
        var rng = new SplitMix64(SplitMix64.Derive((ulong)_options.Seed, target.Instance + "/node"));
        (string, string) job = ("job", target.Job), instance = ("instance", target.Instance);
        for (var cpu = 0; cpu < 2; cpu++)
        {
            var busy = rng.Between(0.05, 0.9);
            foreach (var (mode, share) in (ReadOnlySpan<(string, double)>)[("idle", 1 - busy), ("user", busy * 0.7), ("system", busy * 0.3)])
            {
                var prefix = GeneratedSeries.Prefix("node_cpu_seconds_total", ("cpu", cpu.ToString(CultureInfo.InvariantCulture)), instance, job, ("mode", mode));
                Add("node_cpu_seconds", "counter", "Seconds the CPUs spent in each mode.", new CounterSeries(target, rng.Next(), prefix, share, IntervalSeconds, 2));
            }
        }
        var total = 16e9;
        Add("node_memory_MemAvailable_bytes", "gauge", "Memory available.",
            new GaugeSeries(target, rng.Next(), GeneratedSeries.Prefix("node_memory_MemAvailable_bytes", instance, job), Math.Round(rng.Between(2e9, 12e9)),
                (r, _, v) => Math.Round(Math.Clamp(v + (r.Normal() * 5e7), 1e8, total))));
        foreach (var mount in (string[])["/", "/var"])
        {
            var leak = rng.Between(1e3, 2e5);
            Add("node_filesystem_avail_bytes", "gauge", "Filesystem space available.",
                new GaugeSeries(target, rng.Next(), GeneratedSeries.Prefix("node_filesystem_avail_bytes", ("device", "/dev/vda" + mount.Length), ("fstype", "ext4"), instance, job, ("mountpoint", mount)),
                    Math.Round(rng.Between(1e10, 1e11)),
                    (r, _, v) => r.Chance(0.001) ? Math.Round(v + 5e9) : Math.Round(Math.Max(0, v - (leak * (0.5 + r.NextDouble()))))));
        }
        foreach (var sensor in (string[])["temp1", "temp2"])
        {
            Add("node_hwmon_temp_celsius", "gauge", "Hardware monitor temperature.",
                new GaugeSeries(target, rng.Next(), GeneratedSeries.Prefix("node_hwmon_temp_celsius", ("chip", "platform_coretemp_0"), instance, job, ("sensor", sensor)), Math.Round(rng.Between(35, 60), 1),
                    (r, _, v) => Math.Round(Math.Clamp(v + (r.Normal() * 0.4), 20, 95), 1)));
        }
        Add("up", "gauge", "Whether the scrape succeeded.", new UpSeries(target, rng.Next(), GeneratedSeries.Prefix("up", instance, job)));
    }

    private void AddBatchTarget(ScrapeTarget target)
    {
        var rng = new SplitMix64(SplitMix64.Derive((ulong)_options.Seed, target.Instance + "/batch"));
        (string, string) job = ("job", target.Job), instance = ("instance", target.Instance);
        var span = _options.EndMs - _options.StartMs;
        foreach (var task in (string[])["import", "export", "cleanup"])
        {
            // Each task runs for a part of the range only: its series starts and stops mid-range.
            var from = _options.StartMs + (long)(span * rng.Between(0, 0.5));
            var to = from + (long)(span * rng.Between(0.1, 0.5));
            Add("batch_items_processed", "counter", "Items processed by a batch task.",
                new CounterSeries(target, rng.Next(), GeneratedSeries.Prefix("batch_items_processed_total", job, instance, ("task", task)), rng.Between(1, 200), IntervalSeconds, 0)
                {
                    ActiveFrom = from - (from % 1000),
                    ActiveTo = to - (to % 1000),
                });
        }
        var lastSuccess = Math.Floor((_options.StartMs / 1000.0) - rng.Between(0, 3600));
        Add("batch_last_success_timestamp_seconds", "gauge", "When the last batch succeeded.",
            new GaugeSeries(target, rng.Next(), GeneratedSeries.Prefix("batch_last_success_timestamp_seconds", job, instance), lastSuccess,
                (r, t, v) => r.Chance(0.01) ? t / 1000 : v));
        foreach (var queue in (string[])["high", "low"])
        {
            Add("queue_depth", "gauge", "Items waiting.",
                new GaugeSeries(target, rng.Next(), GeneratedSeries.Prefix("queue_depth", job, instance, ("queue", queue)), rng.NextInt(50),
                    (r, _, v) => Math.Max(0, v + r.NextInt(7) - 3)));
        }
        Add("batch_clock_skew_seconds", "gauge", "Clock offset from the reference, either sign.",
            new GaugeSeries(target, rng.Next(), GeneratedSeries.Prefix("batch_clock_skew_seconds", job, instance), Math.Round(rng.Between(-0.5, 0.5), 3),
                (r, _, v) => Math.Round(Math.Clamp(v + (r.Normal() * 0.02), -2, 2), 3)));
        Add("up", "gauge", "Whether the scrape succeeded.", new UpSeries(target, rng.Next(), GeneratedSeries.Prefix("up", job, instance)));
    }

    private void Add(string family, string type, string help, GeneratedSeries series)
    {
        if (!_byName.TryGetValue(family, out var f))
        {
            f = new Family(family, type, help);
            _byName.Add(family, f);
            _families.Add(f);
        }
        f.Series.Add(series);
    }

    private sealed record Family(string Name, string Type, string Help)
    {
        public List<GeneratedSeries> Series { get; } = [];
    }
}
