using Vigil.Model;
using Vigil.Storage;
using Vigil.Tsdb.Blocks;
using Vigil.Tsdb.Chunks;

namespace Vigil.Tsdb.Tests.Blocks;

/// <summary>Chunks, series and clocks shared by the block tests.</summary>
internal static class BlockTestData
{
    /// <summary>A fixed instant (2023-11-14T22:13:20Z) for ULIDs; tests that care use their own.</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    /// <summary>The XOR chunk bytes of the samples, from the chunk encoder (Prometheus-identical).</summary>
    public static byte[] Xor(params (long T, double V)[] samples)
    {
        var chunk = new XorChunk();
        var appender = chunk.Appender();
        foreach (var (t, v) in samples)
        {
            appender.Append(t, v);
        }
        return chunk.Bytes.ToArray();
    }

    public static EncodedChunk Chunk(params (long T, double V)[] samples)
        => new(samples[0].T, samples[^1].T, (byte)ChunkEncoding.Xor, Xor(samples));

    /// <summary>Samples t = start, start+step, ... with values value0, value0+1, ...</summary>
    public static (long T, double V)[] Ramp(long start, long step, int count, double value0 = 0)
    {
        var result = new (long, double)[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = (start + (i * step), value0 + i);
        }
        return result;
    }

    /// <summary>The five series of MemPostingsTests, each with two chunks, sorted for a block.</summary>
    public static List<ChunkedSeries> FiveSeries()
    {
        var labels = new[]
        {
            Labels.Of("__name__", "http_requests_total", "job", "api", "code", "200"),
            Labels.Of("__name__", "http_requests_total", "job", "api", "code", "500"),
            Labels.Of("__name__", "http_requests_total", "job", "web", "code", "200"),
            Labels.Of("__name__", "up", "job", "api"),
            Labels.Of("__name__", "up", "job", "web", "env", "prod"),
        };
        var series = new List<ChunkedSeries>();
        for (var i = 0; i < labels.Length; i++)
        {
            series.Add(new ChunkedSeries(labels[i],
            [
                Chunk(Ramp(1_000, 1_000, 10, i * 100)),
                Chunk(Ramp(11_000, 1_000, 10, (i * 100) + 10)),
            ]));
        }
        series.Sort((a, b) => Utf8Order.Compare(a.Labels, b.Labels));
        return series;
    }

    public static BlockWriter Writer(long nowMs = 1_700_000_000_000, int seed = 1)
        => new(new FixedTime(DateTimeOffset.FromUnixTimeMilliseconds(nowMs)), new Random(seed));

    /// <summary>Every sample of every series the querier selects.</summary>
    public static List<(Labels Labels, List<Sample> Samples)> ReadAll(IQuerier querier, params LabelMatcher[] matchers)
    {
        var set = querier.Select(sorted: true, matchers);
        var result = new List<(Labels, List<Sample>)>();
        ISampleIterator? it = null;
        while (set.Next())
        {
            var s = set.At();
            it = s.Iterator(it);
            var samples = new List<Sample>();
            while (it.Next())
            {
                samples.Add(it.At());
            }
            Assert.Null(it.Error);
            result.Add((s.Labels, samples));
        }
        Assert.Null(set.Error);
        return result;
    }

    public static LabelMatcher M(string name, LabelMatchType type, string value) => LabelMatcher.Create(type, name, value);

    public sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
