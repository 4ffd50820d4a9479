using Vigil.Model;
using Vigil.Storage;
using Vigil.Testing;
using Vigil.Tsdb.Blocks;
using Vigil.Tsdb.Tests.Head;

namespace Vigil.Tsdb.Tests.Db;

public sealed class CompactionRetentionTests
{
    private const long Range = 60_000; // one-minute blocks keep the tests small
    private static readonly Labels s_a = Labels.Of("__name__", "m", "i", "a");
    private static readonly Labels s_b = Labels.Of("__name__", "m", "i", "b");

    private static TsdbOptions Options(TimeSpan? retention = null, long size = 0, bool merge = false) => new()
    {
        MergeBlocks = merge,
        Head = new HeadOptions { ChunkRangeMs = Range },
        RetentionTime = retention ?? TimeSpan.Zero,
        RetentionSizeBytes = size,
        WalSegmentSize = 64 * 1024,
    };

    private static void Fill(TimeSeriesDb db, long from, long to, long step = 1000)
    {
        var a = SeriesRef.None;
        var b = SeriesRef.None;
        for (var t = from; t < to; t += step)
        {
            var app = db.Appender();
            Assert.Equal(AppendStatus.Ok, app.Append(ref a, s_a, t, t));
            Assert.Equal(AppendStatus.Ok, app.Append(ref b, s_b, t, -t));
            app.Commit();
        }
    }

    [Fact]
    public void Compaction_cuts_blocks_from_the_head_and_queries_see_everything_once()
    {
        using var dir = new TempDirectory();
        using var db = TimeSeriesDb.Open(dir.Path, Options());
        Fill(db, 0, 5 * Range);

        var written = db.Compact();

        // Ranges go to blocks while the head spans more than 1.5 ranges: [0,1m) .. [3m,4m); 4m..5m stay.
        Assert.Equal([0L, Range, 2 * Range, 3 * Range], written.Select(b => b.MinTime));
        Assert.All(written, b => Assert.Equal(2UL, b.Stats.NumSeries));
        Assert.Equal(4 * Range, db.Head.MinTime);
        var all = HeadTests.ReadAll(db);
        Assert.Equal(300, all[s_a].Count);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => i * 1000L), all[s_a].Select(s => s.TimestampMs));
        Assert.Equal(-299_000, all[s_b][^1].Value);

        // Appends into a persisted range are out of bounds.
        var app = db.Appender();
        var r = SeriesRef.None;
        Assert.Equal(AppendStatus.OutOfBounds, app.Append(ref r, s_a, Range, 1));
        app.Rollback();
    }

    [Fact]
    public void Blocks_and_checkpointed_wal_reopen_to_the_same_data()
    {
        using var dir = new TempDirectory();
        using (var db = TimeSeriesDb.Open(dir.Path, Options()))
        {
            Fill(db, 0, 5 * Range);
            db.Compact();
            Fill(db, 5 * Range, 6 * Range);
        }
        Assert.Contains(Directory.EnumerateDirectories(Path.Combine(dir.Path, "wal")), d => Path.GetFileName(d).StartsWith("checkpoint.", StringComparison.Ordinal));
        using (var db = TimeSeriesDb.Open(dir.Path, Options()))
        {
            Assert.Equal(4, db.Blocks.Count);
            var all = HeadTests.ReadAll(db);
            Assert.Equal(Enumerable.Range(0, 360).Select(i => i * 1000L), all[s_a].Select(s => s.TimestampMs));
            Assert.Equal(Enumerable.Range(0, 360).Select(i => i * -1000.0), all[s_b].Select(s => s.Value));
            // Selection by matcher and clipping work across block and head.
            var only = HeadTests.ReadAll(db, 170_000, 190_000, LabelMatcher.Create(LabelMatchType.Equal, "i", "a"));
            Assert.Equal(Enumerable.Range(170, 21).Select(i => i * 1000L), Assert.Single(only).Value.Select(s => s.TimestampMs));
        }
    }

    [Fact]
    public void Complete_windows_of_blocks_merge_into_a_higher_level_block()
    {
        using var dir = new TempDirectory();
        Ulid[] sources;
        using (var db = TimeSeriesDb.Open(dir.Path, Options(merge: true)))
        {
            Fill(db, 0, 5 * Range);
            var written = db.Compact();

            // Level 1: [0,1m) [1m,2m) [2m,3m) [3m,4m); the head starts at 4m, so the window [0,3m) is complete.
            var merged = written[^1];
            Assert.Equal((0L, 3 * Range, 2), (merged.MinTime, merged.MaxTime, merged.Compaction.Level));
            Assert.Equal(3, merged.Compaction.Sources!.Count);
            Assert.Equal(3, merged.Compaction.Parents!.Count);
            Assert.Equal(2UL, merged.Stats.NumSeries);
            Assert.Equal(360UL, merged.Stats.NumSamples);
            Assert.Equal([(0L, 2), (3 * Range, 1)], db.Blocks.Select(b => (b.MinTime, b.Compaction.Level)));
            sources = [.. merged.Compaction.Sources!];
            Assert.Equal(Enumerable.Range(0, 300).Select(i => i * 1000L), HeadTests.ReadAll(db)[s_a].Select(s => s.TimestampMs));
        }
        // Only the merged and the newest level-1 block remain on disk.
        Assert.Equal(2, Directory.EnumerateDirectories(dir.Path).Count(d => Path.GetFileName(d).Length == 26));
        Assert.All(sources, u => Assert.False(Directory.Exists(Path.Combine(dir.Path, u.ToString()))));
        using var reopened = TimeSeriesDb.Open(dir.Path, Options(merge: true));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => i * -1000.0), HeadTests.ReadAll(reopened)[s_b].Select(s => s.Value));
    }

    [Fact]
    public void A_leftover_tmp_block_is_removed_on_open()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "01ARZ3NDEKTSV4RRFFQ69G5FAV.tmp"));
        using var db = TimeSeriesDb.Open(dir.Path, Options());
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "01ARZ3NDEKTSV4RRFFQ69G5FAV.tmp")));
    }

    [Fact]
    public void A_corrupt_block_stops_the_open_with_its_name()
    {
        using var dir = new TempDirectory();
        string block;
        using (var db = TimeSeriesDb.Open(dir.Path, Options()))
        {
            Fill(db, 0, 3 * Range);
            block = db.Compact()[0].Ulid.ToString();
        }
        var index = Path.Combine(dir.Path, block, "index");
        var bytes = File.ReadAllBytes(index);
        bytes[0] ^= 0xff; // bad magic
        File.WriteAllBytes(index, bytes);
        var e = Assert.ThrowsAny<Exception>(() => TimeSeriesDb.Open(dir.Path, Options()));
        Assert.Contains(block, e.Message);
        // The lock was released: after moving the block away, the store opens.
        Directory.Move(Path.Combine(dir.Path, block), Path.Combine(dir.Path, "..", block + "-quarantine"));
        using var reopened = TimeSeriesDb.Open(dir.Path, Options());
        Assert.NotNull(reopened);
    }

    [Fact]
    public void Retention_by_time_deletes_blocks_older_than_the_newest_minus_retention()
    {
        using var dir = new TempDirectory();
        using var db = TimeSeriesDb.Open(dir.Path, Options(retention: TimeSpan.FromMilliseconds(2 * Range)));
        Fill(db, 0, 6 * Range);
        db.Compact(); // blocks [0,1m) .. [4m,5m)
        Assert.Equal(5, db.Blocks.Count);

        var deleted = db.ApplyRetention();

        // Newest block ends at 5m; everything ending at or before 3m goes.
        Assert.Equal([0L, Range, 2 * Range], deleted.Select(b => b.MinTime));
        Assert.Equal((3L, 0L), db.RetentionDeletions);
        Assert.Equal(2, Directory.EnumerateDirectories(dir.Path).Count(d => Path.GetFileName(d).Length == 26));
        Assert.Equal(3 * Range, HeadTests.ReadAll(db)[s_a][0].TimestampMs);
    }

    [Fact]
    public void Retention_by_size_deletes_the_oldest_blocks_first()
    {
        using var dir = new TempDirectory();
        long oneBlock;
        using (var probe = TimeSeriesDb.Open(dir.File("probe"), Options()))
        {
            Fill(probe, 0, 3 * Range);
            var meta = probe.Compact()[0];
            oneBlock = Directory.EnumerateFiles(dir.File(Path.Combine("probe", meta.Ulid.ToString())), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        }
        using var db = TimeSeriesDb.Open(dir.File("db"), Options(size: (oneBlock * 2) + (oneBlock / 2)));
        Fill(db, 0, 6 * Range);
        db.Compact();
        var deleted = db.ApplyRetention();
        Assert.Equal([0L, Range, 2 * Range], deleted.Select(b => b.MinTime));
        Assert.Equal(2, db.Blocks.Count);
        Assert.Equal((0L, 3L), db.RetentionDeletions);
    }

    [Fact]
    public async Task Promtool_reads_the_blocks_Vigil_writes()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        using var dir = new TempDirectory();
        using (var db = TimeSeriesDb.Open(dir.Path, Options()))
        {
            Fill(db, 0, 3 * Range);
            db.Compact();
        }
        var list = await ExternalTool.RunAsync(promtool, ["tsdb", "list", dir.Path]);
        Assert.True(list.ExitCode == 0, list.Output);
        var rows = list.StandardOutput.Split('\n').Where(l => l.Split('\t', ' ').Any(c => c.Length == 26)).ToList();
        Assert.Equal(2, rows.Count); // [0,1m) and [1m,2m)
        Assert.All(rows, row => Assert.Contains("120", row)); // 60 samples × 2 series
    }
}

