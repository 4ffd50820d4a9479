using System.Buffers.Binary;
using Vigil.Testing;
using Vigil.Tsdb.IO;
using Vigil.Tsdb.Wal;

namespace Vigil.Tsdb.Tests.Wal;

public sealed class WalLogTests
{
    [Fact]
    public void Records_survive_close_and_reopen_on_disk()
    {
        using var temp = new TempDirectory("vigil-wal");
        var dir = Path.Combine(temp.Path, WriteAheadLog.DirectoryName);
        var random = new Random(42);
        var expected = new List<byte[]>();
        var options = new WalOptions { SegmentSize = 4 * WalKit.Page };
        using (var wal = WriteAheadLog.Open(dir, options))
        {
            Assert.False(wal.NeedsReplay);
            for (var batch = 0; batch < 60; batch++)
            {
                var records = Enumerable.Range(0, random.Next(1, 6))
                    .Select(i => WalKit.Record(expected.Count + i, random.Next(4) == 0 ? random.Next(WalKit.Page, 3 * WalKit.Page) : random.Next(0, 2000)))
                    .ToArray();
                wal.Log(records.Select(r => (ReadOnlyMemory<byte>)r).ToArray());
                expected.AddRange(records);
            }
        }

        var names = Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.All(names, n => Assert.Matches("^[0-9]{8}$", n));
        Assert.Equal("00000000", names[0]);
        Assert.True(names.Count > 3);
        Assert.All(Directory.GetFiles(dir), f => Assert.True(new FileInfo(f).Length <= 4 * WalKit.Page));

        using (var wal = WalKit.OpenAndReplay(dir, options, out var replayed))
        {
            WalKit.AssertRecords(expected, replayed);
            Assert.Equal(0, wal.RepairedCorruptions);
            wal.Log(WalKit.Record(-1, 10));
            expected.Add(WalKit.Record(-1, 10));
        }
        using var reader = WalReader.Open(dir);
        var all = new List<byte[]>();
        while (reader.Next())
        {
            all.Add(reader.Record.ToArray());
        }
        Assert.Null(reader.Error);
        WalKit.AssertRecords(expected, all);
    }

