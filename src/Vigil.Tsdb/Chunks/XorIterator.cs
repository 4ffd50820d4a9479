using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using Vigil.Model;
using Vigil.Storage;

namespace Vigil.Tsdb.Chunks;

/// <summary>
/// Decodes an XOR chunk (<see cref="ChunkEncoding.Xor"/>, docs/format/chunks.md): <c>Next</c>/<c>Seek</c>,
/// then <c>At</c>. Reusable through <see cref="Reset"/>, which allocates nothing; decoding allocates nothing.
/// </summary>
/// <remarks>
/// Corrupt or truncated bytes end iteration with <see cref="DecodeError"/> (a value with the sample index and
/// bit offset) and <see cref="Error"/> (the same as an exception object, made on first access); nothing
/// throws, and never more samples than the header announces are returned. The iterator reads the header
/// once in <see cref="Reset"/>, so it may run while an appender adds samples to the same chunk: the bits
/// of samples already counted never change.
/// </remarks>
public sealed class XorIterator : ISampleIterator
{
    private const int HeaderBits = XorChunk.HeaderSize * 8;

    private ReadOnlyMemory<byte> _data;
    private BitReader _reader;
    private int _announced;
    private int _limit;
    private int _read;
    private long _t;
    private ulong _valueBits;
    private ulong _tDelta;
    private int _leading;
    private int _trailing;
    private ChunkDecodeError _error;
    private ChunkCorruptedException? _exception;

    /// <summary>An iterator over nothing; call <see cref="Reset"/> before use.</summary>
    public XorIterator()
    {
    }

    /// <summary>An iterator over the chunk bytes <paramref name="chunk"/> (header included).</summary>
    public XorIterator(ReadOnlyMemory<byte> chunk) => Reset(chunk);

    /// <summary>The number of samples the chunk's header announces.</summary>
    public int NumSamples => _announced;

    /// <summary>Why decoding stopped early, if it did; <c>default</c> otherwise.</summary>
    public ChunkDecodeError DecodeError => _error;

    /// <inheritdoc/>
    public Exception? Error => _error.IsError ? _exception ??= new ChunkCorruptedException(_error) : null;

    internal long LastTimestamp => _t;

    internal ulong LastValueBits => _valueBits;

    internal ulong LastTimestampDelta => _tDelta;

    internal int Leading => _leading;

    internal int Trailing => _trailing;

    internal long BitPosition => HeaderBits + _reader.Position;

    // Widths of the delta-of-delta after a '0', '10', '110', '1110' or '1111' prefix (indexed by the count of leading ones).
    private static ReadOnlySpan<byte> DodWidths => [0, 14, 17, 20, 64];

    /// <summary>Points the iterator at new chunk bytes (header included) and rewinds it. Allocates nothing.</summary>
    public void Reset(ReadOnlyMemory<byte> chunk)
    {
        _reader = default;
        _read = 0;
        _t = long.MinValue;
        _valueBits = 0;
        _tDelta = 0;
        _leading = 0;
        _trailing = 0;
        _error = default;
        _exception = null;
        if (chunk.Length < XorChunk.HeaderSize)
        {
            _data = default;
            _announced = 0;
            _limit = 0;
            _error = new ChunkDecodeError(ChunkDecodeErrorKind.HeaderTooShort, 0, chunk.Length * 8L);
            return;
        }

        _announced = BinaryPrimitives.ReadUInt16BigEndian(chunk.Span);
        _limit = _announced;
        _data = chunk[XorChunk.HeaderSize..];
    }

    /// <inheritdoc/>
    public Sample At() => new(_t, BitConverter.UInt64BitsToDouble(_valueBits));

