using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Vigil.Tsdb.Chunks;

/// <summary>
/// Appends samples to an <see cref="XorChunk"/>, writing the same bits as Prometheus 2.42's
/// <c>xorAppender</c> (tsdb/chunkenc/xor.go). Allocates nothing once the chunk's buffer is large enough.
/// </summary>
public sealed class XorAppender
{
    // Marks "no value window yet", so the first changed value always opens one (Prometheus's leading = 0xff).
    private const int NoWindow = 0xff;

    private readonly XorChunk _chunk;
    private long _t;
    private ulong _valueBits;
    private ulong _tDelta;
    private int _leading;
    private int _trailing;

    internal XorAppender(XorChunk chunk)
    {
        _chunk = chunk;
        _leading = NoWindow;
    }

    internal XorAppender(XorChunk chunk, long t, ulong valueBits, ulong tDelta, int leading, int trailing)
    {
        _chunk = chunk;
        _t = t;
        _valueBits = valueBits;
        _tDelta = tDelta;
        _leading = leading;
        _trailing = trailing;
    }

    /// <summary>The chunk being appended to.</summary>
    public XorChunk Chunk => _chunk;

    /// <summary>
    /// Appends one sample. <paramref name="t"/> must be after the previous sample's timestamp; the value
    /// may be anything, its bits are kept exactly (NaN payloads, the stale marker, -0.0).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is not after the previous timestamp.</exception>
    /// <exception cref="InvalidOperationException">The chunk already holds <see cref="XorChunk.MaxSamples"/> samples.</exception>
    public void Append(long t, double v)
    {
        ref BitWriter writer = ref _chunk.Writer;
        Span<byte> header = writer.Buffer;
        int count = BinaryPrimitives.ReadUInt16BigEndian(header);
        ulong bits = BitConverter.DoubleToUInt64Bits(v);
        ulong tDelta = 0;

        if (count == 0)
        {
            // First sample: the timestamp as a zigzag varint (Go's binary.PutVarint), the value's 64 bits.
            WriteUvarint(ref writer, ((ulong)t << 1) ^ (ulong)(t >> 63));
            writer.WriteBits(bits, 64);
        }
        else
        {
            if (t <= _t)
            {
                ThrowNotIncreasing(t, _t);
            }

            if (count == XorChunk.MaxSamples)
            {
                ThrowFull();
            }

            tDelta = (ulong)(t - _t);
            if (count == 1)
            {
                // Second sample: the timestamp delta as a uvarint.
                WriteUvarint(ref writer, tDelta);
            }
            else
            {
                WriteDeltaOfDelta(ref writer, (long)(tDelta - _tDelta));
            }

            WriteValue(ref writer, bits);
        }

        // The buffer may have moved while writing.
        BinaryPrimitives.WriteUInt16BigEndian(writer.Buffer, (ushort)(count + 1));
        _t = t;
        _valueBits = bits;
        _tDelta = tDelta;
    }

    private static void WriteUvarint(ref BitWriter writer, ulong value)
    {
        while (value >= 0x80)
        {
            writer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        writer.WriteByte((byte)value);
    }

    private static void WriteDeltaOfDelta(ref BitWriter writer, long dod)
    {
        // Buckets in milliseconds (Gorilla's are in seconds, hence wider): '0' for 0, then
        // '10' + 14 bits, '110' + 17, '1110' + 20, '1111' + 64. Each prefix and payload is one
        // bstream.writeBits call in Prometheus; merging them here writes the same bits.
        if (dod == 0)
        {
            writer.WriteBit(false);
        }
        else if (FitsIn(dod, 14))
        {
            writer.Write((0b10UL << 14) | ((ulong)dod & 0x3FFF), 16, 14);
        }
        else if (FitsIn(dod, 17))
        {
            writer.Write((0b110UL << 17) | ((ulong)dod & 0x1FFFF), 20, 17);
        }
        else if (FitsIn(dod, 20))
        {
            writer.Write((0b1110UL << 20) | ((ulong)dod & 0xFFFFF), 24, 20);
        }
        else
        {
            writer.WriteBits(0b1111, 4);
            writer.WriteBits((ulong)dod, 64);
        }
    }

    // Prometheus's bitRange: -(2^(n-1) - 1) <= x <= 2^(n-1).
    private static bool FitsIn(long x, int bits) => x >= -((1L << (bits - 1)) - 1) && x <= 1L << (bits - 1);

    private void WriteValue(ref BitWriter writer, ulong bits)
    {
        ulong xor = bits ^ _valueBits;
        if (xor == 0)
        {
            writer.WriteBit(false);
            return;
        }

        // Leading zeros are stored in 5 bits, so at most 31.
        int leading = Math.Min(BitOperations.LeadingZeroCount(xor), 31);
        int trailing = BitOperations.TrailingZeroCount(xor);

        if (_leading != NoWindow && leading >= _leading && trailing >= _trailing)
        {
            // '10' then the XOR's bits inside the previous window.
            int significant = 64 - _leading - _trailing;
            ulong payload = xor >> _trailing;
            if (significant <= 62)
            {
                writer.Write((0b10UL << significant) | payload, significant + 2, significant);
            }
            else
            {
                writer.WriteBits(0b10, 2);
                writer.WriteBits(payload, significant);
            }

            return;
        }

        // '11', 5 bits of leading zeros, 6 bits of significant-bit count (64 wraps to 0), the bits.
        _leading = leading;
        _trailing = trailing;
        int width = 64 - leading - trailing;
        writer.WriteBits((0b11UL << 11) | ((ulong)leading << 6) | ((ulong)width & 63), 13);
        writer.WriteBits(xor >> trailing, width);
    }

    [DoesNotReturn]
    private static void ThrowNotIncreasing(long t, long previous) =>
        throw new ArgumentOutOfRangeException(nameof(t), t, $"Timestamp must be after the previous sample's ({previous.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");

    [DoesNotReturn]
    private static void ThrowFull() =>
        throw new InvalidOperationException($"The chunk already holds {XorChunk.MaxSamples} samples, the most its 16-bit header can count.");
}