    [Fact]
    public void A_record_is_split_into_first_middle_and_last_fragments_on_page_boundaries()
    {
        var fs = new InMemoryFileSystem();
        var big = WalKit.Record(1, (2 * WalKit.Page) + 100);
        using (var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 8)))
        {
            wal.Log(WalKit.Record(0, 10));
            wal.Log(big);
        }
        var bytes = fs.ReadAllBytes(WalKit.SegmentPath(WalKit.MemoryWal, 0));
        Assert.Equal(0, bytes.Length % WalKit.Page); // Close pads the last page.

        // Page 0: full(10), then first fragment filling the page exactly.
        Assert.Equal(1, bytes[0]);
        Assert.Equal(10, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(1)));
        Assert.Equal(Crc32C.Compute(bytes.AsSpan(7, 10)), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(3)));
        Assert.Equal(2, bytes[17]);
        Assert.Equal(WalKit.Page - 17 - 7, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(18)));
        // Page 1: one middle fragment filling the page; page 2: the last fragment, then zeros.
        Assert.Equal(3, bytes[WalKit.Page]);
        Assert.Equal(WalKit.Page - 7, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(WalKit.Page + 1)));
        Assert.Equal(4, bytes[2 * WalKit.Page]);
        var lastLength = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan((2 * WalKit.Page) + 1));
        Assert.Equal(big.Length - (WalKit.Page - 24) - (WalKit.Page - 7), lastLength);
        Assert.True(bytes.AsSpan((2 * WalKit.Page) + 7 + lastLength).IndexOfAnyExcept((byte)0) < 0);

        using var reopened = WalKit.OpenAndReplay(WalKit.MemoryWal, WalKit.Options(fs), out var records);
        WalKit.AssertRecords([WalKit.Record(0, 10), big], records);
    }

    [Fact]
    public void Records_never_cross_segments_and_an_oversized_record_gets_its_own_segment()
    {
        var fs = new InMemoryFileSystem();
        var expected = new List<byte[]>
        {
            WalKit.Record(0, WalKit.Page),          // Fills most of segment 0 (2 pages).
            WalKit.Record(1, WalKit.Page),          // Does not fit in what is left: segment 1.
            WalKit.Record(2, 5 * WalKit.Page),      // Bigger than a segment: segment 2, which grows past 2 pages.
            WalKit.Record(3, 100),                  // Segment 3.
            WalKit.Record(4, 0),                    // Empty records are records too.
        };
        using (var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 2)))
        {
            foreach (var r in expected)
            {
                wal.Log(r);
            }
            Assert.Equal(3, wal.CurrentSegment);
        }
        var positions = WalKit.ReadWithPositions(fs, WalKit.MemoryWal);
        Assert.Equal([0, 1, 2, 3, 3], positions.Select(p => p.Segment));
        Assert.True(fs.GetFileLength(WalKit.SegmentPath(WalKit.MemoryWal, 2)) > 2 * WalKit.Page);
        WalKit.AssertRecords(expected, positions.Select(p => p.Record).ToList());
    }

    [Fact]
    public void Each_open_writes_to_a_new_segment_after_the_last()
    {
        var fs = new InMemoryFileSystem();
        var expected = new List<byte[]>();
        for (var run = 0; run < 4; run++)
        {
            using var wal = WalKit.OpenAndReplay(WalKit.MemoryWal, WalKit.Options(fs), out var replayed);
            WalKit.AssertRecords(expected, replayed);
            Assert.Equal(run, wal.CurrentSegment);
            for (var i = 0; i < 3; i++)
            {
                var r = WalKit.Record((run * 10) + i, 300);
                wal.Log(r);
                expected.Add(r);
            }
        }
    }

    [Fact]
    public void Writing_before_replay_is_refused()
    {
        var fs = new InMemoryFileSystem();
        using (var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs)))
        {
            wal.Log(WalKit.Record(0, 10));
        }
        using var reopened = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs));
        Assert.True(reopened.NeedsReplay);
        var e = Assert.Throws<InvalidOperationException>(() => reopened.Log(WalKit.Record(1, 10)));
        Assert.Contains("Replay()", e.Message, StringComparison.Ordinal);
        using (var replay = reopened.Replay())
        {
            Assert.True(replay.Next());
        } // Stopped early: still refused.
        Assert.Throws<InvalidOperationException>(() => reopened.Log(WalKit.Record(1, 10)));
        Assert.Throws<InvalidOperationException>(() => reopened.Replay());
    }

    [Fact]
    public void Segment_size_must_be_a_multiple_of_the_page()
    {
        var fs = new InMemoryFileSystem();
        Assert.Throws<ArgumentOutOfRangeException>(() => WriteAheadLog.Open(WalKit.MemoryWal, new WalOptions { FileSystem = fs, SegmentSize = WalKit.Page + 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => WriteAheadLog.Open(WalKit.MemoryWal, new WalOptions { FileSystem = fs, SegmentSize = 0 }));
    }

    [Fact]
    public void Always_fsyncs_every_batch_and_Never_only_at_close()
    {
        var always = new FileFaults();
        using (var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(new FaultInjectingFileSystem(new InMemoryFileSystem(), always))))
        {
            var before = always.Syncs;
            for (var i = 0; i < 5; i++)
            {
                wal.Log(WalKit.Record(i, 100));
            }
            Assert.Equal(before + 5 + 1, always.Syncs); // + the directory, when the segment was created.
            Assert.Equal(5, wal.Fsyncs);
        }

        var never = new FileFaults();
        using (var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(new FaultInjectingFileSystem(new InMemoryFileSystem(), never), policy: FsyncPolicy.Never)))
        {
            for (var i = 0; i < 5; i++)
            {
                wal.Log(WalKit.Record(i, 100));
            }
            Assert.Equal(0, wal.Fsyncs);
            wal.Close();
            Assert.Equal(1, wal.Fsyncs);
        }
    }

    [Fact]
    public void Always_also_fsyncs_the_segment_a_batch_leaves_when_it_cuts()
    {
        var faults = new FileFaults();
        using var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(new FaultInjectingFileSystem(new InMemoryFileSystem(), faults), segmentPages: 2));
        // The first record fills most of segment 0; the second needs segment 1. Both must be durable on return.
        wal.Log(WalKit.Record(0, 40_000), WalKit.Record(1, 40_000));
        Assert.Equal(1, wal.CurrentSegment);
        Assert.Equal(2, wal.Fsyncs);
    }

    [Fact]
    public void Interval_fsyncs_when_the_injected_clock_says_the_interval_passed()
    {
        var clock = new ManualClock();
        var fs = new InMemoryFileSystem();
        using var wal = WriteAheadLog.Open(WalKit.MemoryWal, new WalOptions
        {
            FileSystem = fs,
            FsyncPolicy = FsyncPolicy.Interval,
            FsyncInterval = TimeSpan.FromSeconds(5),
            TimeProvider = clock,
        });
        wal.Log(WalKit.Record(0, 10));
        wal.Log(WalKit.Record(1, 10));
        Assert.Equal(0, wal.Fsyncs);
        clock.Advance(TimeSpan.FromSeconds(5));
        wal.Log(WalKit.Record(2, 10));
        Assert.Equal(1, wal.Fsyncs);
        clock.Advance(TimeSpan.FromSeconds(4));
        wal.Log(WalKit.Record(3, 10));
        Assert.Equal(1, wal.Fsyncs);
        wal.Sync();
        Assert.Equal(2, wal.Fsyncs);
    }

    [Fact]
    public void Concurrent_writers_lose_nothing_and_keep_their_own_order()
    {
        var fs = new InMemoryFileSystem();
        using (var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs, segmentPages: 2, policy: FsyncPolicy.Never)))
        {
            Parallel.For(0, 8, writer =>
            {
                for (var i = 0; i < 200; i++)
                {
                    var record = new byte[8 + (i % 50)];
                    BinaryPrimitives.WriteInt32LittleEndian(record, writer);
                    BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(4), i);
                    wal.Log(record);
                }
            });
        }
        using var reopened = WalKit.OpenAndReplay(WalKit.MemoryWal, WalKit.Options(fs), out var records);
        Assert.Equal(1600, records.Count);
        foreach (var group in records.GroupBy(r => BinaryPrimitives.ReadInt32LittleEndian(r)))
        {
            Assert.Equal(Enumerable.Range(0, 200), group.Select(r => BinaryPrimitives.ReadInt32LittleEndian(r.AsSpan(4))));
        }
    }

    [Fact]
    public void NextSegment_closes_the_active_segment_and_is_a_no_op_when_it_is_empty()
    {
        var fs = new InMemoryFileSystem();
        using var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs));
        Assert.Equal(0, wal.NextSegment());
        wal.Log(WalKit.Record(0, 10));
        Assert.Equal(1, wal.NextSegment());
        Assert.Equal(1, wal.NextSegment());
        Assert.Equal(WalKit.Page, fs.GetFileLength(WalKit.SegmentPath(WalKit.MemoryWal, 0)));
        wal.Log(WalKit.Record(1, 10));
        wal.Truncate(1);
        Assert.False(fs.FileExists(WalKit.SegmentPath(WalKit.MemoryWal, 0)));
        wal.Truncate(100); // Never the segment being written.
        Assert.True(fs.FileExists(WalKit.SegmentPath(WalKit.MemoryWal, 1)));
    }

    [Fact]
    public void A_gap_between_segments_is_reported_at_open()
    {
        var fs = new InMemoryFileSystem();
        using (var wal = WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs)))
        {
            for (var i = 0; i < 3; i++)
            {
                wal.Log(WalKit.Record(i, 10));
                wal.NextSegment();
            }
        }
        fs.DeleteFile(WalKit.SegmentPath(WalKit.MemoryWal, 1));
        var e = Assert.Throws<CorruptionException>(() => WriteAheadLog.Open(WalKit.MemoryWal, WalKit.Options(fs)));
        Assert.Equal(1, e.Segment);
        Assert.Contains("not consecutive", e.Message, StringComparison.Ordinal);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = Random.Shared.NextInt64(1, long.MaxValue / 4);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
