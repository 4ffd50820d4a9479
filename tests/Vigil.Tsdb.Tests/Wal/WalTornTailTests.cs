using Vigil.Tsdb.Wal;

namespace Vigil.Tsdb.Tests.Wal;

/// <summary>A crash can leave the last page of the newest segment torn at any byte; reopening must repair it.</summary>
public sealed class WalTornTailTests
{
    private static readonly byte[] s_after1 = WalKit.Record(-1, 100);
    private static readonly byte[] s_after2 = WalKit.Record(-2, 33_000); // Spans pages.

    /// <summary>
    /// A small WAL of three 2-page segments: a few records in segments 0 and 1, then in segment 2 a record
    /// spanning its two pages and many small records on its last page. <paramref name="closed"/>: after Close
    /// (last page zero-padded to 32 KiB) or as a crash leaves it (last page short).
    /// </summary>
    private static (InMemoryFileSystem Fs, List<(byte[] Record, int Segment, long End)> Records) BuildWal(bool closed)
    {
        var fs = new InMemoryFileSystem();
        var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 2, policy: FsyncPolicy.Never));
        var random = new Random(1234);
        var n = 0;
        for (var segment = 0; segment < 2; segment++)
        {
            for (var i = 0; i < 4; i++)
            {
                wal.Log(WalKit.Record(n++, random.Next(1, 3000)));
            }
            wal.NextSegment();
        }
        var segmentStart = wal.BytesWritten;
        wal.Log(WalKit.Record(n++, WalKit.Page)); // From the first into the last page of segment 2.
        while (true)
        {
            var length = random.Next(0, 700);
            if (wal.BytesWritten - segmentStart + length + 60 > (2 * WalKit.Page) - 100)
            {
                break;
            }
            wal.Log(WalKit.Record(n++, length), WalKit.Record(n++, random.Next(1, 40)));
        }
        if (closed)
        {
            wal.Dispose();
        }
        var records = WalKit.ReadWithPositions(fs, WalKit.MemoryWal);
        Assert.Equal(n, records.Count);
        Assert.Equal(2, records[^1].Segment);
        return (fs, records);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_tear_at_every_byte_of_the_last_page_keeps_exactly_the_records_before_it(bool closed)
    {
        var (pristine, records) = BuildWal(closed);
        var last = WalKit.SegmentPath(WalKit.MemoryWal, 2);
        var bytes = pristine.ReadAllBytes(last);
        var lastPage = (bytes.Length - 1) / WalKit.Page * WalKit.Page;
        Assert.True(bytes.Length - lastPage > (closed ? WalKit.Page - 1 : WalKit.Page - 1000));

        Parallel.For(lastPage, bytes.Length + 1, cut =>
        {
            var fs = pristine.Clone();
            fs.WriteAllBytes(last, bytes[..cut]);
            var expected = records.Where(r => r.Segment < 2 || r.End <= cut).Select(r => r.Record).ToList();
            AssertRepairsTo(fs, expected, cut);
        });
    }

    [Fact]
    public void Garbage_over_the_tail_from_every_byte_of_the_last_page_keeps_exactly_the_records_before_it()
    {
        var (pristine, records) = BuildWal(closed: true);
        var last = WalKit.SegmentPath(WalKit.MemoryWal, 2);
        var bytes = pristine.ReadAllBytes(last);
        var lastPage = bytes.Length - WalKit.Page;
        var garbage = new byte[WalKit.Page];
        new Random(99).NextBytes(garbage);

        Parallel.For(lastPage, bytes.Length, from =>
        {
            var fs = pristine.Clone();
            var torn = bytes.ToArray();
            garbage.AsSpan(0, bytes.Length - from).CopyTo(torn.AsSpan(from));
            if (torn[from] == bytes[from])
            {
                torn[from] ^= 0x5a; // Make sure the first byte differs.
            }
            fs.WriteAllBytes(last, torn);
            var expected = records.Where(r => r.Segment < 2 || r.End <= from).Select(r => r.Record).ToList();
            AssertRepairsTo(fs, expected, from);
        });
    }

    [Fact]
    public void A_torn_newest_segment_followed_by_empty_segments_is_repaired_and_they_are_deleted()
    {
        var (fs, records) = BuildWal(closed: false);
        var last = WalKit.SegmentPath(WalKit.MemoryWal, 2);
        fs.TruncateFile(last, fs.GetFileLength(last) - 3);
        fs.WriteAllBytes(WalKit.SegmentPath(WalKit.MemoryWal, 3), []); // A crash right after creating segments 3 and 4.
        fs.WriteAllBytes(WalKit.SegmentPath(WalKit.MemoryWal, 4), []);
        var warnings = new List<string>();
        using var wal = WalKit.OpenAndReplay(WalKit.MemoryWal, WalKit.Options(fs, warnings: warnings), out var replayed);
        WalKit.AssertRecords(records.SkipLast(1).Select(r => r.Record).ToList(), replayed);
        Assert.Equal(1, wal.RepairedCorruptions);
        Assert.Contains("00000002", Assert.Single(warnings), StringComparison.Ordinal);
        Assert.False(fs.FileExists(WalKit.SegmentPath(WalKit.MemoryWal, 4)));
        Assert.Equal(3, wal.CurrentSegment);
        wal.Log(WalKit.Record(-1, 5));
        Assert.True(fs.FileExists(WalKit.SegmentPath(WalKit.MemoryWal, 3)));
    }

    private static void AssertRepairsTo(InMemoryFileSystem fs, List<byte[]> expected, int cut)
    {
        var warnings = new List<string>();
        var options = WalKit.Options(fs, segmentPages: 2, warnings: warnings);
        using (var wal = WalKit.OpenAndReplay(WalKit.MemoryWal, options, out var replayed))
        {
            Assert.True(expected.Count == replayed.Count, $"tear at {cut}: expected {expected.Count} records, replayed {replayed.Count}");
            WalKit.AssertRecords(expected, replayed);
            Assert.Equal(warnings.Count, wal.RepairedCorruptions);
            Assert.True(wal.RepairedCorruptions <= 1);
            wal.Log(s_after1, s_after2);
        }
        using (var wal = WalKit.OpenAndReplay(WalKit.MemoryWal, options, out var again))
        {
            Assert.Equal(0, wal.RepairedCorruptions);
            WalKit.AssertRecords([.. expected, s_after1, s_after2], again);
        }
    }
}
