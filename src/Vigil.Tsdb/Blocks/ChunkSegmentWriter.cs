using System.Buffers.Binary;
using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// Writes chunks into a block's <c>chunks/</c> directory in Prometheus's segment format (see
/// <see cref="ChunkSegments"/>), returning each chunk's reference. Cuts a new segment when the next chunk
/// would take the current one past the size limit, counting the length field at its maximum of 5 bytes as
/// Prometheus does. Not thread-safe.
/// </summary>
public sealed class ChunkSegmentWriter : IDisposable
{
    private readonly string _directory;
    private readonly IFileSystem _fileSystem;
    private readonly long _maxSegmentSize;
    private readonly EncodeBuffer _frame = new(64);
    private BufferedFile? _current;
    private int _segmentIndex = -1;
    private bool _completed;

    /// <summary>A writer creating segments in <paramref name="directory"/> (created if missing, must hold no segments).</summary>
    public ChunkSegmentWriter(string directory, IFileSystem? fileSystem = null, long maxSegmentSize = ChunkSegments.DefaultMaxSegmentSize)
    {
        ArgumentNullException.ThrowIfNull(directory);
        // Offsets are 32 bits in a chunk reference.
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegmentSize, ChunkSegments.HeaderSize + 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSegmentSize, (long)uint.MaxValue);
        _directory = directory;
        _fileSystem = fileSystem ?? PhysicalFileSystem.Instance;
        _maxSegmentSize = maxSegmentSize;
        _fileSystem.CreateDirectory(directory);
    }

    /// <summary>The number of segment files started so far.</summary>
    public int SegmentCount => _segmentIndex + 1;

    /// <summary>The total bytes written, headers included.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Appends one chunk; returns its reference.</summary>
    public ulong Append(byte encoding, ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        // What Prometheus reserves for a chunk: max length field, encoding, data, CRC.
        var reserve = Varint.MaxLength32 + 1L + data.Length + 4;
        if (_current is null || (_current.Position > ChunkSegments.HeaderSize && _current.Position + reserve > _maxSegmentSize))
        {
            Cut();
        }
        var file = _current!;
        var offset = file.Position;
        if (offset > uint.MaxValue)
        {
            throw new InvalidOperationException($"chunk offset {offset} in \"{file.Path}\" does not fit a 32-bit chunk reference");
        }

        _frame.Clear();
        _frame.PutUvarint((ulong)data.Length);
        _frame.PutByte(encoding);
        file.Write(_frame.WrittenSpan);
        file.Write(data);
        // tsdb/docs/format/chunks.md: the CRC32 covers the encoding byte and the data.
        Span<byte> encodingByte = [encoding];
        var crc = Crc32C.Append(Crc32C.Compute(encodingByte), data);
        Span<byte> sum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(sum, crc);
        file.Write(sum);
        BytesWritten += file.Position - offset;
        return ChunkSegments.PackRef(_segmentIndex, offset);
    }

    /// <summary>Flushes and fsyncs the last segment and closes it. Directory entries are the caller's to sync.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        _current?.Sync();
        _current?.Dispose();
        _current = null;
        _completed = true;
    }

    /// <summary>Closes without syncing (after a failure); <see cref="Complete"/> is the successful end.</summary>
    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
        _completed = true;
    }

    private void Cut()
    {
        if (_current is not null)
        {
            _current.Sync();
            _current.Dispose();
            _current = null;
        }
        _segmentIndex++;
        var path = Path.Combine(_directory, ChunkSegments.FileName(_segmentIndex));
        if (_fileSystem.FileExists(path))
        {
            throw new IOException($"chunk segment \"{path}\" already exists; a block's chunks are written once, into a new directory");
        }
        _current = new BufferedFile(_fileSystem.OpenAppend(path, create: true));
        Span<byte> header = stackalloc byte[ChunkSegments.HeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(header, ChunkSegments.Magic);
        header[4] = ChunkSegments.Version;
        _current.Write(header);
        BytesWritten += ChunkSegments.HeaderSize;
    }
}
