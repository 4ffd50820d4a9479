using System.Buffers;
using Vigil.Model;
using Vigil.Tsdb.Wal;

namespace Vigil.Tsdb.Tests.Wal;

public sealed class CheckpointTests
{
    private static byte[] Series(params (ulong Ref, string Name)[] series)
    {
        var buffer = new ArrayBufferWriter<byte>();
        SeriesRecord.Encode(series.Select(s => new RefSeries(s.Ref, Labels.Of("__name__", s.Name, "job", "test"))).ToArray(), buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Samples(params RefSample[] samples)
    {
        var buffer = new ArrayBufferWriter<byte>();
        SamplesRecord.Encode(samples, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Tombstones(params Tombstone[] tombstones)
    {
        var buffer = new ArrayBufferWriter<byte>();
        TombstonesRecord.Encode(tombstones, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>What a replay decodes to, in order, as comparable strings.</summary>
    private static List<string> Decode(IEnumerable<byte[]> records)
    {
        var result = new List<string>();
        foreach (var record in records)
        {
            switch (WalRecord.TypeOf(record))
            {
                case WalRecordType.Series:
                    var series = new List<RefSeries>();
                    SeriesRecord.Decode(record, series);
                    result.AddRange(series.Select(s => $"series {s.Ref} {s.Labels}"));
                    break;
                case WalRecordType.Samples:
                    var samples = new List<RefSample>();
                    SamplesRecord.Decode(record, samples);
                    result.AddRange(samples.Select(s => $"sample {s.Ref} {s.TimestampMs} {BitConverter.DoubleToUInt64Bits(s.Value):x}"));
                    break;
                case WalRecordType.Tombstones:
                    var tombstones = new List<Tombstone>();
                    TombstonesRecord.Decode(record, tombstones);
                    result.AddRange(tombstones.Select(t => $"tombstone {t.Ref} {t.MinTimeMs} {t.MaxTimeMs}"));
                    break;
                default:
                    result.Add("unknown");
                    break;
            }
        }
        return result;
    }

    /// <summary>Series 1..6, one sample per series per ms for t = 0..99, 10 ms per segment-ish; a few tombstones.</summary>
    private static (InMemoryFileSystem Fs, WriteAheadLog Wal, List<byte[]> Written) Build()
    {
        var fs = new InMemoryFileSystem();
        var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 1));
        var written = new List<byte[]>();
        void Log(params byte[][] records)
        {
            wal.Log(records.Select(r => (ReadOnlyMemory<byte>)r).ToArray());
            written.AddRange(records);
        }
        Log(Series((1, "a"), (2, "b"), (3, "c")));
        for (var t = 0; t < 100; t++)
        {
            if (t == 40)
            {
                Log(Series((4, "d"), (5, "e"), (6, "f")));
                Log(Tombstones(new Tombstone(2, 0, 10), new Tombstone(4, 30, 70)));
            }
            var refs = t < 40 ? new ulong[] { 1, 2, 3 } : [1, 2, 3, 4, 5, 6];
            Log(Samples(refs.Select(r => new RefSample(r, t, (r * 1000.0) + t + 0.5)).ToArray()));
            if (t % 10 == 9)
            {
                wal.NextSegment();
            }
        }
        Log([42, 1, 2, 3]); // A record type from the future.
        return (fs, wal, written);
    }

    [Fact]
    public void A_checkpoint_keeps_alive_series_and_recent_samples_and_replay_goes_through_it()
    {
        var (fs, wal, written) = Build();
        Assert.Equal(10, wal.CurrentSegment);
        bool Keep(ulong r) => r % 2 == 0;
        var stats = Checkpoint.Create(wal, 0, 5, Keep, mint: 50);

        // Segments 0..5 are replaced by checkpoint.00000005.
        Assert.True(fs.DirectoryExists(Path.Combine(WalKit.MemoryWal, "checkpoint.00000005")));
        Assert.False(fs.DirectoryExists(Path.Combine(WalKit.MemoryWal, "checkpoint.00000005.tmp")));
        Assert.False(fs.FileExists(WalKit.SegmentPath(WalKit.MemoryWal, 5)));
        Assert.True(fs.FileExists(WalKit.SegmentPath(WalKit.MemoryWal, 6)));
        Assert.Equal(5, stats.Index);
        Assert.Equal(6, stats.TotalSeries);
        Assert.Equal(3, stats.DroppedSeries);
        Assert.Equal(2, stats.TotalTombstones);
        Assert.Equal(1, stats.DroppedTombstones); // Series 2's is dropped (odd series are not, but it ends before mint); series 4's stays.

        // What replay must return: the checkpoint's filtered records from segments 0..5, then segments 6.. as written.
        wal.Dispose();
        var all = Decode(written);
        var segmentsOfWritten = SegmentOf(written);
        var expected = new List<string>();
        for (var i = 0; i < written.Count; i++)
        {
            var decoded = Decode([written[i]]);
            if (segmentsOfWritten[i] > 5)
            {
                expected.AddRange(decoded);
                continue;
            }
            expected.AddRange(decoded.Where(d => d switch
            {
                _ when d.StartsWith("series", StringComparison.Ordinal) => Keep(ulong.Parse(d.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)),
                _ when d.StartsWith("sample", StringComparison.Ordinal) => Keep(ulong.Parse(d.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))
                    && long.Parse(d.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture) >= 50,
                _ when d.StartsWith("tombstone", StringComparison.Ordinal) => Keep(ulong.Parse(d.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))
                    && long.Parse(d.Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture) >= 50,
                _ => false,
            }));
        }
        Assert.Contains("unknown", all);

        using var reopened = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 1));
        var replayed = new List<byte[]>();
        var fromCheckpoint = 0;
        using (var replay = reopened.Replay())
        {
            while (replay.Next())
            {
                replayed.Add(replay.Record.ToArray());
                fromCheckpoint += replay.InCheckpoint ? 1 : 0;
            }
        }
        Assert.True(fromCheckpoint > 0);
        Assert.Equal(expected, Decode(replayed));
        Assert.Equal(11, reopened.CurrentSegment); // Segment 10 holds the last record; each open starts a new segment.
        reopened.Log(Samples(new RefSample(6, 1000, 1)));
    }

    [Fact]
    public void A_second_checkpoint_folds_in_the_first_and_deletes_it()
    {
        var (fs, wal, _) = Build();
        Checkpoint.Create(wal, 0, 3, _ => true, mint: 0);
        var second = Checkpoint.Create(wal, 0, 7, r => r != 3, mint: 65);
        Assert.False(fs.DirectoryExists(Path.Combine(WalKit.MemoryWal, "checkpoint.00000003")));
        Assert.True(fs.DirectoryExists(Path.Combine(WalKit.MemoryWal, "checkpoint.00000007")));
        Assert.Equal(6, second.TotalSeries); // All series records came through the first checkpoint.
        Assert.Equal(1, second.DroppedSeries);
        wal.Dispose();

        using var reopened = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 1));
        var decoded = Decode(WalKit.ReplayAll(reopened));
        Assert.DoesNotContain(decoded, d => d.StartsWith("series 3 ", StringComparison.Ordinal));
        Assert.Contains(decoded, d => d.StartsWith("series 6 ", StringComparison.Ordinal));
        Assert.DoesNotContain(decoded, d => d.StartsWith("sample", StringComparison.Ordinal) && long.Parse(d.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture) < 65);
        Assert.Contains("sample 1 99 " + BitConverter.DoubleToUInt64Bits(1099.5).ToString("x", System.Globalization.CultureInfo.InvariantCulture), decoded);
    }

