using System.Globalization;
using Vigil.Model.Exposition;

namespace Vigil.Model.Tests.Exposition;

/// <summary>node_exporter-like bodies: counters, gauges, histograms, summaries, escapes, timestamps, exemplars.</summary>
internal static class SampleBodies
{
    public static byte[] Generate(int approximateSeries, ExpositionFormat format) =>
        ExpositionSerializer.ToUtf8Bytes(Families(approximateSeries, format), format);

    public static List<MetricFamily> Families(int approximateSeries, ExpositionFormat format)
    {
        var om = format == ExpositionFormat.OpenMetrics;
        var families = new List<MetricFamily>();
        var count = 0;
        var round = 0;
        while (count < approximateSeries)
        {
            var r = "r" + round.ToString(CultureInfo.InvariantCulture) + "_";
            var cpu = new List<MetricSample>();
            for (var c = 0; c < 4; c++)
            {
                foreach (var mode in new[] { "idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user" })
                {
                    cpu.Add(new MetricSample(
                        Model.Labels.Of("__name__", $"{r}node_cpu_seconds_total", "cpu", c.ToString(CultureInfo.InvariantCulture), "mode", mode),
                        (c * 1000) + 12345.67 + mode.Length));
                }
            }
            families.Add(new MetricFamily(om ? $"{r}node_cpu_seconds" : $"{r}node_cpu_seconds_total", MetricType.Counter, cpu, "Seconds the CPUs spent in each mode.", om ? "seconds" : null));

            var fs = new List<MetricSample>();
            foreach (var (device, mount) in new[] { ("/dev/sda1", "/"), ("/dev/sda2", "/home"), ("tmpfs", "/run"), ("/dev/nvme0n1p1", "/boot/efi \"quoted\"\\path") })
            {
                fs.Add(new MetricSample(Model.Labels.Of("__name__", $"{r}node_filesystem_avail_bytes", "device", device, "fstype", "ext4", "mountpoint", mount), 1.23456789e10, 1700000000123 + round));
            }
            families.Add(new MetricFamily($"{r}node_filesystem_avail_bytes", MetricType.Gauge, fs, "Filesystem space available to non-root users in bytes.\nSecond line \\ backslash."));

            var hist = new List<MetricSample>();
            foreach (var handler in new[] { "/api/v1/query", "/api/v1/query_range", "/metrics" })
            {
                var cumulative = 0.0;
                foreach (var le in new[] { "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf" })
                {
                    cumulative += 3;
                    var exemplar = om && le == "0.1" ? new Exemplar(Model.Labels.Of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"), 0.067, 1700000000456) : null;
                    hist.Add(new MetricSample(Model.Labels.Of("__name__", $"{r}http_request_duration_seconds_bucket", "handler", handler, "method", "GET", "le", le), cumulative, null, exemplar));
                }
                hist.Add(new MetricSample(Model.Labels.Of("__name__", $"{r}http_request_duration_seconds_sum", "handler", handler, "method", "GET"), 17.25));
                hist.Add(new MetricSample(Model.Labels.Of("__name__", $"{r}http_request_duration_seconds_count", "handler", handler, "method", "GET"), cumulative));
            }
            families.Add(new MetricFamily($"{r}http_request_duration_seconds", MetricType.Histogram, hist, "Request latency.", om ? "seconds" : null));

            var summary = new List<MetricSample>();
            foreach (var q in new[] { "0", "0.25", "0.5", "0.75", "1" })
            {
                summary.Add(new MetricSample(Model.Labels.Of("__name__", $"{r}go_gc_duration_seconds", "quantile", q), 4.9351e-05 * (q.Length + 1)));
            }
            summary.Add(new MetricSample(Model.Labels.Of("__name__", $"{r}go_gc_duration_seconds_sum"), 0.004304266));
            summary.Add(new MetricSample(Model.Labels.Of("__name__", $"{r}go_gc_duration_seconds_count"), 99));
            families.Add(new MetricFamily($"{r}go_gc_duration_seconds", MetricType.Summary, summary, "A summary of the GC invocation durations."));

            var special = new List<MetricSample>
            {
                new(Model.Labels.Of("__name__", $"{r}node_special", "kind", "nan"), double.NaN),
                new(Model.Labels.Of("__name__", $"{r}node_special", "kind", "inf"), double.PositiveInfinity),
                new(Model.Labels.Of("__name__", $"{r}node_special", "kind", "neg"), -0.0),
                new(Model.Labels.Of("__name__", $"{r}node_special", "kind", "unicode", "text", "Heizölrückstoß 10€\nline"), 1e-300),
            };
            families.Add(new MetricFamily($"{r}node_special", MetricType.Unknown, special));

            count += cpu.Count + fs.Count + hist.Count + summary.Count + special.Count;
            round++;
        }
        return families;
    }
}
