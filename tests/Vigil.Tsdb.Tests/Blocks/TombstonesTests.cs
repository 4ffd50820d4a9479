using FsCheck;
using FsCheck.Fluent;
using Vigil.Testing;
using Vigil.Tsdb.Blocks;

namespace Vigil.Tsdb.Tests.Blocks;

public sealed class TombstonesTests
{
    [Fact]
    public void An_empty_file_has_the_bytes_promtool_writes()
        => Assert.Equal("0130BA300100000000", Convert.ToHexString(new Tombstones().Encode()));

    [Fact]
    public void Intervals_round_trip_sorted_by_series()
    {
        using var tmp = new TempDirectory();
        var t = new Tombstones();
        t.Add(7, new TimeInterval(10, 20));
        t.Add(3, new TimeInterval(-5, 5));
        t.Add(7, new TimeInterval(100, 200));
        t.Write(tmp.Path);

        var read = Tombstones.Read(tmp.Path);
        Assert.Equal([3UL, 7UL], read.SeriesRefs);
        Assert.Equal([new TimeInterval(10, 20), new TimeInterval(100, 200)], read.Get(7));
        Assert.Equal(3, read.Total);
        Assert.True(read.IsDeleted(3, 0));
        Assert.False(read.IsDeleted(7, 50));
        Assert.Empty(read.Get(4));
        // uvarint ref, zigzag varint mint, maxt: series 3 first.
        Assert.StartsWith("0130BA3001" + "03" + "09" + "0A" + "07" + "14" + "28", Convert.ToHexString(File.ReadAllBytes(tmp.File("tombstones"))));
    }

    [Theory]
    [InlineData(new long[] { 1, 5, 6, 9 }, new long[] { 1, 9 })]          // adjacent merge
    [InlineData(new long[] { 1, 5, 7, 9 }, new long[] { 1, 5, 7, 9 })]    // gap of one stays
    [InlineData(new long[] { 7, 9, 1, 5, 4, 8 }, new long[] { 1, 9 })]    // bridging
    [InlineData(new long[] { 10, 20, 12, 15 }, new long[] { 10, 20 })]    // contained
    [InlineData(new long[] { long.MinValue, 0, 5, long.MaxValue, 1, 4 }, new long[] { long.MinValue, long.MaxValue })]
    public void Intervals_merge_like_Prometheus_Intervals_Add(long[] added, long[] expected)
    {
        var t = new Tombstones();
        for (var i = 0; i < added.Length; i += 2)
        {
            t.Add(1, new TimeInterval(added[i], added[i + 1]));
        }
        var flat = t.Get(1).SelectMany(iv => new[] { iv.MinTime, iv.MaxTime }).ToArray();
        Assert.Equal(expected, flat);
    }

    [Fact]
    public void A_missing_file_means_no_deletions()
    {
        using var tmp = new TempDirectory();
        Assert.Equal(0, Tombstones.Read(tmp.Path).Total);
    }

    [Theory]
    [InlineData(0, "bad magic")]
    [InlineData(4, "version")]
    [InlineData(6, "CRC32C mismatch")]
    [InlineData(-1, "CRC32C mismatch")]
    public void Corrupt_files_are_format_errors(int at, string expected)
    {
        var t = new Tombstones();
        t.Add(300, new TimeInterval(1, 2));
        var bytes = t.Encode();
        bytes[at < 0 ? bytes.Length + at : at] ^= 0x08;
        var e = Assert.Throws<BlockFormatException>(() => Tombstones.Decode(bytes, "/b/tombstones"));
        Assert.Contains(expected, e.Reason);
        Assert.Equal("/b/tombstones", e.File);
    }

    [Fact]
    public void Truncated_files_are_format_errors()
    {
        var t = new Tombstones();
        t.Add(300, new TimeInterval(1, 2));
        var bytes = t.Encode();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<BlockFormatException>(() => Tombstones.Decode(bytes[..length]));
        }
    }

    [Fact]
    public void Any_intervals_round_trip_through_the_file_format()
        => Prop.ForAll(ArbMap.Default.ArbFor<(ulong Ref, long A, long B)[]>(), entries =>
        {
            var t = new Tombstones();
            foreach (var (r, a, b) in entries)
            {
                t.Add(r, new TimeInterval(Math.Min(a, b), Math.Max(a, b)));
            }
            var back = Tombstones.Decode(t.Encode());
            return back.Total == t.Total
                && back.SeriesRefs.SequenceEqual(t.SeriesRefs)
                && t.SeriesRefs.All(r => back.Get(r).SequenceEqual(t.Get(r)));
        }).QuickCheckThrowOnFailure();
}
