using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Vigil.Tsdb.Wal;

/// <summary>Appends a record to an <see cref="IBufferWriter{T}"/>, asking it for space in blocks rather than per field.</summary>
internal ref struct RecordWriter(IBufferWriter<byte> output)
{
    private const int BlockSize = 4096;
    private readonly IBufferWriter<byte> _output = output;
    private Span<byte> _span;
    private int _position;
    private int _written;

    /// <summary>Makes room for at least <paramref name="count"/> more bytes.</summary>
    public void Ensure(int count)
    {
        if (_span.Length - _position >= count)
        {
            return;
        }
        Commit();
        _span = _output.GetSpan(Math.Max(count, BlockSize));
    }

    public void WriteByte(byte value) => _span[_position++] = value;

    public void WriteBigEndian64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_span[_position..], value);
        _position += 8;
    }

    /// <summary>Go's <c>binary.PutUvarint</c>.</summary>
    public void WriteUvarint(ulong value)
    {
        var span = _span;
        var i = _position;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        _position = i;
    }

    /// <summary>Go's <c>binary.PutVarint</c> (zig-zag).</summary>
    public void WriteVarint(long value) => WriteUvarint((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>A uvarint length, then the string's UTF-8 bytes (lone surrogates become U+FFFD).</summary>
    public void WriteUvarintString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        Ensure(10 + count);
        WriteUvarint((ulong)count);
        _position += Encoding.UTF8.GetBytes(value, _span[_position..]);
    }

    /// <summary>Hands what was written to the buffer writer; returns the total written by this writer.</summary>
    public int Complete()
    {
        Commit();
        return _written;
    }

    private void Commit()
    {
        if (_position > 0)
        {
            _output.Advance(_position);
            _written += _position;
        }
        _span = default;
        _position = 0;
    }
}
