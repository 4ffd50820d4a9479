using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Vigil.Model;
using Vigil.Model.Exposition;

namespace Vigil.Benchmarks.Model;

/// <summary>
/// Parsing a node_exporter-sized scrape (~2000 series: counters, gauges, histograms, summaries) in both formats.
/// <see cref="RawSeries"/> is the re-scrape path (series bytes, value, timestamp; budget: 0 B/sample);
/// <see cref="WithLabels"/> is the first-scrape path (labels into a reused builder).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class ExpositionParserBenchmarks
{
    private byte[] _body = [];
    private LabelsBuilder _builder = new();

    [Params(ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetrics)]
    public ExpositionFormat Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = NodeExporterBody.Get(Format).Body;
        _builder = new LabelsBuilder();
    }

    [Benchmark(Baseline = true)]
    public long RawSeries()
    {
        var parser = new ExpositionParser(_body, Format);
        long checksum = 0;
        while (true)
        {
            switch (parser.Next())
            {
                case ExpositionEntry.Series:
                    checksum += parser.Series.Length + (long)parser.Value + (parser.TimestampMs ?? 0);
                    break;
                case ExpositionEntry.Eof:
                    return checksum;
                case ExpositionEntry.Error:
                    parser.ThrowIfError();
                    break;
                default:
                    break;
            }
        }
    }

    [Benchmark]
    public long WithLabels()
    {
        var parser = new ExpositionParser(_body, Format);
        var builder = _builder;
        long checksum = 0;
        while (true)
        {
            switch (parser.Next())
            {
                case ExpositionEntry.Series:
                    parser.Labels(builder);
                    checksum += builder.Count + (long)parser.Value;
                    break;
                case ExpositionEntry.Eof:
                    return checksum;
                case ExpositionEntry.Error:
                    parser.ThrowIfError();
                    break;
                default:
                    break;
            }
        }
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig()
        {
            AddColumn(Column("MB/s", "Body megabytes (10^6) parsed per second", static (summary, benchmark, body) =>
            {
                var mean = summary[benchmark]?.ResultStatistics?.Mean;
                return mean is > 0 ? (body.Body.Length / 1e6 / (mean.Value / 1e9)).ToString("F1", CultureInfo.InvariantCulture) : "-";
            }));
            AddColumn(Column("B/sample", "Bytes allocated per series line", static (summary, benchmark, body) =>
            {
                var report = summary[benchmark];
                if (report is null)
                {
                    return "-";
                }
                var bytes = report.GcStats.GetBytesAllocatedPerOperation(benchmark);
                return bytes is long b ? (b / (double)body.Series).ToString("F1", CultureInfo.InvariantCulture) : "-";
            }));
            AddColumn(Column("Body KB", "Size of the parsed body", static (_, _, body) =>
                (body.Body.Length / 1024.0).ToString("F0", CultureInfo.InvariantCulture)));
            AddColumn(Column("Series", "Series lines in the body", static (_, _, body) =>
                body.Series.ToString(CultureInfo.InvariantCulture)));
        }

        // The parser's columns need the body the benchmark case parsed.
        private static DerivedColumn Column(string name, string legend, Func<Summary, BenchmarkCase, NodeExporterBody, string> value)
            => new(name, legend, (summary, benchmark) => value(summary, benchmark, NodeExporterBody.Get((ExpositionFormat)benchmark.Parameters[nameof(Format)])));
    }
}

/// <summary>A generated node_exporter-like body: ~2000 series, label-heavy, with timestamps and (OpenMetrics) exemplars.</summary>
internal sealed class NodeExporterBody
{
    private static readonly ConcurrentDictionary<ExpositionFormat, NodeExporterBody> s_cache = new();

    private NodeExporterBody(byte[] body, int series)
    {
        Body = body;
        Series = series;
    }

    public byte[] Body { get; }

    public int Series { get; }

    public static NodeExporterBody Get(ExpositionFormat format) => s_cache.GetOrAdd(format, Create);

