using Vigil.Model;
using Vigil.Storage;
using Vigil.Testing;
using Vigil.Tsdb.Blocks;
using Vigil.Tsdb.IO;
using Vigil.Tsdb.Tests.Wal;
using static Vigil.Tsdb.Tests.Blocks.BlockTestData;

namespace Vigil.Tsdb.Tests.Blocks;

public sealed class BlockWriterReaderTests
{
    [Fact]
    public void A_written_block_reads_back_meta_labels_chunks_and_samples()
    {
        using var tmp = new TempDirectory();
        var series = FiveSeries();
        var meta = Writer().Write(tmp.Path, series);

        var dir = Path.Combine(tmp.Path, meta.Ulid.ToString());
        Assert.Equal(["chunks", "index", "meta.json", "tombstones"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([meta.Ulid.ToString()], Directory.GetFileSystemEntries(tmp.Path).Select(Path.GetFileName));
        Assert.Equal(1_700_000_000_000, meta.Ulid.TimestampMs);
        Assert.Equal(1_000, meta.MinTime);
        Assert.Equal(20_001, meta.MaxTime);
        Assert.Equal(100UL, meta.Stats.NumSamples);
        Assert.Equal(5UL, meta.Stats.NumSeries);
        Assert.Equal(10UL, meta.Stats.NumChunks);
        Assert.Equal([meta.Ulid], meta.Compaction.Sources);

        using var block = BlockReader.Open(dir);
        Assert.Equal(meta.ToJson(), block.Meta.ToJson());
        var refs = block.Index.AllPostings();
        Assert.Equal(5, refs.Length);
        for (var i = 0; i < refs.Length; i++)
        {
            var s = block.Index.Series(refs[i]);
            Assert.Equal(series[i].Labels, s.Labels);
            for (var c = 0; c < s.Chunks.Length; c++)
            {
                var chunk = block.Chunks.Read(s.Chunks[c].Ref);
                Assert.Equal(1, chunk.Encoding);
                Assert.Equal(series[i].Chunks[c].Data.ToArray(), chunk.Data.ToArray());
                Assert.Equal(series[i].Chunks[c].MinTime, s.Chunks[c].MinTime);
                Assert.Equal(series[i].Chunks[c].MaxTime, s.Chunks[c].MaxTime);
            }
        }

        using var querier = block.Querier(long.MinValue, long.MaxValue);
        var all = ReadAll(querier);
        Assert.Equal(series.Select(s => s.Labels), all.Select(s => s.Labels));
        Assert.All(all, s => Assert.Equal(20, s.Samples.Count));
        Assert.Equal(new Sample(1_000, 400), all.Single(s => s.Labels.Get("env") == "prod").Samples[0]);
    }

    [Fact]
    public void Querier_limits_to_its_time_range_and_selects_with_matchers()
    {
        using var tmp = new TempDirectory();
        var meta = Writer().Write(tmp.Path, FiveSeries());
        using var block = BlockReader.Open(Path.Combine(tmp.Path, meta.Ulid.ToString()));

        using var querier = block.Querier(5_000, 12_000);
        var api = ReadAll(querier, M("job", LabelMatchType.Equal, "api"));
        Assert.Equal(3, api.Count);
        Assert.All(api, s => Assert.Equal(Enumerable.Range(5, 8).Select(i => (long)i * 1_000), s.Samples.Select(x => x.TimestampMs)));

        Assert.Empty(ReadAll(block.Querier(30_000, 40_000)));
        Assert.Equal(3, ReadAll(querier, M("code", LabelMatchType.NotEqual, "200")).Count); // 500 and both up series
        Assert.Equal(["__name__", "code", "env", "job"], querier.LabelNames([]));
        Assert.Equal(["__name__", "job"], querier.LabelNames([M("__name__", LabelMatchType.Equal, "up"), M("env", LabelMatchType.Equal, "")]));
        Assert.Equal(["http_requests_total", "up"], querier.LabelValues("__name__", []));
        Assert.Equal(["api", "web"], querier.LabelValues("job", [M("__name__", LabelMatchType.Equal, "up")]));
    }

    [Fact]
    public void Seek_moves_forward_across_chunks_and_stays_when_already_there()
    {
        using var tmp = new TempDirectory();
        var meta = Writer().Write(tmp.Path, FiveSeries());
        using var block = BlockReader.Open(Path.Combine(tmp.Path, meta.Ulid.ToString()));
        using var querier = block.Querier(0, 100_000);
        var set = querier.Select(true, [M("env", LabelMatchType.Equal, "prod")]);
        Assert.True(set.Next());
        var it = set.At().Iterator();
        Assert.True(it.Seek(12_500));
        Assert.Equal(13_000, it.At().TimestampMs);
        Assert.True(it.Seek(5_000));
        Assert.Equal(13_000, it.At().TimestampMs);
        Assert.True(it.Next());
        Assert.Equal(14_000, it.At().TimestampMs);
        Assert.False(it.Seek(20_001));
        Assert.False(it.Next());
        Assert.Null(it.Error);
    }

    [Fact]
    public void Tombstoned_ranges_are_excluded_from_queries()
    {
        using var tmp = new TempDirectory();
        var meta = Writer().Write(tmp.Path, FiveSeries());
        var dir = Path.Combine(tmp.Path, meta.Ulid.ToString());
        ulong prod, api200;
        using (var b = BlockReader.Open(dir))
        {
            prod = b.Index.Postings("env", "prod").Single();
            api200 = b.Index.PostingsForMatchers([M("job", LabelMatchType.Equal, "api"), M("code", LabelMatchType.Equal, "200")]).Single();
        }
        var stones = new Tombstones();
        stones.Add(prod, new TimeInterval(0, 10_000));        // its whole first chunk
        stones.Add(prod, new TimeInterval(15_000, 16_000));   // part of the second
        stones.Add(api200, new TimeInterval(long.MinValue, long.MaxValue));
        stones.Write(dir);

        using var block = BlockReader.Open(dir);
        var all = ReadAll(block.Querier(long.MinValue, long.MaxValue));
        Assert.Equal(4, all.Count);
        Assert.DoesNotContain(all, s => s.Labels.Get("code") == "200" && s.Labels.Get("job") == "api");
        var prodSamples = all.Single(s => s.Labels.Get("env") == "prod").Samples.Select(s => s.TimestampMs);
        Assert.Equal(new long[] { 11_000, 12_000, 13_000, 14_000, 17_000, 18_000, 19_000, 20_000 }, prodSamples);
    }

    [Fact]
    public void Series_must_come_sorted_and_a_failed_write_leaves_nothing_behind()
    {
        using var tmp = new TempDirectory();
        var series = FiveSeries();
        series.Reverse();
        Assert.Throws<ArgumentException>(() => Writer().Write(tmp.Path, series));
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void A_failed_fsync_leaves_no_block_and_no_temporary_directory()
    {
        using var tmp = new TempDirectory();
        var faults = new FileFaults();
        var fs = new FaultInjectingFileSystem(PhysicalFileSystem.Instance, faults);
        var writer = new BlockWriter(new FixedTime(Now), new Random(1), fs);
        faults.FailNextSyncs(1);
        Assert.Throws<IOException>(() => writer.Write(tmp.Path, FiveSeries()));
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));

        var meta = writer.Write(tmp.Path, FiveSeries());
        Assert.Equal([meta.Ulid.ToString()], Directory.GetFileSystemEntries(tmp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Series_without_chunks_are_skipped_and_an_explicit_range_is_kept()
    {
        using var tmp = new TempDirectory();
        var series = new List<ChunkedSeries>
        {
            new(Labels.Of("a", "1"), [Chunk((7_200_000, 1))]),
            new(Labels.Of("a", "2"), []),
        };
        var meta = Writer().Write(tmp.Path, series, new BlockWriteOptions { MinTime = 7_200_000, MaxTime = 14_400_000, CompactionLevel = 2 });
        Assert.Equal(1UL, meta.Stats.NumSeries);
        Assert.Equal(14_400_000, meta.MaxTime);
        Assert.Equal(2, meta.Compaction.Level);
        Assert.Throws<ArgumentException>(() => Writer(seed: 2).Write(tmp.Path, series, new BlockWriteOptions { MaxTime = 7_200_000 }));
    }

    [Fact]
    public void Corrupt_chunks_and_series_surface_as_errors_of_the_iterator_and_set()
    {
        using var tmp = new TempDirectory();
        var meta = Writer().Write(tmp.Path, FiveSeries());
        var dir = Path.Combine(tmp.Path, meta.Ulid.ToString());
        var segment = Path.Combine(dir, "chunks", "000001");
        var bytes = File.ReadAllBytes(segment);
        bytes[20] ^= 0xFF; // inside the first chunk's data
        File.WriteAllBytes(segment, bytes);

        using (var block = BlockReader.Open(dir))
        {
            var set = block.Querier(0, 100_000).Select(true, []);
            Assert.True(set.Next());
            var it = set.At().Iterator();
            Assert.False(it.Next());
            var e = Assert.IsType<BlockFormatException>(it.Error);
            Assert.Equal(segment, e.File);
            Assert.Equal(8, e.Offset);
        }

        var index = Path.Combine(dir, "index");
        ulong second;
        using (var block = BlockReader.Open(dir))
        {
            second = block.Index.AllPostings()[1];
        }
        bytes = File.ReadAllBytes(index);
        bytes[(second * 16) + 2] ^= 0x01;
        File.WriteAllBytes(index, bytes);
        using (var block = BlockReader.Open(dir))
        {
            var set = block.Querier(0, 100_000).Select(true, []);
            Assert.True(set.Next());
            Assert.False(set.Next());
            var e = Assert.IsType<BlockFormatException>(set.Error);
            Assert.Equal("series", e.Section);
        }
    }

    [Fact]
    public void Missing_files_are_format_errors()
    {
        using var tmp = new TempDirectory();
        var meta = Writer().Write(tmp.Path, FiveSeries());
        var dir = Path.Combine(tmp.Path, meta.Ulid.ToString());
        File.Delete(Path.Combine(dir, "index"));
        var e = Assert.Throws<BlockFormatException>(() => BlockReader.Open(dir));
        Assert.Contains("missing", e.Reason);
    }
}
