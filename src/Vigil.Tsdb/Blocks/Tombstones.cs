using System.Buffers.Binary;
using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Blocks;

/// <summary>A closed time range [<see cref="MinTime"/>, <see cref="MaxTime"/>] in ms.</summary>
/// <param name="MinTime">First deleted timestamp.</param>
/// <param name="MaxTime">Last deleted timestamp.</param>
public readonly record struct TimeInterval(long MinTime, long MaxTime)
{
    /// <summary>Whether <paramref name="t"/> lies in the interval.</summary>
    public bool Contains(long t) => t >= MinTime && t <= MaxTime;
}

/// <summary>
/// Deleted time ranges per series of a block, and the <c>tombstones</c> file that stores them (Prometheus
/// tsdb/docs/format/tombstones.md): magic 0x0130BA30, version byte 1, then per interval
/// <c>series ref uvarint | mint varint | maxt varint</c>, then a CRC32C over the entries (not the version
/// byte). Intervals of a series are kept sorted and merged, as Prometheus's <c>Intervals.Add</c> does.
/// Not thread-safe for writes.
/// </summary>
public sealed class Tombstones
{
    /// <summary>The file name.</summary>
    public const string FileName = "tombstones";

    /// <summary>The magic number (big-endian).</summary>
    public const uint Magic = 0x0130BA30;

    /// <summary>The format version.</summary>
    public const byte Version = 1;

    private const int HeaderSize = 5;
    private const int CrcSize = 4;
    private const string Section = "tombstones";

    private readonly SortedDictionary<ulong, List<TimeInterval>> _bySeries = [];

    /// <summary>The number of intervals over all series.</summary>
    public long Total { get; private set; }

    /// <summary>The series with deletions, ascending.</summary>
    public IEnumerable<ulong> SeriesRefs => _bySeries.Keys;

    /// <summary>The deleted intervals of a series, sorted and disjoint; empty when none.</summary>
    public IReadOnlyList<TimeInterval> Get(ulong seriesRef) => _bySeries.TryGetValue(seriesRef, out var list) ? list : [];

    /// <summary>Whether sample time <paramref name="t"/> of the series is deleted.</summary>
    public bool IsDeleted(ulong seriesRef, long t)
    {
        if (!_bySeries.TryGetValue(seriesRef, out var list))
        {
            return false;
        }
        foreach (var iv in list)
        {
            if (iv.Contains(t))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Deletes [mint, maxt] of a series, merging with overlapping or adjacent intervals.</summary>
    public void Add(ulong seriesRef, TimeInterval interval)
    {
        if (interval.MaxTime < interval.MinTime)
        {
            throw new ArgumentException($"interval [{interval.MinTime}, {interval.MaxTime}] ends before it starts", nameof(interval));
        }
        if (!_bySeries.TryGetValue(seriesRef, out var list))
        {
            list = [];
            _bySeries.Add(seriesRef, list);
        }
        Total -= list.Count;
        Merge(list, interval);
        Total += list.Count;
    }

    /// <summary>Reads <c>tombstones</c> from a block directory; a missing file means no deletions (as Prometheus).</summary>
    /// <exception cref="BlockFormatException">Bad magic, version or CRC, or truncated entries.</exception>
    public static Tombstones Read(string blockDirectory)
    {
        ArgumentNullException.ThrowIfNull(blockDirectory);
        var path = Path.Combine(blockDirectory, FileName);
        return File.Exists(path) ? Decode(File.ReadAllBytes(path), path) : new Tombstones();
    }

    /// <summary>Decodes a whole tombstones file; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="BlockFormatException">Bad magic, version or CRC, or truncated entries.</exception>
    public static Tombstones Decode(ReadOnlySpan<byte> file, string path = FileName)
    {
        if (file.Length < HeaderSize + CrcSize)
        {
            throw new BlockFormatException(path, Section, 0, $"truncated: {file.Length} bytes, the header and CRC need {HeaderSize + CrcSize}");
        }
        var magic = BinaryPrimitives.ReadUInt32BigEndian(file);
        if (magic != Magic)
        {
            throw new BlockFormatException(path, Section, 0, $"bad magic {magic:x8}, expected {Magic:x8}");
        }
        if (file[4] != Version)
        {
            throw new BlockFormatException(path, Section, 4, $"unknown tombstones version {file[4]}, expected {Version}");
        }
        var entries = file[HeaderSize..^CrcSize];
        var stored = BinaryPrimitives.ReadUInt32BigEndian(file[^CrcSize..]);
        var computed = Crc32C.Compute(entries);
        if (stored != computed)
        {
            throw new BlockFormatException(path, Section, file.Length - CrcSize, $"CRC32C mismatch: stored {stored:x8}, computed {computed:x8}");
        }
        var result = new Tombstones();
        var d = new SpanDecoder(entries);
        while (d.Remaining > 0)
        {
            var at = d.Position;
            var seriesRef = d.Uvarint();
            var mint = d.Varint();
            var maxt = d.Varint();
            if (d.Failed || maxt < mint)
            {
                throw new BlockFormatException(path, Section, HeaderSize + at, d.Failed ? "entry truncated" : $"interval [{mint}, {maxt}] ends before it starts");
            }
            result.Add(seriesRef, new TimeInterval(mint, maxt));
        }
        return result;
    }

    /// <summary>The whole file's bytes; series in ascending order (Prometheus's order is its map's, i.e. random).</summary>
    public byte[] Encode()
    {
        var buffer = new EncodeBuffer();
        buffer.PutBE32(Magic);
        buffer.PutByte(Version);
        foreach (var (seriesRef, list) in _bySeries)
        {
            foreach (var iv in list)
            {
                buffer.PutUvarint(seriesRef);
                buffer.PutVarint(iv.MinTime);
                buffer.PutVarint(iv.MaxTime);
            }
        }
        buffer.PutBE32(Crc32C.Compute(buffer.WrittenSpan[HeaderSize..]));
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <c>tombstones</c> into a block directory atomically (temp file, fsync, rename, fsync directory).</summary>
    public void Write(string blockDirectory, IFileSystem? fileSystem = null)
    {
        ArgumentNullException.ThrowIfNull(blockDirectory);
        AtomicFile.Write(fileSystem ?? PhysicalFileSystem.Instance, Path.Combine(blockDirectory, FileName), Encode());
    }

    private static void Merge(List<TimeInterval> list, TimeInterval n)
    {
        // Closed integer intervals: [a, b] and [b+1, c] touch and merge. Saturate to avoid overflow at the extremes.
        var lo = n.MinTime;
        var hi = n.MaxTime;
        var i = 0;
        while (i < list.Count && list[i].MaxTime < lo && list[i].MaxTime != long.MaxValue && list[i].MaxTime + 1 < lo)
        {
            i++;
        }
        var j = i;
        while (j < list.Count && (hi == long.MaxValue || list[j].MinTime <= hi + 1))
        {
            lo = Math.Min(lo, list[j].MinTime);
            hi = Math.Max(hi, list[j].MaxTime);
            j++;
        }
        list.RemoveRange(i, j - i);
        list.Insert(i, new TimeInterval(lo, hi));
    }
}
