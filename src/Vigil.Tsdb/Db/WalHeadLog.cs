using System.Buffers;
using Vigil.Model;
using Vigil.Tsdb.Wal;

namespace Vigil.Tsdb;

/// <summary>Makes head commits durable in the WAL: one batch per commit, the series record first, then the samples record.</summary>
internal sealed class WalHeadLog(WriteAheadLog wal) : IHeadLog
{
    // Encoding buffers are reused per thread: the WAL copies the records before Log returns.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_samples;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_series;

    public void Log(IReadOnlyList<(ulong Ref, Labels Labels)> newSeries, ReadOnlySpan<RefSample> samples)
    {
        var samplesBuffer = t_samples ??= new ArrayBufferWriter<byte>(16 * 1024);
        samplesBuffer.ResetWrittenCount();
        SamplesRecord.Encode(samples, samplesBuffer);
        if (newSeries.Count == 0)
        {
            wal.Log(samplesBuffer.WrittenSpan);
            return;
        }
        var seriesBuffer = t_series ??= new ArrayBufferWriter<byte>(16 * 1024);
        seriesBuffer.ResetWrittenCount();
        var series = new RefSeries[newSeries.Count];
        for (var i = 0; i < series.Length; i++)
        {
            series[i] = new RefSeries(newSeries[i].Ref, newSeries[i].Labels);
        }
        SeriesRecord.Encode(series, seriesBuffer);
        wal.Log(seriesBuffer.WrittenMemory, samplesBuffer.WrittenMemory);
    }
}
