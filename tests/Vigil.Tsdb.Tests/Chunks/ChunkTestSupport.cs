using Vigil.Tsdb.Chunks;

namespace Vigil.Tsdb.Tests.Chunks;

/// <summary>A sample as the tests compare them: timestamp and the value's exact bits.</summary>
public readonly record struct RawSample(long T, ulong Bits)
{
    public double Value => BitConverter.UInt64BitsToDouble(Bits);

    public override string ToString() => $"({T}, 0x{Bits:X16})";
}

internal static class ChunkTestSupport
{
    public static XorChunk Encode(IReadOnlyList<RawSample> samples, int initialCapacity = XorChunk.DefaultCapacity)
    {
        var chunk = new XorChunk(initialCapacity);
        var app = chunk.Appender();
        foreach (var s in samples)
        {
            app.Append(s.T, s.Value);
        }
        return chunk;
    }

    public static List<RawSample> Decode(ReadOnlyMemory<byte> bytes, out ChunkDecodeError error, out int announced)
    {
        var it = new XorIterator(bytes);
        var samples = new List<RawSample>();
        while (it.Next())
        {
            var s = it.At();
            samples.Add(new RawSample(s.TimestampMs, BitConverter.DoubleToUInt64Bits(s.Value)));
        }
        error = it.DecodeError;
        announced = it.NumSamples;
        return samples;
    }

    public static List<RawSample> DecodeOrFail(ReadOnlyMemory<byte> bytes)
    {
        var samples = Decode(bytes, out var error, out var announced);
        Assert.False(error.IsError, error.ToString());
        Assert.Equal(announced, samples.Count);
        return samples;
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
