using Vigil.Model;
using Vigil.Storage;
using Vigil.Tsdb.Chunks;
using static Vigil.Tsdb.Tests.Chunks.ChunkTestSupport;

namespace Vigil.Tsdb.Tests.Chunks;

public sealed class XorIteratorTests
{
    private static readonly RawSample[] s_samples =
        [new(1000, 0x3FF0000000000000), new(2000, 0x4000000000000000), new(3000, 0x4008000000000000), new(4500, 0x4010000000000000)];

    [Theory]
    [InlineData(long.MinValue, 1000)]
    [InlineData(999, 1000)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 2000)]
    [InlineData(3000, 3000)]
    [InlineData(4500, 4500)]
    public void Seek_lands_on_the_first_sample_at_or_after_the_target(long target, long expected)
    {
        var it = Encode(s_samples).Iterator();

        Assert.True(it.Seek(target));
        Assert.Equal(expected, it.At().TimestampMs);
    }

    [Fact]
    public void Seek_past_the_last_sample_is_false_without_error()
    {
        var it = Encode(s_samples).Iterator();

        Assert.False(it.Seek(4501));
        Assert.Null(it.Error);
        Assert.False(it.Next());
    }

    [Fact]
    public void Seek_never_moves_backwards()
    {
        var it = Encode(s_samples).Iterator();

        Assert.True(it.Seek(2500));
        Assert.True(it.Seek(1000));
        Assert.Equal(3000, it.At().TimestampMs);
        Assert.True(it.Next());
        Assert.Equal(4500, it.At().TimestampMs);
    }

    [Fact]
    public void Seek_on_an_empty_chunk_is_false()
    {
        Assert.False(new XorChunk().Iterator().Seek(long.MinValue));
    }

    [Fact]
    public void Reset_rewinds_a_reused_iterator_onto_other_bytes()
    {
        var first = Encode(s_samples);
        var second = Encode([new(7, 0)]);
        var it = first.Iterator();
        Assert.True(it.Seek(4000));

        Assert.Same(it, second.Iterator(it));
        Assert.True(it.Next());
        Assert.Equal(new Sample(7, 0), it.At());
        Assert.False(it.Next());

        it.Reset(first.Memory);
        Assert.Equal(s_samples, DrainRaw(it));
    }

    [Fact]
    public void Works_through_the_IChunk_and_ISampleIterator_seams()
    {
        IChunk chunk = Encode(s_samples);
        ISampleIterator it = chunk.Iterator();

        Assert.IsType<XorIterator>(it);
        Assert.Same(it, chunk.Iterator(it));
        Assert.Equal(ChunkEncoding.Xor, chunk.Encoding);
        Assert.Equal(4, chunk.NumSamples);
        Assert.True(it.Next());
        Assert.Equal(1000, it.At().TimestampMs);
    }

    [Fact]
    public void Extreme_timestamps_round_trip_through_wrapping_deltas()
    {
        RawSample[] samples = [new(long.MinValue, 1), new(long.MinValue + 1, 2), new(long.MaxValue - 1, 3), new(long.MaxValue, 4)];

        Assert.Equal(samples, DecodeOrFail(Encode(samples).Memory));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    public void Bytes_shorter_than_the_header_are_an_error(string hex)
    {
        var it = new XorIterator(Convert.FromHexString(hex));

        Assert.False(it.Next());
        Assert.Equal(ChunkDecodeErrorKind.HeaderTooShort, it.DecodeError.Kind);
        Assert.IsType<ChunkCorruptedException>(it.Error);
        Assert.False(it.Seek(0));
    }

    [Fact]
    public void A_header_announcing_more_samples_than_the_bits_hold_is_an_error_after_the_real_ones()
    {
        byte[] bytes = Encode(s_samples).Bytes.ToArray();
        bytes[1] = 9;

        var decoded = Decode(bytes, out var error, out int announced);

        Assert.Equal(9, announced);
        Assert.Equal(s_samples, decoded.Take(4));
        Assert.True(error.IsError);
        Assert.InRange(error.SampleIndex, 4, 8);
    }

    [Fact]
    public void Truncated_first_timestamp_is_an_unexpected_end()
    {
        var decoded = Decode(Convert.FromHexString("0001D0"), out var error, out _);

        Assert.Empty(decoded);
        Assert.Equal(new ChunkDecodeError(ChunkDecodeErrorKind.UnexpectedEnd, 0, 24), error);
        Assert.Contains("sample 0, bit 24", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Overlong_varint_is_an_overflow()
    {
        var decoded = Decode(Convert.FromHexString("0001" + "FFFFFFFFFFFFFFFFFF7F" + "0000000000000000"), out var error, out _);

        Assert.Empty(decoded);
        Assert.Equal(ChunkDecodeErrorKind.VarintOverflow, error.Kind);
    }

    [Fact]
    public void Value_window_wider_than_64_bits_is_an_error()
    {
        // Second sample: delta 1, then '11' 11111 (31 leading) 111110 (62 significant): 93 bits.
        var decoded = Decode(Convert.FromHexString("0002" + "02" + "0000000000000000" + "01" + "FFF0" + "FFFFFFFFFFFFFFFF"), out var error, out _);

        Assert.Single(decoded);
        Assert.Equal(ChunkDecodeErrorKind.InvalidValueWindow, error.Kind);
        Assert.Equal(1, error.SampleIndex);
    }

    [Fact]
    public void Zero_timestamp_delta_is_an_error()
    {
        // Second sample with delta 0 and an unchanged value.
        var decoded = Decode(Convert.FromHexString("0002" + "02" + "0000000000000000" + "00" + "00"), out var error, out _);

        Assert.Single(decoded);
        Assert.Equal(ChunkDecodeErrorKind.NonIncreasingTimestamp, error.Kind);
    }

    [Fact]
    public void Error_stops_iteration_for_good()
    {
        var it = new XorIterator(Convert.FromHexString("0003" + "02" + "0000000000000000"));

        Assert.True(it.Next());
        Assert.False(it.Next());
        Assert.False(it.Next());
        Assert.False(it.Seek(0));
        var e = Assert.IsType<ChunkCorruptedException>(it.Error);
        Assert.Equal(it.DecodeError, e.DecodeError);
        Assert.Same(e, it.Error);
    }

    [Fact]
    public void Append_rejects_a_timestamp_not_after_the_previous_one()
    {
        var chunk = new XorChunk();
        var app = chunk.Appender();
        app.Append(10, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => app.Append(10, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => app.Append(9, 2));
        Assert.Equal(1, chunk.NumSamples);
    }

    [Fact]
    public void Append_stops_at_the_most_samples_the_header_can_count()
    {
        var chunk = new XorChunk();
        var app = chunk.Appender();
        for (int i = 0; i < XorChunk.MaxSamples; i++)
        {
            app.Append(i, i & 7);
        }

        Assert.Throws<InvalidOperationException>(() => app.Append(XorChunk.MaxSamples, 0));
        Assert.Equal(XorChunk.MaxSamples, chunk.NumSamples);
        Assert.Equal(XorChunk.MaxSamples, DecodeOrFail(chunk.Memory).Count);
    }

    [Fact]
    public void Iterator_created_before_more_appends_sees_only_the_samples_counted_then()
    {
        var chunk = new XorChunk(16);
        var app = chunk.Appender();
        for (int i = 0; i < 50; i++)
        {
            app.Append(i * 15000L, i * 1.5);
        }

        var it = chunk.Iterator();
        for (int i = 50; i < 500; i++)
        {
            app.Append(i * 15000L, i * 1.5);
        }

        int n = 0;
        while (it.Next())
        {
            Assert.Equal(n * 1.5, it.At().Value);
            n++;
        }
        Assert.Equal(50, n);
        Assert.Null(it.Error);
    }

    [Fact]
    public void Compact_keeps_bytes_and_appending_still_works()
    {
        var chunk = new XorChunk(4096);
        var app = chunk.Appender();
        for (int i = 0; i < 60; i++)
        {
            app.Append(i * 15000L, i);
        }
        string before = Hex(chunk.Bytes);

        chunk.Compact();
        Assert.True(chunk.Capacity < 4096);
        Assert.Equal(before, Hex(chunk.Bytes));

        var reference = new XorChunk();
        var refApp = reference.Appender();
        for (int i = 0; i < 120; i++)
        {
            refApp.Append(i * 15000L, i);
            if (i >= 60)
            {
                app.Append(i * 15000L, i);
            }
        }
        Assert.Equal(Hex(reference.Bytes), Hex(chunk.Bytes));
    }

    private static List<RawSample> DrainRaw(XorIterator it)
    {
        var list = new List<RawSample>();
        while (it.Next())
        {
            list.Add(new RawSample(it.At().TimestampMs, BitConverter.DoubleToUInt64Bits(it.At().Value)));
        }
        return list;
    }
}
