using System.Buffers.Binary;
using System.Text;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// A growable byte buffer with the primitive writers of Prometheus's <c>encoding.Encbuf</c>: big-endian
/// fixed-width integers, Go varints (LEB128 uvarint; zigzag varint) and uvarint-length-prefixed UTF-8.
/// Block writers build each section here, then checksum and append it in one piece.
/// </summary>
internal sealed class EncodeBuffer
{
    private byte[] _buffer;
    private int _length;

    public EncodeBuffer(int capacity = 256) => _buffer = new byte[Math.Max(capacity, 16)];

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Clear() => _length = 0;

    public void PutByte(byte value) => GetSpan(1)[0] = value;

    public void PutBytes(ReadOnlySpan<byte> data) => data.CopyTo(GetSpan(data.Length));

    public void PutBE32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(GetSpan(4), value);

    public void PutBE64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(GetSpan(8), value);

    /// <summary>Overwrites 4 bytes already written at <paramref name="position"/> (a length placeholder).</summary>
    public void PatchBE32(int position, uint value) => BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(position, 4), value);

    public void PutUvarint(ulong value)
    {
        var span = GetSpan(Varint.MaxLength);
        var n = Varint.WriteUvarint(span, value);
        _length -= Varint.MaxLength - n;
    }

    public void PutVarint(long value) => PutUvarint(Varint.ZigZag(value));

    /// <summary>A uvarint byte length followed by the UTF-8 bytes (Go's <c>PutUvarintStr</c>).</summary>
    public void PutUvarintString(string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        PutUvarint((ulong)byteCount);
        Encoding.UTF8.GetBytes(value, GetSpan(byteCount));
    }

    /// <summary>Appends zero bytes until <c>(basePosition + Length) % alignment == 0</c>.</summary>
    public void PadTo(long basePosition, int alignment)
    {
        var rem = (int)((basePosition + _length) % alignment);
        if (rem != 0)
        {
            GetSpan(alignment - rem).Clear();
        }
    }

    /// <summary>Reserves <paramref name="count"/> bytes at the end and returns them (counted as written).</summary>
    private Span<byte> GetSpan(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
