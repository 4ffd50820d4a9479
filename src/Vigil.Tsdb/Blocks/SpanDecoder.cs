using System.Buffers.Binary;
using System.Text;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// Reads the primitives of <see cref="EncodeBuffer"/> back from a span, like Prometheus's <c>Decbuf</c>:
/// a read past the end or a malformed varint sets <see cref="Failed"/> (with <see cref="FailedAt"/>)
/// and returns zero, so a decode loop checks once at the end and the caller turns it into a located error.
/// </summary>
internal ref struct SpanDecoder
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public SpanDecoder(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
        Failed = false;
        FailedAt = -1;
    }

    /// <summary>Whether a read ran past the end or met a malformed varint.</summary>
    public bool Failed { get; private set; }

    /// <summary>The position of the first failed read.</summary>
    public int FailedAt { get; private set; }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public byte Byte()
    {
        if (!Ensure(1))
        {
            return 0;
        }
        return _data[_position++];
    }

    public uint Be32()
    {
        if (!Ensure(4))
        {
            return 0;
        }
        var v = BinaryPrimitives.ReadUInt32BigEndian(_data[_position..]);
        _position += 4;
        return v;
    }

    public ulong Be64()
    {
        if (!Ensure(8))
        {
            return 0;
        }
        var v = BinaryPrimitives.ReadUInt64BigEndian(_data[_position..]);
        _position += 8;
        return v;
    }

    public ulong Uvarint()
    {
        if (Failed)
        {
            return 0;
        }
        var n = Blocks.Varint.ReadUvarint(_data[_position..], out var v);
        if (n <= 0)
        {
            Fail();
            return 0;
        }
        _position += n;
        return v;
    }

    public long Varint() => Blocks.Varint.UnZigZag(Uvarint());

    /// <summary>A uvarint that must fit 32 bits (Go's <c>Uvarint32</c> use for symbol references).</summary>
    public uint Uvarint32()
    {
        var start = _position;
        var v = Uvarint();
        if (v > uint.MaxValue)
        {
            _position = start;
            Fail();
            return 0;
        }
        return (uint)v;
    }

    /// <summary>A uvarint length, then that many bytes.</summary>
    public ReadOnlySpan<byte> UvarintBytes()
    {
        var start = _position;
        var length = Uvarint();
        if (Failed)
        {
            return default;
        }
        if (length > (ulong)Remaining)
        {
            _position = start;
            Fail();
            return default;
        }
        var bytes = _data.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    public string UvarintString() => Encoding.UTF8.GetString(UvarintBytes());

    public void Skip(int count)
    {
        if (Ensure(count))
        {
            _position += count;
        }
    }

    private bool Ensure(int count)
    {
        if (Failed)
        {
            return false;
        }
        if (count < 0 || _data.Length - _position < count)
        {
            Fail();
            return false;
        }
        return true;
    }

    private void Fail()
    {
        if (!Failed)
        {
            Failed = true;
            FailedAt = _position;
        }
    }
}
