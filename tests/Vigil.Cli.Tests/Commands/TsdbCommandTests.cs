using System.Globalization;
using Vigil.Cli.Commands;
using Vigil.Model;
using Vigil.Storage;
using Vigil.Testing;
using Vigil.Tsdb;
using Vigil.Tsdb.Blocks;
using Vigil.Tsdb.Chunks;

namespace Vigil.Cli.Tests.Commands;

/// <summary>
/// <c>vigil tsdb import|analyze|dump</c> on a generated file, checked against the generator, Vigil's own
/// block reader and the real <c>promtool tsdb list/dump</c> (2.42, which needs a <c>wal</c> dir to open).
/// </summary>
public sealed class TsdbCommandTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await VigilCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<(TsdbTestData Data, string Dir)> Import(TempDirectory temp, string blockDuration = "2h")
    {
        var data = TsdbTestData.Generate();
        var file = temp.File("in.om");
        await File.WriteAllTextAsync(file, data.Text);
        var dir = temp.File("data");
        var (code, output, error) = await Run("tsdb", "import", "openmetrics", file, dir, "--block-duration", blockDuration);
        Assert.True(code == 0, error);
        Assert.Matches(@"^(wrote block [0-9A-Z]{26} \(\d+–\d+, \d+ series, \d+ samples\)\n)+$", output);
        Directory.CreateDirectory(Path.Combine(dir, "wal"));
        return (data, dir);
    }

    private static string[] BlockDirs(string dir)
        => [.. Directory.GetDirectories(dir).Where(d => Ulid.TryParse(Path.GetFileName(d), out _)).Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("2h")]
    [InlineData("30m")]
    public async Task Import_writes_every_sample_into_aligned_blocks_with_small_chunks(string blockDuration)
    {
        using var temp = new TempDirectory();
        var (data, dir) = await Import(temp, blockDuration);
        var durationMs = (long)PromDuration.Parse(blockDuration).TotalMilliseconds;

        var read = new Dictionary<Labels, List<Sample>>();
        var blocks = BlockDirs(dir);
        Assert.Equal((int)(((data.Series.Values.Max(s => s[^1].TimestampMs) / durationMs) - (TsdbTestData.Start / durationMs)) + 1), blocks.Length);
        foreach (var blockDir in blocks)
        {
            using var block = BlockReader.Open(blockDir);
            var window = TsdbImporter.AlignDown(block.Meta.MinTime, durationMs);
            Assert.True(block.Meta.MaxTime <= window + durationMs, $"block {block.Meta.Ulid} crosses a {blockDuration} boundary");

            // A chunk holds at most 120 samples: the block has exactly ceil(n/120) chunks per series.
            var expectedChunks = 0UL;
            using var querier = block.Querier(long.MinValue, long.MaxValue);
            var set = querier.Select(true, []);
            while (set.Next())
            {
                var series = set.At();
                var it = series.Iterator();
                var samples = read.TryGetValue(series.Labels, out var list) ? list : read[series.Labels] = [];
                var n = 0;
                while (it.Next())
                {
                    samples.Add(it.At());
                    n++;
                }
                Assert.Null(it.Error);
                expectedChunks += (ulong)((n + XorChunk.TargetSamplesPerChunk - 1) / XorChunk.TargetSamplesPerChunk);
            }
            Assert.Null(set.Error);
            Assert.Equal(expectedChunks, block.Meta.Stats.NumChunks);
        }

        Assert.Equal(data.Series.Count, read.Count);
        foreach (var (labels, expected) in data.Series)
        {
            var actual = read[labels];
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].TimestampMs, actual[i].TimestampMs);
                if (double.IsNaN(expected[i].Value))
                {
                    Assert.True(double.IsNaN(actual[i].Value));
                }
                else
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i].Value), BitConverter.DoubleToInt64Bits(actual[i].Value));
                }
            }
        }
    }

    [Fact]
    public async Task Promtool_lists_and_dumps_the_imported_blocks()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        using var temp = new TempDirectory();
        var (data, dir) = await Import(temp);

        var list = await ExternalTool.RunAsync(promtool, ["tsdb", "list", dir]);
        Assert.True(list.ExitCode == 0, list.Output);
        var rows = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(BlockDirs(dir).Select(Path.GetFileName), rows.Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.Equal(data.SampleCount, rows.Sum(r => long.Parse(r[4], CultureInfo.InvariantCulture)));
        foreach (var r in rows)
        {
            var (mint, maxt) = (long.Parse(r[1], CultureInfo.InvariantCulture), long.Parse(r[2], CultureInfo.InvariantCulture));
            var series = data.Series.Values.Count(s => s.Exists(x => x.TimestampMs >= mint && x.TimestampMs < maxt));
            Assert.Equal(series, int.Parse(r[6], CultureInfo.InvariantCulture));
        }

        var dump = await ExternalTool.RunAsync(promtool, ["tsdb", "dump", dir]);
        Assert.True(dump.ExitCode == 0, dump.Output);
        Assert.Equal(data.DumpLines(), TsdbTestData.SortedLines(dump.StandardOutput));
    }

    [Fact]
    public async Task Dump_prints_what_promtool_dump_prints()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        using var temp = new TempDirectory();
        var (data, dir) = await Import(temp);
        var promtoolDump = await ExternalTool.RunAsync(promtool, ["tsdb", "dump", dir]);
        Assert.True(promtoolDump.ExitCode == 0, promtoolDump.Output);

        var (code, output, error) = await Run("tsdb", "dump", dir);

        Assert.True(code == 0, error);
        Assert.Equal(TsdbTestData.SortedLines(promtoolDump.StandardOutput), TsdbTestData.SortedLines(output));
        Assert.Equal(data.SampleCount, TsdbTestData.SortedLines(output).Count);
    }

    [Fact]
    public async Task Dump_filters_by_selectors_and_time()
    {
        using var temp = new TempDirectory();
        var (data, dir) = await Import(temp);
        var mint = TsdbTestData.Start + 3_000_000;
        var maxt = TsdbTestData.Start + 9_000_000;

        var (code, output, error) = await Run("tsdb", "dump", dir,
            "--match", "up{job=\"node\",instance=~\"a.*|c.*\"}", "--match", "{__name__=~\"odd_.*\"}", "--match", "up{instance=\"a:9100\"}",
            "--min-time", mint.ToString(CultureInfo.InvariantCulture), "--max-time", maxt.ToString(CultureInfo.InvariantCulture));

        Assert.True(code == 0, error);
        var expected = data.DumpLines(
            l => (l.MetricName == "up" && l.Get("job") == "node" && l.Get("instance") is "a:9100" or "c:9100") || l.MetricName == "odd_values",
            mint, maxt);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, TsdbTestData.SortedLines(output));
    }

    [Fact]
    public async Task Dump_and_analyze_include_the_head()
    {
        using var temp = new TempDirectory();
        var (data, dir) = await Import(temp);
        var t = data.Series.Values.Max(s => s[^1].TimestampMs) + 60_000;
        var labels = Labels.Of("__name__", "head_only", "job", "x");
        using (var db = TimeSeriesDb.Open(dir))
        {
            var appender = db.Appender();
            var series = default(SeriesRef);
            appender.Append(ref series, labels, t, 1.5);
            appender.Append(ref series, labels, t + 15_000, 2.5);
            appender.Commit();
        }

        var (code, output, error) = await Run("tsdb", "dump", dir, "--match", "head_only");
        Assert.True(code == 0, error);
        Assert.Equal([$"{labels} 1.5 {t}", $"{labels} 2.5 {t + 15_000}"], TsdbTestData.SortedLines(output));

        (code, output, error) = await Run("tsdb", "analyze", dir);
        Assert.True(code == 0, error);
        Assert.Matches($@"\nhead\s+{t}\s+{t + 15_001}\s+1\s+2\n", output);
        Assert.Contains($"Total series: {data.Series.Count + 1}\n", output);
    }

    [Fact]
    public async Task Analyze_reports_blocks_and_cardinality()
    {
        using var temp = new TempDirectory();
        var (data, dir) = await Import(temp);

        var (code, output, error) = await Run("tsdb", "analyze", dir, "--limit", "2");

        Assert.True(code == 0, error);
        foreach (var blockDir in BlockDirs(dir))
        {
            var meta = BlockMeta.Read(blockDir);
            Assert.Matches($@"\n{meta.Ulid}\s+{meta.MinTime}\s+{meta.MaxTime}\s+{meta.Stats.NumSeries}\s+{meta.Stats.NumSamples}\n", output);
        }
        // 11 series: 6 node_cpu_seconds_total, 4 up, 1 odd_values; label names __name__, instance, job, mode, path.
        Assert.Equal(11, data.Series.Count);
        Assert.Contains("Total series: 11\n", output);
        Assert.Contains("Label names: 5\n", output);
        Assert.Contains("Highest cardinality labels:\n4 instance\n3 __name__\n\n", output);
        Assert.Contains("Highest cardinality metric names:\n6 node_cpu_seconds_total\n4 up\n\n", output);
        Assert.Contains("Most common label pairs:\n9 job=node\n6 __name__=node_cpu_seconds_total\n", output);
        Assert.EndsWith("\n", output);
    }

    [Fact]
    public async Task Malformed_input_fails_naming_line_and_column_and_writes_no_block()
    {
        using var temp = new TempDirectory();
        var file = temp.File("bad.om");
        await File.WriteAllTextAsync(file, "# TYPE up gauge\nup{job=\"a\"} 1 1700000000\nup{job=\"a\" 1 1700000015\n# EOF\n");
        var dir = temp.File("data");

        var result = await VigilProcess.RunAsync("tsdb", "import", "openmetrics", file, dir);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"vigil: error: {file}:3:11: ", result.StandardError);
        Assert.True(!Directory.Exists(dir) || Directory.GetFileSystemEntries(dir).Length == 0);
    }

    [Theory]
    [InlineData("up 1 20\nup 2 10\n# EOF\n", ":2: out-of-order sample for series {__name__=\"up\"}")]
    [InlineData("up 1 20\nup{} 2 20\n# EOF\n", ":2: duplicate sample for series {__name__=\"up\"}")]
    [InlineData("# TYPE up gauge\nup 1\n# EOF\n", ":2: expected timestamp for series {__name__=\"up\"}, got none")]
    [InlineData("up 1 20\n", ":2:1: ")]
    public async Task Unusable_samples_fail_naming_the_line(string text, string expected)
    {
        using var temp = new TempDirectory();
        var file = temp.File("in.om");
        await File.WriteAllTextAsync(file, text);
        var dir = temp.File("data");

        var (code, _, error) = await Run("tsdb", "import", "openmetrics", file, dir);

        Assert.Equal(1, code);
        Assert.StartsWith($"vigil: error: {file}", error);
        Assert.Contains(expected, error);
        Assert.False(Directory.Exists(dir));
    }

    [Theory]
    [InlineData("--block-duration=2", "--block-duration: ")]
    [InlineData("--block-duration=0s", "--block-duration: must be positive")]
    public async Task Bad_block_duration_is_rejected(string flag, string expected)
    {
        using var temp = new TempDirectory();
        var (code, _, error) = await Run("tsdb", "import", "openmetrics", temp.File("missing.om"), temp.File("data"), flag);
        Assert.Equal(1, code);
        Assert.Contains("vigil: error: " + expected, error);
    }

    [Fact]
    public async Task Bad_selector_is_an_error_with_its_column()
    {
        using var temp = new TempDirectory();
        var (code, _, error) = await Run("tsdb", "dump", temp.File("data"), "--match", "up{job=}");
        Assert.Equal(1, code);
        Assert.Contains("vigil: error: --match \"up{job=}\": column 8: unexpected '}', expected quoted label value", error);
    }

    [Theory]
    [InlineData("tsdb")]
    [InlineData("tsdb import")]
    [InlineData("tsdb import openmetrics")]
    [InlineData("tsdb analyze")]
    [InlineData("tsdb dump")]
    public async Task Every_tsdb_command_has_help(string command)
    {
        var (code, output, _) = await Run([.. command.Split(' '), "--help"]);
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output);
        Assert.Contains(command.Split(' ')[^1], output);
    }
}
