namespace Vigil.Tsdb.Blocks;

/// <summary>Go's <c>encoding/binary</c> varints: LEB128 unsigned, and zigzag for signed values.</summary>
internal static class Varint
{
    /// <summary>The longest encoding of a 64-bit value (Go's <c>binary.MaxVarintLen64</c>).</summary>
    public const int MaxLength = 10;

    /// <summary>The longest encoding of a 32-bit value (Go's <c>binary.MaxVarintLen32</c>).</summary>
    public const int MaxLength32 = 5;

    public static ulong ZigZag(long value) => ((ulong)value << 1) ^ (ulong)(value >> 63);

    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Writes <paramref name="value"/> as a uvarint; returns the number of bytes (1..10).</summary>
    public static int WriteUvarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>
    /// Reads a uvarint as Go's <c>binary.Uvarint</c> does: returns the byte count, 0 when the input ends
    /// first, or a negative count when the value overflows 64 bits.
    /// </summary>
    public static int ReadUvarint(ReadOnlySpan<byte> source, out ulong value)
    {
        ulong x = 0;
        var shift = 0;
        for (var i = 0; i < source.Length; i++)
        {
            if (i == MaxLength)
            {
                value = 0;
                return -(i + 1);
            }
            var b = source[i];
            if (b < 0x80)
            {
                if (i == MaxLength - 1 && b > 1)
                {
                    value = 0;
                    return -(i + 1);
                }
                value = x | ((ulong)b << shift);
                return i + 1;
            }
            x |= (ulong)(b & 0x7f) << shift;
            shift += 7;
        }
        value = 0;
        return 0;
    }
}
