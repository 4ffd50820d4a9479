using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// Reads chunks from a block's <c>chunks/</c> directory by reference, checking bounds and each chunk's
/// CRC32C, so a corrupt chunk is an error naming the file and offset, never wrong samples. Files are
/// memory-mapped (see <see cref="MappedFile"/> for why); returned chunk bytes are valid until
/// <see cref="Dispose"/>. Thread-safe for reads.
/// </summary>
public sealed class ChunkSegmentReader : IDisposable
{
    private readonly MappedFile[] _segments;

    private ChunkSegmentReader(string directory, MappedFile[] segments)
    {
        Directory = directory;
        _segments = segments;
    }

    /// <summary>The chunks directory.</summary>
    public string Directory { get; }

    /// <summary>The number of segment files.</summary>
    public int SegmentCount => _segments.Length;

    /// <summary>The total size of the segment files in bytes.</summary>
    public long Size
    {
        get
        {
            long total = 0;
            foreach (var s in _segments)
            {
                total += s.Length;
            }
            return total;
        }
    }

    /// <summary>
    /// Opens every segment in <paramref name="directory"/>: the files whose names are decimal numbers, in name
    /// order (as Prometheus's <c>sequenceFiles</c>), each checked for magic and version.
    /// </summary>
    /// <exception cref="BlockFormatException">A segment header is short, or has the wrong magic or version.</exception>
    public static ChunkSegmentReader Open(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var names = new List<string>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (name.Length > 0 && ulong.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                names.Add(name);
            }
        }
        names.Sort(StringComparer.Ordinal);
        var segments = new List<MappedFile>(names.Count);
        try
        {
            foreach (var name in names)
            {
                var file = MappedFile.Open(Path.Combine(directory, name));
                segments.Add(file);
                CheckHeader(file);
            }
        }
        catch
        {
            foreach (var s in segments)
            {
                s.Dispose();
            }
            throw;
        }
        return new ChunkSegmentReader(directory, [.. segments]);
    }

    /// <summary>The chunk at <paramref name="chunkRef"/>.</summary>
    /// <exception cref="BlockFormatException">The reference points outside the files, the chunk is truncated, or its CRC does not match.</exception>
    public ChunkData Read(ulong chunkRef)
        => TryRead(chunkRef, out var chunk, out var error) ? chunk : throw error.ToException();

    /// <summary>The chunk at <paramref name="chunkRef"/>, or the reason it cannot be read.</summary>
    public bool TryRead(ulong chunkRef, out ChunkData chunk, out BlockFormatError error)
    {
        chunk = default;
        var index = ChunkSegments.SegmentIndex(chunkRef);
        var offset = ChunkSegments.Offset(chunkRef);
        if (index >= _segments.Length)
        {
            error = new BlockFormatError(Directory, "chunk reference", offset, $"segment index {index} out of range: the block has {_segments.Length} segment file(s)");
            return false;
        }
        var file = _segments[index];
        if (offset < ChunkSegments.HeaderSize || offset >= file.Length)
        {
            error = new BlockFormatError(file.Path, "chunk", offset, $"chunk offset outside the segment's data [{ChunkSegments.HeaderSize}, {file.Length})");
            return false;
        }
        var head = file.Span(offset, (int)Math.Min(Varint.MaxLength32, file.Length - offset));
        var n = Varint.ReadUvarint(head, out var dataLength);
        if (n <= 0)
        {
            error = new BlockFormatError(file.Path, "chunk", offset, n == 0 ? "truncated in the length field" : "malformed length varint");
            return false;
        }
        var encodingAt = offset + n;
        var end = encodingAt + 1 + (long)Math.Min(dataLength, int.MaxValue) + 4;
        if (dataLength > int.MaxValue || end > file.Length)
        {
            error = new BlockFormatError(file.Path, "chunk", offset, $"truncated: a chunk of {dataLength} data bytes needs the file to reach {end}, it has {file.Length} bytes");
            return false;
        }
        var covered = file.Span(encodingAt, 1 + (int)dataLength);
        var stored = BinaryPrimitives.ReadUInt32BigEndian(file.Span(end - 4, 4));
        var computed = Crc32C.Compute(covered);
        if (stored != computed)
        {
            error = new BlockFormatError(file.Path, "chunk", offset, $"CRC32C mismatch: stored {stored:x8}, computed {computed:x8}");
            return false;
        }
        chunk = new ChunkData(covered[0], file.Memory(encodingAt + 1, (int)dataLength));
        error = default;
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var s in _segments)
        {
            s.Dispose();
        }
    }

    private static void CheckHeader(MappedFile file)
    {
        if (file.Length < ChunkSegments.HeaderSize)
        {
            Throw(file, 0, $"segment header truncated: {file.Length} of {ChunkSegments.HeaderSize} bytes");
        }
        var header = file.Span(0, ChunkSegments.HeaderSize);
        var magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (magic != ChunkSegments.Magic)
        {
            Throw(file, 0, $"bad magic {magic:x8}, expected {ChunkSegments.Magic:x8}");
        }
        if (header[4] != ChunkSegments.Version)
        {
            Throw(file, 4, $"unknown chunk segment version {header[4]}, expected {ChunkSegments.Version}");
        }
    }

    [DoesNotReturn]
    private static void Throw(MappedFile file, long offset, string reason) => throw new BlockFormatException(file.Path, "segment header", offset, reason);
}
