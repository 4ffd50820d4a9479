using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;

namespace Vigil.Tsdb.IO;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum Prometheus's WAL and chunk files use
/// (Go's <c>crc32.MakeTable(crc32.Castagnoli)</c>). System.IO.Hashing only has the IEEE CRC-32, so this uses
/// the SSE4.2 / ARMv8 CRC32C instructions when present and a slicing-by-8 table otherwise.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78;

    // Three interleaved streams hide the crc32 instruction's 3-cycle latency (Go's castagnoliSSE42Triple and
    // Mark Adler's crc32c.c do the same): blocks of 3 x Long (then 3 x Short) bytes are checksummed as three
    // independent streams and combined by "appending zeros" to the earlier ones through lookup tables.
    private const int Long = 4096;
    private const int Short = 256;

    // s_table[k][b]: the CRC of byte b followed by k zero bytes; slicing-by-8 folds eight bytes per step.
    private static readonly uint[][] s_table = BuildTable();
    private static readonly uint[] s_longShift = BuildShift(Long);
    private static readonly uint[] s_shortShift = BuildShift(Short);

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues <paramref name="crc"/> (a finished CRC-32C of earlier bytes) over <paramref name="data"/>.</summary>
    public static unsafe uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        // Pointer loops: no bounds checks, and the instruction is used even in unoptimised (Debug) code,
        // where span slicing per 8 bytes made checksumming ~100x slower and the exhaustive WAL tests crawl.
        var state = ~crc;
        fixed (byte* start = data)
        {
            var p = start;
            var end = start + data.Length;
            if (Sse42.X64.IsSupported)
            {
                return ~AppendSse42X64(state, p, end);
            }
            if (Sse42.IsSupported)
            {
                for (; end - p >= 4; p += 4)
                {
                    state = Sse42.Crc32(state, *(uint*)p);
                }
                for (; p < end; p++)
                {
                    state = Sse42.Crc32(state, *p);
                }
                return ~state;
            }
            if (ArmCrc32.Arm64.IsSupported)
            {
                for (; end - p >= 8; p += 8)
                {
                    state = ArmCrc32.Arm64.ComputeCrc32C(state, *(ulong*)p);
                }
                for (; p < end; p++)
                {
                    state = ArmCrc32.ComputeCrc32C(state, *p);
                }
                return ~state;
            }
        }
        return ~AppendSoftware(state, data);
    }

    private static unsafe uint AppendSse42X64(uint state, byte* p, byte* end)
    {
        ulong crc0 = state;
        while (end - p >= 3 * Long)
        {
            ulong crc1 = 0, crc2 = 0;
            for (var blockEnd = p + Long; p < blockEnd; p += 8)
            {
                crc0 = Sse42.X64.Crc32(crc0, *(ulong*)p);
                crc1 = Sse42.X64.Crc32(crc1, *(ulong*)(p + Long));
                crc2 = Sse42.X64.Crc32(crc2, *(ulong*)(p + (2 * Long)));
            }
            crc0 = Shift(s_longShift, (uint)crc0) ^ crc1;
            crc0 = Shift(s_longShift, (uint)crc0) ^ crc2;
            p += 2 * Long;
        }
        while (end - p >= 3 * Short)
        {
            ulong crc1 = 0, crc2 = 0;
            for (var blockEnd = p + Short; p < blockEnd; p += 8)
            {
                crc0 = Sse42.X64.Crc32(crc0, *(ulong*)p);
                crc1 = Sse42.X64.Crc32(crc1, *(ulong*)(p + Short));
                crc2 = Sse42.X64.Crc32(crc2, *(ulong*)(p + (2 * Short)));
            }
            crc0 = Shift(s_shortShift, (uint)crc0) ^ crc1;
            crc0 = Shift(s_shortShift, (uint)crc0) ^ crc2;
            p += 2 * Short;
        }
        for (; end - p >= 8; p += 8)
        {
            crc0 = Sse42.X64.Crc32(crc0, *(ulong*)p);
        }
        var crc = (uint)crc0;
        for (; p < end; p++)
        {
            crc = Sse42.Crc32(crc, *p);
        }
        return crc;
    }

    /// <summary>The CRC state after <paramref name="crc"/> is followed by the table's number of zero bytes.</summary>
    private static uint Shift(uint[] table, uint crc)
        => table[crc & 0xff] ^ table[256 + ((crc >> 8) & 0xff)] ^ table[512 + ((crc >> 16) & 0xff)] ^ table[768 + (crc >> 24)];

    /// <summary>Four byte-wise lookup tables of the GF(2) operator that appends <paramref name="zeros"/> (a power of two) zero bytes.</summary>
    private static uint[] BuildShift(int zeros)
    {
        // The operator for one zero bit, then squared: two bits, four, ..., eight bits per byte, and on.
        var odd = new uint[32];
        var even = new uint[32];
        odd[0] = Polynomial;
        for (var n = 1; n < 32; n++)
        {
            odd[n] = 1u << (n - 1);
        }
        Square(even, odd); // 2 bits
        Square(odd, even); // 4 bits
        var op = odd;
        for (var bits = 8L * zeros; bits > 4; bits >>= 1)
        {
            var target = op == odd ? even : odd;
            Square(target, op);
            op = target;
        }
        var table = new uint[4 * 256];
        for (uint b = 0; b < 256; b++)
        {
            table[b] = Times(op, b);
            table[256 + b] = Times(op, b << 8);
            table[512 + b] = Times(op, b << 16);
            table[768 + b] = Times(op, b << 24);
        }
        return table;

        static uint Times(uint[] matrix, uint vector)
        {
            uint sum = 0;
            for (var i = 0; vector != 0; i++, vector >>= 1)
            {
                if ((vector & 1) != 0)
                {
                    sum ^= matrix[i];
                }
            }
            return sum;
        }

        static void Square(uint[] square, uint[] matrix)
        {
            for (var n = 0; n < 32; n++)
            {
                square[n] = Times(matrix, matrix[n]);
            }
        }
    }

    /// <summary>The table-driven path on its own, so tests can check it against the hardware one.</summary>
    internal static uint ComputeSoftware(ReadOnlySpan<byte> data) => ~AppendSoftware(~0u, data);

    private static uint AppendSoftware(uint state, ReadOnlySpan<byte> data)
    {
        var t = s_table;
        while (data.Length >= 8)
        {
            var lo = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ state;
            var hi = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            state = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24]
                  ^ t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
            data = data[8..];
        }
        foreach (var b in data)
        {
            state = t[0][(state ^ b) & 0xff] ^ (state >> 8);
        }
        return state;
    }

    private static uint[][] BuildTable()
    {
        var table = new uint[8][];
        for (var k = 0; k < 8; k++)
        {
            table[k] = new uint[256];
        }
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }
            table[0][i] = c;
        }
        for (var i = 0; i < 256; i++)
        {
            for (var k = 1; k < 8; k++)
            {
                var prev = table[k - 1][i];
                table[k][i] = table[0][prev & 0xff] ^ (prev >> 8);
            }
        }
        return table;
    }
}
