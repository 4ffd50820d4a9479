using System.Buffers;
using Vigil.Model;
using Vigil.Tsdb.Wal;

namespace Vigil.Tsdb;

/// <summary>Makes head commits durable in the WAL: one batch per commit, the series record first, then the samples record.</summary>
internal sealed class WalHeadLog(WriteAheadLog wal) : IHeadLog
{
    public void Log(IReadOnlyList<(ulong Ref, Labels Labels)> newSeries, IReadOnlyList<RefSample> samples)
    {
        var seriesBuffer = new ArrayBufferWriter<byte>();
        var samplesBuffer = new ArrayBufferWriter<byte>(16 + (samples.Count * 12));
        var sampleArray = samples as RefSample[] ?? [.. samples];
        SamplesRecord.Encode(sampleArray, samplesBuffer);
        if (newSeries.Count == 0)
        {
            wal.Log(samplesBuffer.WrittenMemory);
            return;
        }
        var series = new RefSeries[newSeries.Count];
        for (var i = 0; i < series.Length; i++)
        {
            series[i] = new RefSeries(newSeries[i].Ref, newSeries[i].Labels);
        }
        SeriesRecord.Encode(series, seriesBuffer);
        wal.Log(seriesBuffer.WrittenMemory, samplesBuffer.WrittenMemory);
    }
}
