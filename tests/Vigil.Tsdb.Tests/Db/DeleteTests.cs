using Vigil.Model;
using Vigil.Storage;
using Vigil.Testing;
using Vigil.Tsdb.Tests.Head;

namespace Vigil.Tsdb.Tests.Db;

public sealed class DeleteTests
{
    private const long Range = 60_000;
    private static readonly Labels s_a = Labels.Of("__name__", "m", "i", "a");
    private static readonly Labels s_b = Labels.Of("__name__", "m", "i", "b");
    private static readonly LabelMatcher[] s_onlyA = [LabelMatcher.Create(LabelMatchType.Equal, "i", "a")];

    private static TsdbOptions Options() => new() { Head = new HeadOptions { ChunkRangeMs = Range }, RetentionTime = TimeSpan.Zero, MergeBlocks = false };

    private static void Fill(TimeSeriesDb db, long from, long to)
    {
        var a = SeriesRef.None;
        var b = SeriesRef.None;
        for (var t = from; t < to; t += 1000)
        {
            var app = db.Appender();
            app.Append(ref a, s_a, t, t);
            app.Append(ref b, s_b, t, t);
            app.Commit();
        }
    }

    private static long[] Times(TimeSeriesDb db, Labels series) => [.. HeadTests.ReadAll(db)[series].Select(s => s.TimestampMs)];

    [Fact]
    public void Deleted_samples_vanish_from_blocks_and_head_and_stay_gone_after_reopen_and_compaction()
    {
        using var dir = new TempDirectory();
        var expected = Enumerable.Range(0, 300).Select(i => i * 1000L).Where(t => t < 30_000 || t > 200_000).ToArray();
        using (var db = TimeSeriesDb.Open(dir.Path, Options()))
        {
            Fill(db, 0, 3 * Range);
            db.Compact(); // [0,1m) and [1m,2m) in blocks; head from 2m
            Fill(db, 3 * Range, 5 * Range);

            // Spans a block boundary and reaches into the head.
            var affected = db.Delete(30_000, 200_000, s_onlyA);

            Assert.Equal(1, affected);
            Assert.Equal(expected, Times(db, s_a));
            Assert.Equal(300, Times(db, s_b).Length); // other series untouched
        }
        using (var db = TimeSeriesDb.Open(dir.Path, Options()))
        {
            Assert.Equal(expected, Times(db, s_a)); // block tombstones file + WAL tombstones record
            db.Compact(); // head ranges with deletions are re-encoded without them
            Assert.Equal(expected, Times(db, s_a));
        }
        using (var db = TimeSeriesDb.Open(dir.Path, Options()))
        {
            Assert.Equal(expected, Times(db, s_a));
            Assert.Equal(300, Times(db, s_b).Length);
        }
    }

    [Fact]
    public async Task Promtool_dump_honours_Vigil_block_tombstones()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        using var dir = new TempDirectory();
        using (var db = TimeSeriesDb.Open(dir.Path, Options()))
        {
            Fill(db, 0, 3 * Range);
            db.Compact();
            db.Delete(0, 9_000, s_onlyA);
        }
        var dump = await ExternalTool.RunAsync(promtool, ["tsdb", "dump", dir.Path]);
        Assert.True(dump.ExitCode == 0, dump.Output);
        var aLines = dump.StandardOutput.Split('\n').Where(l => l.Contains("i=\"a\"", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(aLines, l => l.EndsWith(" 0", StringComparison.Ordinal) || l.EndsWith(" 9000", StringComparison.Ordinal));
        Assert.Contains(aLines, l => l.EndsWith(" 10000", StringComparison.Ordinal));
    }

    [Fact]
    public void A_delete_needs_a_selective_matcher()
    {
        using var dir = new TempDirectory();
        using var db = TimeSeriesDb.Open(dir.Path, Options());
        Assert.Throws<ArgumentException>(() => db.Delete(0, 1, []));
        Assert.Throws<ArgumentException>(() => db.Delete(0, 1, [LabelMatcher.Create(LabelMatchType.Regex, "i", ".*")]));
    }
}
