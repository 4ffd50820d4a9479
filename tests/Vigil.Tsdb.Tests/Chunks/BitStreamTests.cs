using Vigil.Tsdb.Chunks;

namespace Vigil.Tsdb.Tests.Chunks;

public sealed class BitStreamTests
{
    [Fact]
    public void Bits_written_at_every_width_read_back_through_fast_and_slow_paths()
    {
        // Prometheus's TestBstreamReader sequence: two single bits, every width 1..64, then 29-bit values.
        var writer = new BitWriter(0, 4);
        writer.WriteBit(true);
        writer.WriteBit(false);
        for (int n = 1; n <= 64; n++)
        {
            writer.WriteBits((ulong)n, n);
        }
        for (int v = 1; v < 10000; v += 123)
        {
            writer.WriteBits((ulong)v, 29);
        }

        ReadOnlySpan<byte> stream = writer.WrittenSpan;
        var reader = new BitReader();
        Assert.True(ReadBit(ref reader, stream));
        Assert.False(ReadBit(ref reader, stream));
        for (int n = 1; n <= 64; n++)
        {
            Assert.Equal((ulong)n, Read(ref reader, stream, n));
        }
        for (int v = 1; v < 10000; v += 123)
        {
            Assert.Equal((ulong)v, Read(ref reader, stream, 29));
        }
        Assert.Equal(writer.BitLength, reader.Position);
    }

    [Fact]
    public void Reading_past_the_end_fails_instead_of_throwing()
    {
        var reader = new BitReader();
        ReadOnlySpan<byte> stream = [0xAB, 0xCD];

        Assert.True(reader.TryRead(stream, 12, out ulong value));
        Assert.Equal(0xABCUL, value);
        Assert.False(reader.TryRead(stream, 5, out _));
    }

    [Fact]
    public void Only_writes_bits_and_never_disturbs_earlier_ones()
    {
        var writer = new BitWriter(0, 0);
        var rng = new Random(7);
        var expected = new List<(ulong Value, int Bits)>();
        for (int i = 0; i < 2000; i++)
        {
            int bits = rng.Next(1, 65);
            ulong value = (ulong)rng.NextInt64() & (ulong.MaxValue >> (64 - bits));
            writer.WriteBits(value | (bits < 64 ? 1UL << bits : 0), bits); // high garbage must be ignored
            expected.Add((value, bits));
        }

        var reader = new BitReader();
        foreach (var (value, bits) in expected)
        {
            Assert.Equal(value, Read(ref reader, writer.WrittenSpan, bits));
        }
    }

    [Theory]
    [InlineData(new[] { 8 }, 2)]        // writeByte leaves an empty byte after it
    [InlineData(new[] { 16 }, 3)]
    [InlineData(new[] { 64 }, 9)]
    [InlineData(new[] { 1, 7 }, 1)]     // writeBit finishing a byte adds nothing
    [InlineData(new[] { 4, 4 }, 1)]
    [InlineData(new[] { 4, 12 }, 2)]    // 12 bits = writeByte then 4 writeBits: ends with a bit
    [InlineData(new[] { 4, 8, 4 }, 2)]
    [InlineData(new[] { 8, 1 }, 2)]     // a bit goes into the empty byte
    [InlineData(new[] { 3 }, 1)]
    public void Length_matches_bstream(int[] widths, int expectedLength)
    {
        var writer = new BitWriter(0, 0);
        foreach (int w in widths)
        {
            writer.WriteBits(0, w);
        }

        Assert.Equal(expectedLength, writer.Length);
    }

    [Fact]
    public void Merged_write_takes_the_trailing_byte_rule_of_its_last_call()
    {
        // '10' then 14 bits (as the 14-bit dod bucket) ends aligned, but its last call wrote 14 bits: no empty byte.
        var merged = new BitWriter(0, 0);
        merged.Write(0b10UL << 14, 16, 14);
        Assert.Equal(2, merged.Length);

        // '10' then 6 then 8 bits: the last call wrote a whole byte, so an empty byte follows.
        var byteLast = new BitWriter(0, 0);
        byteLast.Write(0xABCD, 16, 8);
        Assert.Equal(3, byteLast.Length);
    }

    private static bool ReadBit(ref BitReader reader, ReadOnlySpan<byte> stream)
    {
        if (!reader.TryReadBitFast(out bool bit))
        {
            Assert.True(reader.TryRead(stream, 1, out ulong v));
            bit = v != 0;
        }
        return bit;
    }

    private static ulong Read(ref BitReader reader, ReadOnlySpan<byte> stream, int bits)
    {
        if (!reader.TryReadFast(bits, out ulong value))
        {
            Assert.True(reader.TryRead(stream, bits, out value));
        }
        return value;
    }
}
