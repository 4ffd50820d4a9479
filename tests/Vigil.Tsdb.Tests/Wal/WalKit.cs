using Vigil.Tsdb.IO;
using Vigil.Tsdb.Wal;

namespace Vigil.Tsdb.Tests.Wal;

/// <summary>Shared helpers: deterministic records, open-and-replay, reading a WAL back.</summary>
internal static class WalKit
{
    public const int Page = 32 * 1024;

    public static readonly string MemoryRoot = Path.Combine(Path.GetTempPath(), "vigil-mem");

    public static readonly string MemoryWal = Path.Combine(MemoryRoot, "wal");

    public static WalOptions Options(IFileSystem fs, int segmentPages = 4, FsyncPolicy policy = FsyncPolicy.Always, List<string>? warnings = null)
        => new()
        {
            FileSystem = fs,
            SegmentSize = segmentPages * Page,
            FsyncPolicy = policy,
            Warning = warnings is null ? null : warnings.Add,
        };

    /// <summary>A record whose content encodes its number, so a mix-up shows.</summary>
    public static byte[] Record(int number, int length)
    {
        var bytes = new byte[length];
        new Random(number).NextBytes(bytes);
        if (length >= 4)
        {
            BitConverter.TryWriteBytes(bytes, number);
        }
        return bytes;
    }

    /// <summary>Opens, replays to the end (repairing a torn tail) and returns the WAL ready for writes with what it replayed.</summary>
    public static WriteAheadLog OpenAndReplay(string directory, WalOptions options, out List<byte[]> records)
    {
        var wal = WriteAheadLog.Open(directory, options);
        try
        {
            records = ReplayAll(wal);
            return wal;
        }
        catch
        {
            wal.Dispose();
            throw;
        }
    }

    public static List<byte[]> ReplayAll(WriteAheadLog wal)
    {
        var records = new List<byte[]>();
        using var replay = wal.Replay();
        while (replay.Next())
        {
            records.Add(replay.Record.ToArray());
        }
        return records;
    }

    /// <summary>Every record of the WAL directory with the segment it is in and the offset just past its end, read without repair.</summary>
    public static List<(byte[] Record, int Segment, long End)> ReadWithPositions(IFileSystem fs, string directory)
    {
        var result = new List<(byte[], int, long)>();
        using var reader = WalReader.Open(directory, fileSystem: fs);
        while (reader.Next())
        {
            result.Add((reader.Record.ToArray(), reader.Segment, reader.EndOffset));
        }
        Assert.Null(reader.Error);
        return result;
    }

    public static void AssertRecords(IReadOnlyList<byte[]> expected, IReadOnlyList<byte[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"record {i} differs");
        }
    }

    public static string SegmentPath(string directory, int index) => Path.Combine(directory, index.ToString("D8", System.Globalization.CultureInfo.InvariantCulture));
}
