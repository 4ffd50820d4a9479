using Vigil.Testing;
using Vigil.Tsdb.IO;
using Vigil.Tsdb.Wal;

namespace Vigil.Tsdb.Tests.Wal;

/// <summary>Failed fsyncs, failed writes and torn writes through the fault-injecting seam, on the real file system.</summary>
public sealed class WalFaultTests
{
    private static WalOptions Faulty(FileFaults faults, int segmentPages = 2)
        => WalKit.Options(new FaultInjectingFileSystem(PhysicalFileSystem.Instance, faults), segmentPages);

    private static WalOptions Plain(int segmentPages = 2) => WalKit.Options(PhysicalFileSystem.Instance, segmentPages);

    private static ReadOnlyMemory<byte>[] Batch(int first, int count, int length)
        => Enumerable.Range(first, count).Select(i => (ReadOnlyMemory<byte>)WalKit.Record(i, length)).ToArray();

    [Fact]
    public void A_failed_fsync_reaches_the_caller_and_the_WAL_refuses_writes_until_reopened()
    {
        using var temp = new TempDirectory("vigil-wal");
        var dir = Path.Combine(temp.Path, "wal");
        var faults = new FileFaults();
        var acknowledged = new List<byte[]>();
        var failedBatch = Batch(1000, 3, 500);
        using (var wal = WriteAheadLog.Open(dir, Faulty(faults)))
        {
            for (var i = 0; i < 20; i++)
            {
                var batch = Batch(i * 3, 3, 700);
                wal.Log(batch);
                acknowledged.AddRange(batch.Select(b => b.ToArray()));
            }
            faults.FailNextSyncs();
            var e = Assert.Throws<WalWriteException>(() => wal.Log(failedBatch));
            Assert.True(e.WalFailed);
            Assert.Contains("fsync", e.Message, StringComparison.Ordinal);
            Assert.IsType<IOException>(e.InnerException);
            Assert.Equal(1, wal.FailedFsyncs);
            Assert.Same(e, wal.Failure);

            var refused = Assert.Throws<WalWriteException>(() => wal.Log(WalKit.Record(-1, 10)));
            Assert.True(refused.WalFailed);
            Assert.Contains("refuses writes", refused.Message, StringComparison.Ordinal);
            Assert.Throws<WalWriteException>(() => wal.Sync());
        }

        using var reopened = WalKit.OpenAndReplay(dir, Plain(), out var replayed);
        // The failed batch was handed to the OS, so it may be there; nothing acknowledged may be missing.
        WalKit.AssertRecords(acknowledged, replayed.Take(acknowledged.Count).ToList());
        Assert.True(replayed.Count == acknowledged.Count || replayed.Count == acknowledged.Count + failedBatch.Length);
        reopened.Log(WalKit.Record(-2, 10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(40_000)]
    public void A_failed_write_is_rolled_back_and_the_WAL_keeps_working(int partialBytes)
    {
        using var temp = new TempDirectory("vigil-wal");
        var dir = Path.Combine(temp.Path, "wal");
        var faults = new FileFaults();
        var acknowledged = new List<byte[]>();
        using (var wal = WriteAheadLog.Open(dir, Faulty(faults)))
        {
            for (var i = 0; i < 10; i++)
            {
                var batch = Batch(i * 2, 2, 900);
                wal.Log(batch);
                acknowledged.AddRange(batch.Select(b => b.ToArray()));
            }
            faults.FailNextWrites(partialBytes: partialBytes);
            var e = Assert.Throws<WalWriteException>(() => wal.Log(Batch(500, 2, 30_000)));
            Assert.False(e.WalFailed);
            Assert.Contains("rolled back", e.Message, StringComparison.Ordinal);
            Assert.Null(wal.Failure);
            Assert.Equal(1, wal.FailedWrites);

            for (var i = 10; i < 15; i++)
            {
                var batch = Batch(i * 2, 2, 900);
                wal.Log(batch);
                acknowledged.AddRange(batch.Select(b => b.ToArray()));
            }
        }
        using var reopened = WalKit.OpenAndReplay(dir, Plain(), out var replayed);
        WalKit.AssertRecords(acknowledged, replayed);
        Assert.Equal(0, reopened.RepairedCorruptions);
    }

    [Fact]
    public void A_write_failing_after_a_segment_cut_rolls_back_both_segments()
    {
        using var temp = new TempDirectory("vigil-wal");
        var dir = Path.Combine(temp.Path, "wal");
        var faults = new FileFaults();
        var acknowledged = new List<byte[]>();
        using (var wal = WriteAheadLog.Open(dir, Faulty(faults)))
        {
            var first = Batch(0, 1, 50_000);
            wal.Log(first);
            acknowledged.AddRange(first.Select(b => b.ToArray()));
            Assert.Equal(0, wal.CurrentSegment);
            // 40 KB more cannot fit in segment 0 (64 KiB): the batch pads 0, cuts to 1, and its second page write fails.
            faults.FailNextWrites(afterWrites: 2, partialBytes: 10);
            Assert.Throws<WalWriteException>(() => wal.Log(Batch(1, 1, 40_000)));
            Assert.Equal(0, wal.CurrentSegment);
            Assert.False(File.Exists(WalKit.SegmentPath(dir, 1)));
            var next = Batch(2, 2, 100);
            wal.Log(next);
            acknowledged.AddRange(next.Select(b => b.ToArray()));
        }
        using var reopened = WalKit.OpenAndReplay(dir, Plain(), out var replayed);
        WalKit.AssertRecords(acknowledged, replayed);
    }

    [Fact]
    public void A_torn_write_then_crash_at_many_points_keeps_every_acknowledged_record()
    {
        for (var tearAt = 1; tearAt < 200_000; tearAt += 9_973)
        {
            using var temp = new TempDirectory("vigil-wal");
            var dir = Path.Combine(temp.Path, "wal");
            var faults = new FileFaults();
            var acknowledged = new List<byte[]>();
            ReadOnlyMemory<byte>[]? failed = null;
            using (var wal = WriteAheadLog.Open(dir, Faulty(faults)))
            {
                faults.TearAfter(tearAt);
                for (var i = 0; failed is null; i++)
                {
                    var batch = Batch(i * 3, 3, (i % 4) switch { 0 => 9_000, 1 => 40_000, _ => 300 });
                    try
                    {
                        wal.Log(batch);
                        acknowledged.AddRange(batch.Select(b => b.ToArray()));
                    }
                    catch (WalWriteException e)
                    {
                        Assert.True(e.WalFailed, "a crashed seam cannot roll back: the WAL must refuse writes");
                        failed = batch;
                    }
                }
                Assert.True(faults.Crashed);
            }

            using var reopened = WalKit.OpenAndReplay(dir, Plain(), out var replayed);
            WalKit.AssertRecords(acknowledged, replayed.Take(acknowledged.Count).ToList());
            // A prefix of the unacknowledged batch may have made it whole; nothing else.
            var extra = replayed.Skip(acknowledged.Count).ToList();
            WalKit.AssertRecords(failed.Take(extra.Count).Select(m => m.ToArray()).ToList(), extra);
            reopened.Log(WalKit.Record(-1, 5));
        }
    }
}
