using System.Globalization;
using System.Text;
using Vigil.Model;
using Vigil.Model.Exposition;

namespace Vigil.Cli.Tests.Commands;

/// <summary>
/// A generated OpenMetrics file with known contents: several metrics and label sets (one value needing
/// every escape), irregular scrape intervals, special values, ~7 hours starting off a 2h boundary.
/// </summary>
internal sealed class TsdbTestData
{
    public const long TwoHours = 2 * 3600 * 1000;

    // 2023-11-14T22:13:20Z: not on a 2h boundary, so the first and last blocks are partial.
    public const long Start = 1_700_000_000_000;

    private TsdbTestData(Dictionary<Labels, List<Sample>> series, string text)
    {
        Series = series;
        Text = text;
    }

    public Dictionary<Labels, List<Sample>> Series { get; }

    public string Text { get; }

    public long SampleCount => Series.Values.Sum(s => (long)s.Count);

    public static TsdbTestData Generate(int seed = 42)
    {
        var random = new Random(seed);
        var series = new Dictionary<Labels, List<Sample>>();
        var sets = new List<Labels>();
        foreach (var instance in new[] { "a:9100", "b:9100", "c:9100" })
        {
            sets.Add(Labels.Of("__name__", "node_cpu_seconds_total", "instance", instance, "job", "node", "mode", "idle"));
            sets.Add(Labels.Of("__name__", "node_cpu_seconds_total", "instance", instance, "job", "node", "mode", "user"));
            sets.Add(Labels.Of("__name__", "up", "instance", instance, "job", "node"));
        }
        sets.Add(Labels.Of("__name__", "odd_values", "path", "C:\\dir \"quoted\"\nnext"));
        sets.Add(Labels.Of("__name__", "up", "instance", "p:9090", "job", "prometheus"));

        var sb = new StringBuilder();
        foreach (var family in sets.GroupBy(l => l.MetricName))
        {
            var name = family.Key.EndsWith("_total", StringComparison.Ordinal) ? family.Key[..^6] : family.Key;
            sb.Append("# TYPE ").Append(name).Append(family.Key.EndsWith("_total", StringComparison.Ordinal) ? " counter\n" : " gauge\n");
            foreach (var labels in family)
            {
                var samples = new List<Sample>();
                var step = labels.MetricName == "up" ? 15_000 : 30_000;
                var t = Start + random.Next(0, 5000);
                var end = Start + (7 * 3600 * 1000) + random.Next(0, 60_000);
                var value = 0.0;
                var i = 0;
                while (t < end)
                {
                    value = labels.MetricName switch
                    {
                        "up" => random.Next(0, 10) == 0 ? 0 : 1,
                        "odd_values" => (i % 9) switch
                        {
                            0 => double.NaN,
                            1 => double.PositiveInfinity,
                            2 => double.NegativeInfinity,
                            3 => -0.000012345,
                            4 => 1e21,
                            5 => 123456789.125,
                            6 => 0.1,
                            7 => double.Epsilon,
                            _ => -42,
                        },
                        _ => value + Math.Round(random.NextDouble() * 10, 3),
                    };
                    samples.Add(new Sample(t, value));
                    sb.Append(SeriesText(labels)).Append(' ').Append(GoFloat.Format(value)).Append(' ')
                      .Append((t / 1000).ToString(CultureInfo.InvariantCulture)).Append('.')
                      .Append((t % 1000).ToString("D3", CultureInfo.InvariantCulture)).Append('\n');
                    t += step + random.Next(-500, 500);
                    i++;
                }
                series.Add(labels, samples);
            }
        }
        sb.Append("# EOF\n");
        return new TsdbTestData(series, sb.ToString());
    }

    /// <summary>What <c>promtool tsdb dump</c> prints for these samples, sorted.</summary>
    public List<string> DumpLines(Func<Labels, bool>? where = null, long minTime = long.MinValue, long maxTime = long.MaxValue)
    {
        var lines = new List<string>();
        foreach (var (labels, samples) in Series)
        {
            if (where is not null && !where(labels))
            {
                continue;
            }
            foreach (var s in samples.Where(s => s.TimestampMs >= minTime && s.TimestampMs <= maxTime))
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{labels} {GoFloat.Format(s.Value)} {s.TimestampMs}"));
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    public static List<string> SortedLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static string SeriesText(Labels labels)
    {
        var sb = new StringBuilder(labels.MetricName).Append('{');
        var first = true;
        foreach (var l in labels)
        {
            if (l.Name == Label.MetricName)
            {
                continue;
            }
            sb.Append(first ? "" : ",").Append(l.Name).Append("=\"")
              .Append(l.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal))
              .Append('"');
            first = false;
        }
        return sb.Append('}').ToString();
    }
}