public sealed class SnapshotTests
{
    private const long Range = 60_000;
    private static readonly Labels s_a = Labels.Of("__name__", "m", "i", "a");

    [Fact]
    public void Snapshot_hard_links_blocks_and_writes_the_head_and_opens_as_a_store()
    {
        using var dir = new TempDirectory();
        var options = new TsdbOptions { Head = new HeadOptions { ChunkRangeMs = Range }, RetentionTime = TimeSpan.Zero, MergeBlocks = false };
        var snapshot = dir.File("snap");
        using (var db = TimeSeriesDb.Open(dir.File("db"), options))
        {
            var r = SeriesRef.None;
            for (long t = 0; t < 4 * Range; t += 1000)
            {
                var app = db.Appender();
                app.Append(ref r, s_a, t, t);
                app.Commit();
            }
            db.Compact();
            Assert.Equal(3, db.Blocks.Count);

            var blocks = db.Snapshot(snapshot);

            Assert.Equal(4, blocks.Count); // three blocks + the head
            var original = Path.Combine(dir.File("db"), db.Blocks[0].Ulid.ToString(), "index");
            var linked = Path.Combine(snapshot, db.Blocks[0].Ulid.ToString(), "index");
            Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(linked));
            Assert.Throws<IOException>(() => db.Snapshot(snapshot)); // never overwrites
        }
        using var restored = TimeSeriesDb.Open(snapshot, options);
        Assert.Equal(Enumerable.Range(0, 240).Select(i => i * 1000L), HeadTests.ReadAll(restored)[s_a].Select(s => s.TimestampMs));
    }
}
