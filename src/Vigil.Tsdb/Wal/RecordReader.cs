using System.Buffers.Binary;

namespace Vigil.Tsdb.Wal;

/// <summary>Bounds-checked reads from a record: every read says whether the bytes were there.</summary>
internal ref struct RecordReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public bool TryReadByte(out byte value)
    {
        if (_position >= _data.Length)
        {
            value = 0;
            return false;
        }
        value = _data[_position++];
        return true;
    }

    public bool TryReadBigEndian64(out ulong value)
    {
        if (_data.Length - _position < 8)
        {
            value = 0;
            return false;
        }
        value = BinaryPrimitives.ReadUInt64BigEndian(_data[_position..]);
        _position += 8;
        return true;
    }

    /// <summary>Go's <c>binary.Uvarint</c>: at most ten bytes, the tenth at most 1.</summary>
    public bool TryReadUvarint(out ulong value)
    {
        value = 0;
        var shift = 0;
        for (var i = 0; i < 10; i++)
        {
            if (_position >= _data.Length)
            {
                return false;
            }
            var b = _data[_position++];
            if (b < 0x80)
            {
                if (i == 9 && b > 1)
                {
                    return false;
                }
                value |= (ulong)b << shift;
                return true;
            }
            value |= (ulong)(b & 0x7f) << shift;
            shift += 7;
        }
        return false;
    }

    /// <summary>Go's <c>binary.Varint</c>: zig-zag over <see cref="TryReadUvarint"/>.</summary>
    public bool TryReadVarint(out long value)
    {
        if (!TryReadUvarint(out var u))
        {
            value = 0;
            return false;
        }
        value = (long)(u >> 1) ^ -(long)(u & 1);
        return true;
    }

    public bool TryReadBytes(int length, out ReadOnlySpan<byte> bytes)
    {
        if (length < 0 || _data.Length - _position < length)
        {
            bytes = default;
            return false;
        }
        bytes = _data.Slice(_position, length);
        _position += length;
        return true;
    }
}
