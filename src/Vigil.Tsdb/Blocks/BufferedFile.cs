using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// Buffers appends to an <see cref="IWritableFile"/> (whose appends go straight to the OS) and tracks the
/// logical position, so writers can align sections and record offsets. Not thread-safe.
/// </summary>
internal sealed class BufferedFile : IDisposable
{
    private const int BufferSize = 1 << 20;

    private readonly IWritableFile _file;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _buffered;

    public BufferedFile(IWritableFile file)
    {
        _file = file;
        Position = file.Length;
    }

    public string Path => _file.Path;

    /// <summary>The offset the next byte will be written at.</summary>
    public long Position { get; private set; }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.Length >= BufferSize)
        {
            Flush();
            _file.Append(data);
            Position += data.Length;
            return;
        }
        if (_buffered + data.Length > BufferSize)
        {
            Flush();
        }
        data.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += data.Length;
        Position += data.Length;
    }

    /// <summary>Writes zero bytes until <see cref="Position"/> is a multiple of <paramref name="alignment"/>.</summary>
    public void PadTo(int alignment)
    {
        var rem = (int)(Position % alignment);
        if (rem != 0)
        {
            Span<byte> zeros = stackalloc byte[alignment - rem];
            zeros.Clear();
            Write(zeros);
        }
    }

    public void Flush()
    {
        if (_buffered > 0)
        {
            _file.Append(_buffer.AsSpan(0, _buffered));
            _buffered = 0;
        }
    }

    /// <summary>Flushes and fsyncs.</summary>
    public void Sync()
    {
        Flush();
        _file.Sync();
    }

    public void Dispose() => _file.Dispose();
}