    /// <inheritdoc/>
    public bool Seek(long timestampMs)
    {
        // As Prometheus: never moves backwards, and stays on the current sample when it already qualifies.
        if (_error.IsError)
        {
            return false;
        }

        while (timestampMs > _t || _read == 0)
        {
            if (!Next())
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public bool Next()
    {
        // Fail() lowers _limit to _read, so this one comparison also stops after an error.
        if (_read >= _limit)
        {
            return false;
        }

        if (_read < 2)
        {
            return _read == 0 ? ReadFirst() : ReadSecond();
        }

        // Delta-of-delta: a prefix of up to four bits ('0', '10', '110', '1110', '1111') picks the width.
        int ones;
        if (_reader.TryPeekFast(4, out ulong prefix))
        {
            ones = Math.Min(BitOperations.LeadingZeroCount(~prefix << 60), 4);
            _reader.Skip(Math.Min(ones + 1, 4));
        }
        else if ((ones = ReadPrefixSlow()) < 0)
        {
            return Fail(ChunkDecodeErrorKind.UnexpectedEnd);
        }

        long dod = 0;
        int width = DodWidths[ones];
        if (width != 0)
        {
            if (!_reader.TryReadFast(width, out ulong bits) && !_reader.TryRead(_data.Span, width, out bits))
            {
                return Fail(ChunkDecodeErrorKind.UnexpectedEnd);
            }

            // The bucket holds two's complement in 'width' bits, biased so that it spans
            // -(2^(width-1) - 1) .. 2^(width-1); 2^(width-1) itself reads back as positive.
            if (width != 64 && bits > (1UL << (width - 1)))
            {
                bits -= 1UL << width;
            }

            dod = (long)bits;
        }

        _tDelta = (ulong)((long)_tDelta + dod);
        return AdvanceTimestamp() && ReadValue();
    }

    private bool ReadFirst()
    {
        ReadOnlySpan<byte> data = _data.Span;
        if (!TryReadUvarint(data, out ulong zigzag, out ChunkDecodeErrorKind kind))
        {
            return Fail(kind);
        }

        if (!_reader.TryRead(data, 64, out ulong bits))
        {
            return Fail(ChunkDecodeErrorKind.UnexpectedEnd);
        }

        _t = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
        _valueBits = bits;
        _read = 1;
        return true;
    }

    private bool ReadSecond()
    {
        if (!TryReadUvarint(_data.Span, out ulong delta, out ChunkDecodeErrorKind kind))
        {
            return Fail(kind);
        }

        _tDelta = delta;
        return AdvanceTimestamp() && ReadValue();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool AdvanceTimestamp()
    {
        long t = _t + (long)_tDelta;
        if (t <= _t)
        {
            return Fail(ChunkDecodeErrorKind.NonIncreasingTimestamp);
        }

        _t = t;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ReadValue()
    {
        // '0': same value; '10': XOR in the previous window; '11': a new window (5 bits leading zeros,
        // 6 bits significant-bit count with 0 meaning 64), then the XOR's significant bits.
        bool changed;
        bool newWindow = false;
        if (_reader.TryPeekFast(2, out ulong control))
        {
            changed = control >= 2;
            newWindow = control == 3;
            _reader.Skip(changed ? 2 : 1);
        }
        else if (!TryReadBit(out changed) || (changed && !TryReadBit(out newWindow)))
        {
            return Fail(ChunkDecodeErrorKind.UnexpectedEnd);
        }

        if (changed)
        {
            if (newWindow)
            {
                if (!_reader.TryReadFast(11, out ulong window) && !_reader.TryRead(_data.Span, 11, out window))
                {
                    return Fail(ChunkDecodeErrorKind.UnexpectedEnd);
                }

                int leading = (int)(window >> 6);
                int significant = (int)(window & 63);
                if (significant == 0)
                {
                    significant = 64;
                }

                if (leading + significant > 64)
                {
                    return Fail(ChunkDecodeErrorKind.InvalidValueWindow);
                }

                _leading = leading;
                _trailing = 64 - leading - significant;
            }

            int count = 64 - _leading - _trailing;
            if (!_reader.TryReadFast(count, out ulong xor) && !_reader.TryRead(_data.Span, count, out xor))
            {
                return Fail(ChunkDecodeErrorKind.UnexpectedEnd);
            }

            _valueBits ^= xor << _trailing;
        }

        _read++;
        return true;
    }

    private bool TryReadBit(out bool bit)
    {
        if (_reader.TryReadBitFast(out bit))
        {
            return true;
        }

        bool ok = _reader.TryRead(_data.Span, 1, out ulong value);
        bit = value != 0;
        return ok;
    }

    // The delta-of-delta prefix bit by bit, near the end of the stream: the count of leading ones, or -1 at the end.
    private int ReadPrefixSlow()
    {
        int ones = 0;
        while (ones < 4)
        {
            if (!TryReadBit(out bool bit))
            {
                return -1;
            }

            if (!bit)
            {
                break;
            }

            ones++;
        }

        return ones;
    }

    // Go's binary.ReadUvarint over the bit stream: at most ten bytes, the tenth at most 1.
    private bool TryReadUvarint(ReadOnlySpan<byte> data, out ulong value, out ChunkDecodeErrorKind error)
    {
        value = 0;
        for (int i = 0, shift = 0; i < 10; i++, shift += 7)
        {
            if (!_reader.TryRead(data, 8, out ulong b))
            {
                error = ChunkDecodeErrorKind.UnexpectedEnd;
                return false;
            }

            if (b < 0x80)
            {
                if (i == 9 && b > 1)
                {
                    break;
                }

                value |= b << shift;
                error = ChunkDecodeErrorKind.None;
                return true;
            }

            value |= (b & 0x7f) << shift;
        }

        error = ChunkDecodeErrorKind.VarintOverflow;
        return false;
    }

    private bool Fail(ChunkDecodeErrorKind kind)
    {
        _error = new ChunkDecodeError(kind, _read, BitPosition);
        _limit = _read;
        return false;
    }
}
