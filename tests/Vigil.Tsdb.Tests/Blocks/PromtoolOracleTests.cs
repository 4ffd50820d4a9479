using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Vigil.Model;
using Vigil.Testing;
using Vigil.Tsdb.Blocks;
using static Vigil.Tsdb.Tests.Blocks.BlockTestData;

namespace Vigil.Tsdb.Tests.Blocks;

/// <summary>
/// Blocks checked against the real Prometheus 2.42 tooling, both ways: promtool reads what Vigil writes
/// (list, analyze, analyze --extended, dump), Vigil reads what promtool writes (create-blocks-from
/// openmetrics), and re-writing promtool's blocks with Vigil gives the same bytes.
/// </summary>
[Collection(PromtoolBlocksCollection.Name)]
public sealed partial class PromtoolOracleTests(PromtoolFixture promtool)
{
    private static readonly double[] s_values = [0, 1, -1, 0.5, 1.25, -273.15, 1e-9, 123456789.125, 42, 3.0e15, double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    /// <summary>Series with several chunks of real XOR bytes: 120-sample chunks as the head cuts them.</summary>
    private static List<(Labels Labels, List<(long T, double V)> Samples)> VigilData()
    {
        var data = new List<(Labels, List<(long, double)>)>();
        var random = new Random(2024);
        string[] jobs = ["api", "web", "db"];
        foreach (var job in jobs)
        {
            foreach (var code in new[] { "200", "500" })
            {
                var labels = Labels.Of("__name__", "http_requests_total", "job", job, "code", code, "path", "/ä/\"q\"");
                var samples = new List<(long, double)>();
                var t = 1_700_000_000_000L + random.Next(0, 15_000);
                var count = random.Next(1, 400);
                for (var i = 0; i < count; i++)
                {
                    samples.Add((t, i % 7 == 0 ? s_values[random.Next(s_values.Length)] : Math.Round(random.NextDouble() * 1000, 3)));
                    t += 15_000 + random.Next(-200, 200);
                }
                data.Add((labels, samples));
            }
            data.Add((Labels.Of("__name__", "up", "job", job), [(1_700_000_000_000, 1)]));
        }
        data.Sort((a, b) => Utf8Order.Compare(a.Item1, b.Item1));
        return data;
    }

    private static List<ChunkedSeries> ToChunkedSeries(List<(Labels Labels, List<(long T, double V)> Samples)> data)
        => data.Select(d => new ChunkedSeries(d.Labels, d.Samples.Chunk(120).Select(c => Chunk(c)).ToList())).ToList();

    [Fact]
    public async Task Promtool_lists_analyzes_and_dumps_a_Vigil_block()
    {
        using var tmp = new TempDirectory("vigil-block-oracle");
        var data = VigilData();
        var meta = Writer().Write(tmp.Path, ToChunkedSeries(data));
        var ulid = meta.Ulid.ToString();
        var totalSamples = data.Sum(d => d.Samples.Count);
        var totalChunks = data.Sum(d => (d.Samples.Count + 119) / 120);

        // promtool tsdb list -r DIR: reads meta.json.
        var list = await promtool.RunAsync("tsdb", "list", "-r", tmp.Path);
        var row = Regex.Match(list.StandardOutput, "^" + ulid + @"\s.*\s(\d+)\s+(\d+)\s+(\d+)\s+\S+\s*$", RegexOptions.Multiline);
        Assert.True(row.Success, list.Output);
        Assert.Equal(totalSamples.ToString(CultureInfo.InvariantCulture), row.Groups[1].Value);
        Assert.Equal(totalChunks.ToString(CultureInfo.InvariantCulture), row.Groups[2].Value);
        Assert.Equal(data.Count.ToString(CultureInfo.InvariantCulture), row.Groups[3].Value);

        // promtool tsdb analyze DIR ULID: reads the index (symbols, postings, series).
        var analyze = await promtool.RunAsync("tsdb", "analyze", tmp.Path, ulid);
        Assert.Contains("Block ID: " + ulid, analyze.StandardOutput);
        Assert.Contains($"Series: {data.Count}\n", analyze.StandardOutput);
        var pairs = data.SelectMany(d => d.Labels).Distinct().Count();
        Assert.Contains($"Label names: 4\n", analyze.StandardOutput);
        Assert.Contains($"Postings (unique label pairs): {pairs}\n", analyze.StandardOutput);
        Assert.Contains($"Postings entries (total label pairs): {data.Sum(d => d.Labels.Count)}\n", analyze.StandardOutput);
        Assert.Contains("6 __name__=http_requests_total\n", analyze.StandardOutput);

        // --extended decodes every chunk.
        var extended = await promtool.RunAsync("tsdb", "analyze", "--extended", tmp.Path, ulid);
        Assert.Contains("Compaction analysis:", extended.StandardOutput);
        Assert.Equal("", analyze.StandardError + extended.StandardError);

        // promtool tsdb dump DIR: every sample through Prometheus's querier. 2.42 needs a wal/ directory to exist.
        Directory.CreateDirectory(Path.Combine(tmp.Path, "wal"));
        var dump = await promtool.RunAsync("tsdb", "dump", tmp.Path);
        Assert.Equal("", dump.StandardError);
        var dumped = ParseDump(dump.StandardOutput);
        Assert.Equal(data.Count, dumped.Count);
        foreach (var (labels, samples) in data)
        {
            Assert.True(dumped.TryGetValue(labels.ToString(), out var got), $"{labels} missing from dump");
            AssertSameSamples(samples, got);
        }
    }

    [Fact]
    public async Task Vigil_reads_every_sample_of_blocks_promtool_created_from_OpenMetrics()
    {
        using var tmp = new TempDirectory("vigil-block-oracle");
        var (text, expected) = OpenMetricsData();
        var input = tmp.File("input.om");
        await File.WriteAllTextAsync(input, text);
        var outDir = tmp.File("blocks");
        await promtool.RunAsync("tsdb", "create-blocks-from", "openmetrics", input, outDir);

        var blocks = Directory.GetDirectories(outDir).Where(d => Ulid.TryParse(Path.GetFileName(d), out _)).Order(StringComparer.Ordinal).ToList();
        Assert.True(blocks.Count >= 3, $"expected several 2h blocks, got {blocks.Count}");
        var read = new Dictionary<string, List<(long T, double V)>>();
        foreach (var dir in blocks)
        {
            using var block = BlockReader.Open(dir);
            Assert.Equal((int)block.Meta.Stats.NumSeries, block.Index.Verify());
            foreach (var (labels, samples) in ReadAll(block.Querier(long.MinValue, long.MaxValue)))
            {
                Assert.All(samples, s => Assert.InRange(s.TimestampMs, block.Meta.MinTime, block.Meta.MaxTime - 1));
                if (!read.TryGetValue(labels.ToString(), out var list))
                {
                    read[labels.ToString()] = list = [];
                }
                list.AddRange(samples.Select(s => (s.TimestampMs, s.Value)));
            }
        }
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), read.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, samples) in expected)
        {
            AssertSameSamples(samples, read[key]);
        }
    }

    [Fact]
    public async Task Rewriting_promtool_blocks_with_Vigil_gives_the_same_bytes()
    {
        using var tmp = new TempDirectory("vigil-block-oracle");
        var (text, _) = OpenMetricsData();
        var input = tmp.File("input.om");
        await File.WriteAllTextAsync(input, text);
        var outDir = tmp.File("blocks");
        await promtool.RunAsync("tsdb", "create-blocks-from", "openmetrics", input, outDir);
        var mine = tmp.File("vigil");
        Directory.CreateDirectory(mine);

        var seed = 0;
        foreach (var dir in Directory.GetDirectories(outDir))
        {
            using var block = BlockReader.Open(dir);
            var series = new List<ChunkedSeries>();
            foreach (var r in block.Index.AllPostings())
            {
                var s = block.Index.Series(r);
                series.Add(new ChunkedSeries(s.Labels, s.Chunks.Select(c =>
                {
                    var chunk = block.Chunks.Read(c.Ref);
                    return new EncodedChunk(c.MinTime, c.MaxTime, chunk.Encoding, chunk.Data.ToArray());
                }).ToList()));
            }
            var meta = Writer(seed: ++seed).Write(mine, series, new BlockWriteOptions { MinTime = block.Meta.MinTime, MaxTime = block.Meta.MaxTime });
            var rewritten = Path.Combine(mine, meta.Ulid.ToString());

            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "index")), File.ReadAllBytes(Path.Combine(rewritten, "index")));
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "tombstones")), File.ReadAllBytes(Path.Combine(rewritten, "tombstones")));
            Assert.Equal(Directory.GetFiles(Path.Combine(dir, "chunks")).Length, Directory.GetFiles(Path.Combine(rewritten, "chunks")).Length);
            foreach (var segment in Directory.GetFiles(Path.Combine(dir, "chunks")))
            {
                Assert.Equal(File.ReadAllBytes(segment), File.ReadAllBytes(Path.Combine(rewritten, "chunks", Path.GetFileName(segment))));
            }
            var theirs = File.ReadAllText(Path.Combine(dir, "meta.json")).Replace(Path.GetFileName(dir), "ULID", StringComparison.Ordinal);
            var ours = File.ReadAllText(Path.Combine(rewritten, "meta.json")).Replace(meta.Ulid.ToString(), "ULID", StringComparison.Ordinal);
            Assert.Equal(theirs, ours);
        }
    }

    /// <summary>An OpenMetrics exposition spanning ~5 hours (so several 2h blocks) and what it holds, keyed by <see cref="Labels.ToString"/>.</summary>
    private static (string Text, Dictionary<string, List<(long T, double V)>> Expected) OpenMetricsData()
    {
        var random = new Random(7);
        var sb = new StringBuilder();
        var expected = new Dictionary<string, List<(long, double)>>();
        var start = 1_700_000_000_000L; // 2023-11-14T22:13:20Z
        string[] instances = ["a:9100", "b:9100", "c:9100", "ünïcode", "q\"uo\\te", "new\nline"];
        foreach (var family in new[] { "node_load1", "node_cpu_seconds_total", "vigil_odd_values" })
        {
            var counter = family.EndsWith("_total", StringComparison.Ordinal);
            var name = counter ? family[..^"_total".Length] : family;
            sb.Append("# TYPE ").Append(name).Append(counter ? " counter\n" : " gauge\n");
            foreach (var instance in instances)
            {
                var labels = Labels.Of("__name__", family, "instance", instance, "job", "node");
                var samples = new List<(long, double)>();
                var t = start + random.Next(0, 60_000);
                var value = 0.0;
                var end = start + (5 * 3_600_000);
                while (t < end)
                {
                    value = family switch
                    {
                        "node_cpu_seconds_total" => value + Math.Round(random.NextDouble() * 10, 2),
                        "vigil_odd_values" => s_values[random.Next(s_values.Length)],
                        _ => Math.Round(random.NextDouble() * 4, 2),
                    };
                    samples.Add((t, value));
                    sb.Append(family).Append("{instance=\"").Append(Escape(instance)).Append("\",job=\"node\"} ")
                      .Append(FormatValue(value)).Append(' ')
                      .Append((t / 1000).ToString(CultureInfo.InvariantCulture)).Append('.').Append((t % 1000).ToString("D3", CultureInfo.InvariantCulture)).Append('\n');
                    t += random.Next(10_000, 120_000);
                }
                expected[labels.ToString()] = samples;
            }
        }
        sb.Append("# EOF\n");
        return (sb.ToString(), expected);

        static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    private static string FormatValue(double v) => v switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(v) => "NaN",
        _ => v.ToString("R", CultureInfo.InvariantCulture),
    };

    private static double ParseValue(string s) => s switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>promtool dump lines: <c>{labels} value timestamp</c>, value in Go's %g.</summary>
    private static Dictionary<string, List<(long T, double V)>> ParseDump(string output)
    {
        var result = new Dictionary<string, List<(long, double)>>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var m = DumpLine().Match(line);
            Assert.True(m.Success, $"unexpected dump line: {line}");
            if (!result.TryGetValue(m.Groups[1].Value, out var list))
            {
                result[m.Groups[1].Value] = list = [];
            }
            list.Add((long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), ParseValue(m.Groups[2].Value)));
        }
        return result;
    }

    private static void AssertSameSamples(List<(long T, double V)> expected, List<(long T, double V)> actual)
    {
        Assert.Equal(expected.Select(s => s.T), actual.Select(s => s.T));
        for (var i = 0; i < expected.Count; i++)
        {
            // Bit-exact except NaN, whose payload Prometheus's text parsers do not keep.
            Assert.True(double.IsNaN(expected[i].V) ? double.IsNaN(actual[i].V) : BitConverter.DoubleToInt64Bits(expected[i].V) == BitConverter.DoubleToInt64Bits(actual[i].V),
                $"sample {i} at {expected[i].T}: expected {expected[i].V:R}, got {actual[i].V:R}");
        }
    }

    [GeneratedRegex(@"^(\{.*\}) (\S+) (-?\d+)$")]
    private static partial Regex DumpLine();
}