    [Fact]
    public void Checkpointing_the_segment_being_written_is_refused()
    {
        var (_, wal, _) = Build();
        using (wal)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Checkpoint.Create(wal, 0, wal.CurrentSegment, _ => true, 0));
            Checkpoint.Create(wal, 0, 2, _ => true, 0);
            Assert.Throws<InvalidOperationException>(() => Checkpoint.Create(wal, 5, 6, _ => true, 0)); // Gap after checkpoint 2.
            Assert.Throws<ArgumentOutOfRangeException>(() => Checkpoint.Create(wal, 0, 1, _ => true, 0)); // Already covered.
        }
    }

    [Fact]
    public void A_crash_mid_checkpoint_leaves_a_tmp_directory_that_is_ignored_and_deleted()
    {
        var (fs, wal, written) = Build();
        wal.Dispose();
        var tmp = Path.Combine(WalKit.MemoryWal, "checkpoint.00000004.tmp");
        fs.CreateDirectory(tmp);
        fs.WriteAllBytes(Path.Combine(tmp, "00000000"), [1, 2, 3]);

        using var reopened = WalKit.OpenAndReplay(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 1), out var replayed);
        Assert.False(fs.DirectoryExists(tmp));
        WalKit.AssertRecords(written, replayed);
    }

    [Fact]
    public void A_corrupt_checkpoint_is_an_error_not_a_repair()
    {
        var (fs, wal, _) = Build();
        Checkpoint.Create(wal, 0, 5, _ => true, 0);
        wal.Dispose();
        var segment = Path.Combine(WalKit.MemoryWal, "checkpoint.00000005", "00000000");
        var bytes = fs.ReadAllBytes(segment);
        bytes[20] ^= 1;
        fs.WriteAllBytes(segment, bytes);

        using var reopened = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 1));
        var e = Assert.Throws<CorruptionException>(() => WalKit.ReplayAll(reopened));
        Assert.Contains("checkpoint.00000005", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, reopened.RepairedCorruptions);
    }

    [Fact]
    public void A_torn_tail_after_a_checkpoint_is_still_repaired()
    {
        var (fs, wal, written) = Build();
        Checkpoint.Create(wal, 0, 8, _ => true, 0);
        wal.Dispose();
        var last = WalKit.SegmentPath(WalKit.MemoryWal, 10); // Holds only the unknown-type record.
        fs.TruncateFile(last, 5);
        using var reopened = WalKit.OpenAndReplay(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 1), out var replayed);
        Assert.Equal(1, reopened.RepairedCorruptions);
        Assert.Equal(Decode(written.SkipLast(1)), Decode(replayed));
        reopened.Log(Samples(new RefSample(1, 5000, 1)));
    }

    [Fact]
    public void A_checkpoint_on_disk_is_renamed_into_place_and_replayed()
    {
        using var temp = new Vigil.Testing.TempDirectory("vigil-wal");
        var dir = Path.Combine(temp.Path, "wal");
        var options = new WalOptions { SegmentSize = WalKit.Page };
        using (var wal = WriteAheadLog.Open(dir, options))
        {
            wal.Log(Series((1, "a"), (2, "b")));
            wal.Log(Samples(new RefSample(1, 10, 1), new RefSample(2, 10, 2)));
            wal.NextSegment();
            wal.Log(Samples(new RefSample(1, 20, 3)));
            wal.NextSegment();
            Checkpoint.Create(wal, 0, 1, r => r == 1, mint: 15);
            wal.Log(Samples(new RefSample(1, 30, 4)));
        }
        Assert.True(Directory.Exists(Path.Combine(dir, "checkpoint.00000001")));
        Assert.Equal(["00000002"], Directory.GetFiles(dir).Select(Path.GetFileName));
        using var reopened = WalKit.OpenAndReplay(dir, options, out var replayed);
        Assert.Equal(
            ["series 1 {__name__=\"a\", job=\"test\"}", "sample 1 20 4008000000000000", "sample 1 30 4010000000000000"],
            Decode(replayed));
    }

    /// <summary>Which segment each written record landed in (read back from the intact WAL before checkpointing would delete it).</summary>
    private static int[] SegmentOf(List<byte[]> written)
    {
        // Build() is deterministic: rebuild it and read positions.
        var (fs, wal, again) = Build();
        wal.Dispose();
        Assert.Equal(written.Count, again.Count);
        return WalKit.ReadWithPositions(fs, WalKit.MemoryWal).Select(p => p.Segment).ToArray();
    }
}