    private static NodeExporterBody Create(ExpositionFormat format)
    {
        var families = Families(format);
        var series = families.Sum(f => f.Samples.Count);
        return new NodeExporterBody(ExpositionSerializer.ToUtf8Bytes(families, format), series);
    }

    private static List<MetricFamily> Families(ExpositionFormat format)
    {
        var om = format == ExpositionFormat.OpenMetrics;
        var inv = CultureInfo.InvariantCulture;
        var families = new List<MetricFamily>();

        // node_cpu_seconds_total: 16 CPUs x 8 modes.
        var cpu = new List<MetricSample>();
        for (var c = 0; c < 16; c++)
        {
            foreach (var mode in new[] { "idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user" })
            {
                cpu.Add(new MetricSample(Labels.Of("__name__", "node_cpu_seconds_total", "cpu", c.ToString(inv), "mode", mode), 123456.78 + (c * 17.5) + mode.Length));
            }
        }
        families.Add(new MetricFamily(om ? "node_cpu_seconds" : "node_cpu_seconds_total", MetricType.Counter, cpu, "Seconds the CPUs spent in each mode.", om ? "seconds" : null));

        // Per-device gauges and counters: 24 devices x 30 metrics.
        for (var m = 0; m < 30; m++)
        {
            var name = $"node_disk_metric_{m}_bytes";
            var samples = new List<MetricSample>();
            for (var d = 0; d < 24; d++)
            {
                samples.Add(new MetricSample(
                    Labels.Of("__name__", name, "device", $"nvme{d / 4}n{(d % 4) + 1}", "instance", "node-17.example.org:9100", "job", "node"),
                    1.23456789e10 + (d * 4096) + m,
                    d % 3 == 0 ? 1700000000123 + d : null));
            }
            families.Add(new MetricFamily(name, MetricType.Gauge, samples, $"Disk statistic {m} in bytes.", om ? "bytes" : null));
        }

        // Histograms: 10 handlers x 12 buckets + sum + count, in 6 families.
        for (var h = 0; h < 6; h++)
        {
            var name = $"http_request_duration_{h}_seconds";
            var samples = new List<MetricSample>();
            foreach (var handler in new[] { "/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/api/v1/labels", "/metrics", "/-/healthy", "/-/ready", "/federate", "/api/v1/write", "/graph" })
            {
                var cumulative = 0.0;
                foreach (var le in new[] { "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf" })
                {
                    cumulative += handler.Length;
                    var exemplar = om && le == "0.1" ? new Exemplar(Labels.Of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"), 0.067, 1700000000456) : null;
                    samples.Add(new MetricSample(Labels.Of("__name__", name + "_bucket", "code", "200", "handler", handler, "method", "GET", "le", le), cumulative, null, exemplar));
                }
                samples.Add(new MetricSample(Labels.Of("__name__", name + "_sum", "code", "200", "handler", handler, "method", "GET"), 1234.5678));
                samples.Add(new MetricSample(Labels.Of("__name__", name + "_count", "code", "200", "handler", handler, "method", "GET"), cumulative));
            }
            families.Add(new MetricFamily(name, MetricType.Histogram, samples, "Latency of HTTP requests.", om ? "seconds" : null));
        }

        // Summaries and small gauges.
        var gc = new List<MetricSample>();
        foreach (var q in new[] { "0", "0.25", "0.5", "0.75", "1" })
        {
            gc.Add(new MetricSample(Labels.Of("__name__", "go_gc_duration_seconds", "quantile", q), 4.9351e-05));
        }
        gc.Add(new MetricSample(Labels.Of("__name__", "go_gc_duration_seconds_sum"), 0.004304266));
        gc.Add(new MetricSample(Labels.Of("__name__", "go_gc_duration_seconds_count"), 99));
        families.Add(new MetricFamily("go_gc_duration_seconds", MetricType.Summary, gc, "A summary of the GC invocation durations."));
        for (var i = 0; i < 300; i++)
        {
            families.Add(new MetricFamily($"node_misc_{i}", MetricType.Gauge, [new MetricSample(Labels.Of("__name__", $"node_misc_{i}"), i * 1.5)], "Miscellaneous gauge."));
        }
        return families;
    }
}
