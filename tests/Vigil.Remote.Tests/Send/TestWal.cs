using System.Buffers;
using Vigil.Model;
using Vigil.Tsdb;
using Vigil.Tsdb.Wal;

namespace Vigil.Remote.Tests.Send;

/// <summary>A real WAL in a temp directory, written the way the head writes it: series records, then samples records.</summary>
internal sealed class TestWal : IDisposable
{
    public TestWal(string directory, int segmentSize = 64 * 1024)
    {
        Directory = directory;
        Wal = WriteAheadLog.Open(directory, new WalOptions { SegmentSize = segmentSize, FsyncPolicy = FsyncPolicy.Never });
    }

    public string Directory { get; }

    public WriteAheadLog Wal { get; }

    public void Series(ulong reference, Labels labels)
    {
        var buffer = new ArrayBufferWriter<byte>();
        SeriesRecord.Encode([new RefSeries(reference, labels)], buffer);
        Wal.Log(buffer.WrittenSpan);
    }

    public void Samples(params RefSample[] samples)
    {
        var buffer = new ArrayBufferWriter<byte>();
        SamplesRecord.Encode(samples, buffer);
        Wal.Log(buffer.WrittenSpan);
    }

    public static byte[] SamplesRecordBytes(params RefSample[] samples)
    {
        var buffer = new ArrayBufferWriter<byte>();
        SamplesRecord.Encode(samples, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The end of the last complete record in a segment.</summary>
    public static long RecordsEnd(string directory, int segment)
    {
        using var reader = WalReader.OpenSegment(directory, segment);
        long end = 0;
        while (reader.Next())
        {
            end = reader.NextOffset;
        }
        return end;
    }

    public void Dispose() => Wal.Dispose();
}

/// <summary>Waits for a condition (not a timing assertion: the bound only keeps a broken test from hanging).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }
}
