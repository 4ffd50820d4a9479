using Vigil.Tsdb.Wal;

namespace Vigil.Tsdb.Tests.Wal;

public sealed class WalCorruptionTests
{
    /// <summary>Three 2-page segments full of records of mixed sizes, some spanning pages.</summary>
    private static (InMemoryFileSystem Fs, List<(byte[] Record, int Segment, long End)> Records) BuildWal()
    {
        var fs = new InMemoryFileSystem();
        using (var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 2, policy: FsyncPolicy.Never)))
        {
            var random = new Random(77);
            var n = 0;
            while (wal.CurrentSegment < 2 || wal.BytesWritten < (5 * WalKit.Page) + 20_000)
            {
                wal.Log(WalKit.Record(n++, random.Next(5) == 0 ? random.Next(WalKit.Page / 2, WalKit.Page + 5000) : random.Next(1, 2500)));
            }
        }
        return (fs, WalKit.ReadWithPositions(fs, WalKit.MemoryWal));
    }

    [Fact]
    public void A_bit_flip_anywhere_in_the_last_segment_is_repaired_keeping_the_records_before_it()
    {
        var (pristine, records) = BuildWal();
        var lastSegment = records[^1].Segment;
        Assert.True(lastSegment >= 2);
        var last = WalKit.SegmentPath(WalKit.MemoryWal, lastSegment);
        var bytes = pristine.ReadAllBytes(last);
        var positions = Enumerable.Range(0, bytes.Length).Where(p => p % 61 == 0 || p < 16).ToList();
        // Every byte of some fragment headers too: type, length and CRC.
        foreach (var (_, segment, end) in records.Where(r => r.Segment == lastSegment).Take(5))
        {
            positions.AddRange(Enumerable.Range((int)end, 7).Where(p => p < bytes.Length));
        }

        Parallel.ForEach(positions, position =>
        {
            var fs = pristine.Clone();
            var flipped = bytes.ToArray();
            flipped[position] ^= (byte)(1 << (position % 8));
            fs.WriteAllBytes(last, flipped);
            var expected = records.Where(r => r.Segment < lastSegment || r.End <= position).Select(r => r.Record).ToList();
            var warnings = new List<string>();
            using (var wal = WalKit.OpenAndReplay(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 2, warnings: warnings), out var replayed))
            {
                Assert.True(expected.Count == replayed.Count, $"flip at {position}: expected {expected.Count}, replayed {replayed.Count}");
                WalKit.AssertRecords(expected, replayed);
                Assert.Equal(1, wal.RepairedCorruptions);
                Assert.Contains("repaired the WAL tail", Assert.Single(warnings), StringComparison.Ordinal);
                wal.Log(WalKit.Record(-1, 10));
            }
            using var again = WalKit.OpenAndReplay(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 2), out var afterAppend);
            WalKit.AssertRecords([.. expected, WalKit.Record(-1, 10)], afterAppend);
        });
    }

    [Fact]
    public void A_bit_flip_in_an_earlier_segment_is_an_error_naming_segment_and_offset()
    {
        var (fs, records) = BuildWal();
        var victim = records.First(r => r.Segment == 1);
        var path = WalKit.SegmentPath(WalKit.MemoryWal, 1);
        var bytes = fs.ReadAllBytes(path);
        var fragmentStart = 0; // The segment's first record starts at 0.
        bytes[fragmentStart + 7 + 3] ^= 0x10; // A payload byte of its first fragment.
        fs.WriteAllBytes(path, bytes);
        var before = Snapshot(fs);

        using var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 2));
        using var replay = wal.Replay();
        var count = 0;
        var e = Assert.Throws<CorruptionException>(() =>
        {
            while (replay.Next())
            {
                count++;
            }
        });
        Assert.Equal(records.Count(r => r.Segment == 0), count);
        Assert.Equal(1, e.Segment);
        Assert.Equal(0, e.Offset);
        Assert.Contains("checksum mismatch", e.Reason, StringComparison.Ordinal);
        Assert.Contains("00000001", e.Message, StringComparison.Ordinal);
        Assert.Contains("at offset 0", e.Message, StringComparison.Ordinal);
        Assert.True(wal.NeedsReplay);
        Assert.Throws<InvalidOperationException>(() => wal.Log(WalKit.Record(0, 1)));
        Assert.Equal(before, Snapshot(fs)); // Nothing repaired, nothing deleted.
        Assert.NotEmpty(victim.Record);
    }

    [Fact]
    public void Corruption_in_the_middle_of_an_earlier_segment_reports_the_fragment_offset()
    {
        var (fs, records) = BuildWal();
        var inSegment0 = records.Where(r => r.Segment == 0).ToList();
        var fragment = inSegment0[2].End; // The fourth record of segment 0 starts where the third ends.
        var path = WalKit.SegmentPath(WalKit.MemoryWal, 0);
        var bytes = fs.ReadAllBytes(path);
        bytes[fragment] = 7; // Not a fragment type.
        fs.WriteAllBytes(path, bytes);

        using var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 2));
        var e = Assert.Throws<CorruptionException>(() => WalKit.ReplayAll(wal));
        Assert.Equal(0, e.Segment);
        Assert.Equal(fragment, e.Offset);
        Assert.Equal(fragment, e.Corruption.LastGoodOffset);
        Assert.Contains("invalid fragment type 7", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compressed_fragments_from_Prometheus_are_reported_not_misread()
    {
        var (fs, _) = BuildWal();
        var path = WalKit.SegmentPath(WalKit.MemoryWal, 0);
        var bytes = fs.ReadAllBytes(path);
        bytes[0] |= 0x08; // Prometheus's snappy flag.
        fs.WriteAllBytes(path, bytes);
        using var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 2));
        var e = Assert.Throws<CorruptionException>(() => WalKit.ReplayAll(wal));
        Assert.Contains("compression", e.Reason, StringComparison.Ordinal);
    }

    private static string Snapshot(InMemoryFileSystem fs)
        => string.Join(";", fs.ListFiles(WalKit.MemoryWal).Order(StringComparer.Ordinal)
            .Select(f => f + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(fs.ReadAllBytes(Path.Combine(WalKit.MemoryWal, f))))));
}
