using Vigil.Tsdb.Chunks;
using static Vigil.Tsdb.Tests.Chunks.ChunkTestSupport;

namespace Vigil.Tsdb.Tests.Chunks;

/// <summary>
/// Byte-for-byte encodings derived by hand from Prometheus's xor.go/bstream.go (the bit strings are in the
/// comments; docs/format/chunks.md walks through case B). Real Prometheus output is checked in
/// <see cref="PrometheusOracleTests"/>.
/// </summary>
public sealed class XorChunkGoldenTests
{
    private const ulong One = 0x3FF0000000000000;   // 1.0
    private const ulong Two = 0x4000000000000000;   // 2.0
    private const ulong Three = 0x4008000000000000; // 3.0

    public static TheoryData<string, RawSample[], string> Goldens => new()
    {
        {
            // Header 0001 | zigzag varint(1000) = D0 0F | 1.0 = 3FF0000000000000 | 00:
            // bstream's writeByte leaves an empty byte after the value's last byte.
            "A: one sample ends in bstream's trailing empty byte",
            [new(1000, One)],
            "0001" + "D00F" + "3FF0000000000000" + "00"
        },
        {
            // After the first sample: uvarint(1000) = E8 07, then bits
            // 0                                     s2 value unchanged
            // 0 11 00001 001011 11111111111         s3 dod 0; 1.0^2.0 = 7FF0..: new window, 1 leading, 11 bits
            // 0 11 01100 000001 1                   s4 dod 0; 2.0^3.0 = 0008..: 12 leading, 51 trailing: new window
            // 10 11111111110110 10 1                s5 dod -10 in 14 bits; 3.0^2.0 fits the window: '10' + 1 bit
            // 10 00000000010100 0                   s6 dod +20; value unchanged
            "B: zero dod, 14-bit dods, new and reused value windows",
            [new(1000, One), new(2000, One), new(3000, Two), new(4000, Three), new(4990, Two), new(6000, Two)],
            "0006" + "D00F" + "3FF0000000000000" + "E807" + "3097FFDB01DFFB580140"
        },
        {
            // t=-1 (zigzag varint 01), -0.0; then uvarint(15000) = 98 75 and
            // 11 00000 111111 <63 bits 7FF8000000000001>   stale NaN: xor FFF0..02, 0 leading, 1 trailing
            // 1110 <20 bits 70000>                          20-bit dod
            // 11 00000 000000 <64 bits 8008000000000003>   negative NaN with payload: 64 significant bits written as 0
            // 10 <14 bits -1000> 10 <64 bits>              +Inf, reusing the 64-bit window
            // 1110 <20 bits 100000> 10 <64 bits>           -Inf
            // 1111 <64 bits 1000000> 10 <64 bits>          64-bit dod; 1.0
            // 110 <17 bits -50000> 0                        17-bit dod; 1.0 again
            "C: negative timestamp, 17/20/64-bit dods, stale marker, NaN payload, infinities, -0.0, 64 significant bits",
            [
                new(-1, 0x8000000000000000), new(14999, 0x7FF0000000000002), new(99999, 0xFFF8000000000001),
                new(183999, 0x7FF0000000000000), new(367999, 0xFFF0000000000000), new(1551999, One), new(2685999, One),
            ],
            "0007" + "01" + "8000000000000000" + "9875" +
            "C1FFFF8000000000001E11170C004004000000000001DE0C50010000000000003C30D4140000000000000007800000000007A12058000000000000001A7960"
        },
        {
            // t=0 (varint 00), 0.0, uvarint(10) = 0A, then
            // 0 | 10 <14 bits 8192> 0 | 110 <17 bits -8192> 0
            // +8192 is the top of the 14-bit bucket; -8192 is one past its bottom (-8191), so 17 bits.
            "D: dod bucket boundaries +8192 and -8192",
            [new(0, 0), new(10, 0), new(8212, 0), new(8222, 0)],
            "0004" + "00" + "0000000000000000" + "0A" + "5000378000"
        },
        {
            // t=0, 0.0; uvarint(1); then
            // 0 | 0 11 01000 001000 10000001 | 0 10 10000000 | 0 10 00000011 | 0 10 01000000
            // The last 8-bit value write ends on a byte boundary, so bstream leaves a trailing empty byte.
            "F: an 8-bit value write ending on a byte boundary leaves a trailing empty byte",
            [new(0, 0), new(1, 0), new(2, 0x0081000000000000), new(3, 0x0001000000000000), new(4, 0x0002000000000000), new(5, 0x0042000000000000)],
            "0006" + "00" + "0000000000000000" + "01" + "341102A0101A40" + "00"
        },
    };

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Encodes_exactly_the_hand_derived_bytes(string name, RawSample[] samples, string expectedHex)
    {
        _ = name;
        var chunk = Encode(samples);

        Assert.Equal(expectedHex, Hex(chunk.Bytes));
        Assert.Equal(samples.Length, chunk.NumSamples);
    }

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Decodes_the_hand_derived_bytes(string name, RawSample[] samples, string expectedHex)
    {
        _ = name;
        Assert.Equal(samples, DecodeOrFail(Convert.FromHexString(expectedHex)));
    }

    [Fact]
    public void Reopened_appender_on_a_one_sample_chunk_reuses_a_64_bit_window_as_Prometheus_does()
    {
        // Prometheus's Appender() rebuilds its state from an iterator whose window is (0 leading, 0 trailing),
        // not "no window": the next changed value is written as '10' + 64 bits instead of opening a window.
        var chunk = new XorChunk();
        chunk.Appender().Append(1000, 1.0);
        chunk.Appender().Append(2000, 2.0);

        Assert.Equal("0002" + "D00F" + "3FF0000000000000" + "E807" + "9FFC00000000000000", Hex(chunk.Bytes));
        Assert.Equal([new(1000, One), new RawSample(2000, Two)], DecodeOrFail(chunk.Memory));
    }

    [Fact]
    public void Continuous_appender_opens_a_window_for_the_second_value()
    {
        // The same two samples through one appender: '11' 00001 001011 11111111111.
        var chunk = Encode([new(1000, One), new(2000, Two)]);

        Assert.Equal("0002" + "D00F" + "3FF0000000000000" + "E807" + "C25FFF", Hex(chunk.Bytes));
    }

    [Fact]
    public void Empty_chunk_is_the_two_byte_header()
    {
        var chunk = new XorChunk();

        Assert.Equal("0000", Hex(chunk.Bytes));
        Assert.Equal(0, chunk.NumSamples);
        Assert.Equal(ChunkEncoding.Xor, chunk.Encoding);
        Assert.Empty(DecodeOrFail(chunk.Memory));
    }
}
