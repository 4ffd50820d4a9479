using System.Globalization;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// Constants and references of a block's <c>chunks/</c> directory (Prometheus tsdb/docs/format/chunks.md):
/// segment files <c>000001</c>, <c>000002</c>, ... each starting with an 8-byte header (magic 0x85BD40DD,
/// version 1, 3 zero bytes) followed by chunks <c>len uvarint | encoding byte | data | CRC32C(encoding, data)</c>.
/// A chunk reference is <c>(segment index &lt;&lt; 32) | byte offset</c>, the segment index counting from 0
/// for <c>000001</c>.
/// </summary>
public static class ChunkSegments
{
    /// <summary>The magic number opening every segment (big-endian).</summary>
    public const uint Magic = 0x85BD40DD;

    /// <summary>The segment format version.</summary>
    public const byte Version = 1;

    /// <summary>Magic, version and padding.</summary>
    public const int HeaderSize = 8;

    /// <summary>Prometheus's default segment size limit (512 MiB); a segment is cut before it would grow past it.</summary>
    public const long DefaultMaxSegmentSize = 512L * 1024 * 1024;

    /// <summary>The chunk reference for <paramref name="offset"/> in segment <paramref name="segmentIndex"/> (0-based).</summary>
    public static ulong PackRef(int segmentIndex, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(segmentIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, uint.MaxValue);
        return ((ulong)segmentIndex << 32) | (ulong)offset;
    }

    /// <summary>The 0-based segment index of a chunk reference.</summary>
    public static int SegmentIndex(ulong chunkRef) => (int)(chunkRef >> 32);

    /// <summary>The byte offset within its segment of a chunk reference.</summary>
    public static long Offset(ulong chunkRef) => (long)(uint)chunkRef;

    /// <summary>The file name of segment <paramref name="segmentIndex"/> (0-based): <c>000001</c> for 0 (Go's <c>%0.6d</c> of index + 1).</summary>
    public static string FileName(int segmentIndex) => (segmentIndex + 1).ToString("D6", CultureInfo.InvariantCulture);
}

/// <summary>One chunk as stored: its encoding byte (1 = XOR) and its bytes.</summary>
/// <param name="Encoding">Prometheus's <c>chunkenc.Encoding</c>: 1 XOR, 2 histogram, 3 float histogram.</param>
/// <param name="Data">The chunk bytes; for a block reader, valid while the reader is open.</param>
public readonly record struct ChunkData(byte Encoding, ReadOnlyMemory<byte> Data);
