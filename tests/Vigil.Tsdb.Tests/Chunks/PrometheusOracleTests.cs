using Vigil.Tsdb.Chunks;
using Vigil.Tsdb.Tests.Chunks.PrometheusOracle;
using static Vigil.Tsdb.Tests.Chunks.ChunkTestSupport;

namespace Vigil.Tsdb.Tests.Chunks;

/// <summary>
/// Chunks written by the real Prometheus 2.42 (promtool tsdb create-blocks-from openmetrics; see
/// PrometheusOracle/generate.py): each decodes to a run of the samples fed in, and re-encoding that run
/// gives the same bytes.
/// </summary>
public sealed class PrometheusOracleTests
{
    public static TheoryData<int> ChunkIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < PrometheusOracleData.Chunks.Length; i++)
        {
            data.Add(i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ChunkIndexes))]
    public void Prometheus_chunk_decodes_to_the_input_samples_and_re_encodes_to_the_same_bytes(int index)
    {
        var (encoding, hex) = PrometheusOracleData.Chunks[index];
        byte[] bytes = Convert.FromHexString(hex);
        Assert.Equal((byte)ChunkEncoding.Xor, encoding);

        var decoded = DecodeOrFail(bytes);

        Assert.NotEmpty(decoded);
        Assert.True(IsRunOfSomeInputSeries(decoded), $"chunk {index} is not a run of any input series");
        Assert.Equal(hex, Hex(Encode(decoded).Bytes));
    }

    [Fact]
    public void Prometheus_chunks_hold_every_input_sample_once()
    {
        int total = 0;
        foreach (var (_, hex) in PrometheusOracleData.Chunks)
        {
            total += DecodeOrFail(Convert.FromHexString(hex)).Count;
        }

        Assert.Equal(PrometheusOracleData.Series.Sum(s => s.Samples.Length), total);
    }

    private static bool IsRunOfSomeInputSeries(List<RawSample> decoded)
    {
        foreach (var (_, samples) in PrometheusOracleData.Series)
        {
            int start = Array.FindIndex(samples, s => s.T == decoded[0].T && s.Bits == decoded[0].Bits);
            if (start < 0 || start + decoded.Count > samples.Length)
            {
                continue;
            }

            bool all = true;
            for (int i = 0; i < decoded.Count && all; i++)
            {
                all = samples[start + i].T == decoded[i].T && samples[start + i].Bits == decoded[i].Bits;
            }

            if (all)
            {
                return true;
            }
        }
        return false;
    }
}
