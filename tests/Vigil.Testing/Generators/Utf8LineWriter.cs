using System.Globalization;
using System.Text;

namespace Vigil.Testing.Generators;

/// <summary>Buffers UTF-8 text on its way to a stream: raw bytes, ASCII strings, integers and Go-parsable floats.</summary>
internal sealed class Utf8LineWriter(Stream destination) : IDisposable
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _used;

    /// <summary>Bytes handed on so far, flushed or not.</summary>
    public long BytesWritten { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _used)
        {
            Flush();
            if (bytes.Length > _buffer.Length)
            {
                destination.Write(bytes);
                BytesWritten += bytes.Length;
                return;
            }
        }
        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
        BytesWritten += bytes.Length;
    }

    public void Write(string ascii) => Write(Encoding.UTF8.GetBytes(ascii));

    public void Write(byte b)
    {
        if (_used == _buffer.Length)
        {
            Flush();
        }
        _buffer[_used++] = b;
        BytesWritten++;
    }

    public void Write(long value)
    {
        Reserve(24);
        value.TryFormat(_buffer.AsSpan(_used), out var n, default, CultureInfo.InvariantCulture);
        _used += n;
        BytesWritten += n;
    }

    /// <summary>The shortest round-trip form ("R"), which Go's strconv.ParseFloat reads back to the same double; NaN and ±Inf as OpenMetrics spells them.</summary>
    public void Write(double value)
    {
        if (double.IsNaN(value))
        {
            Write("NaN"u8);
            return;
        }
        if (double.IsInfinity(value))
        {
            Write(value > 0 ? "+Inf"u8 : "-Inf"u8);
            return;
        }
        Reserve(32);
        value.TryFormat(_buffer.AsSpan(_used), out var n, "R", CultureInfo.InvariantCulture);
        _used += n;
        BytesWritten += n;
    }

    public void Flush()
    {
        destination.Write(_buffer, 0, _used);
        _used = 0;
    }

    public void Dispose() => Flush();

    private void Reserve(int bytes)
    {
        if (_buffer.Length - _used < bytes)
        {
            Flush();
        }
    }
}
