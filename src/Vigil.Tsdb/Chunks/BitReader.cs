using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Vigil.Tsdb.Chunks;

/// <summary>
/// Reads bits most-significant first through a 64-bit buffer, refilled eight bytes at a time
/// (Prometheus's <c>bstreamReader</c>, tsdb/chunkenc/bstream.go).
/// </summary>
/// <remarks>
/// The stream is passed to the methods that may refill rather than held, so the struct can live in a
/// class (an iterator over <see cref="ReadOnlyMemory{T}"/>) and the span is only fetched on the slow path:
/// call <see cref="TryReadFast"/> first and fall back to <see cref="TryRead"/>. A mutable struct: keep it in
/// a field, never copy it. After a failed read the position is unspecified; callers stop there.
/// </remarks>
internal struct BitReader
{
    private ulong _buffer;
    private int _valid;
    private int _offset;

    /// <summary>Bits consumed so far, from the start of the stream.</summary>
    public readonly long Position => (_offset * 8L) - _valid;

    /// <summary>Reads <paramref name="count"/> bits (1..64) if they are all already buffered.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadFast(int count, out ulong value)
    {
        if (count > _valid)
        {
            value = 0;
            return false;
        }

        _valid -= count;
        value = (_buffer >> _valid) & (ulong.MaxValue >> (64 - count));
        return true;
    }

    /// <summary>Reads one bit if it is already buffered.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadBitFast(out bool bit)
    {
        if (_valid == 0)
        {
            bit = false;
            return false;
        }

        _valid--;
        bit = ((_buffer >> _valid) & 1) != 0;
        return true;
    }

    /// <summary>The next <paramref name="count"/> bits (1..4) without consuming them, if buffered; used to decode short prefixes at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool TryPeekFast(int count, out ulong value)
    {
        if (count > _valid)
        {
            value = 0;
            return false;
        }

        value = (_buffer >> (_valid - count)) & (ulong.MaxValue >> (64 - count));
        return true;
    }

    /// <summary>Consumes <paramref name="count"/> bits already seen through <see cref="TryPeekFast"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Skip(int count) => _valid -= count;

    /// <summary>Reads <paramref name="count"/> bits (1..64), refilling from <paramref name="stream"/>; false at the end of the stream.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // the slow path: keep callers' hot loops small
    public bool TryRead(ReadOnlySpan<byte> stream, int count, out ulong value)
    {
        if (TryReadFast(count, out value))
        {
            return true;
        }

        // Take what is left in the buffer as the high part, then the rest from the next load.
        int have = _valid;
        ulong high = have == 0 ? 0 : _buffer & (ulong.MaxValue >> (64 - have));
        int need = count - have;
        _valid = 0;
        if (!Load(stream) || need > _valid)
        {
            value = 0;
            return false;
        }

        _valid -= need;
        ulong low = (_buffer >> _valid) & (ulong.MaxValue >> (64 - need));
        value = need == 64 ? low : (high << need) | low;
        return true;
    }

    private bool Load(ReadOnlySpan<byte> stream)
    {
        int remaining = stream.Length - _offset;
        if (remaining <= 0)
        {
            return false;
        }

        if (remaining >= 8)
        {
            _buffer = BinaryPrimitives.ReadUInt64BigEndian(stream[_offset..]);
            _offset += 8;
            _valid = 64;
            return true;
        }

        ulong buffer = 0;
        for (int i = 0; i < remaining; i++)
        {
            buffer = (buffer << 8) | stream[_offset + i];
        }

        _buffer = buffer;
        _offset += remaining;
        _valid = remaining * 8;
        return true;
    }
}
