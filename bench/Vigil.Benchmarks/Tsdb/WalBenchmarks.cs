using System.Buffers;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Vigil.Tsdb;
using Vigil.Tsdb.Wal;

namespace Vigil.Benchmarks.Tsdb;

/// <summary>
/// Appending to the WAL with <see cref="FsyncPolicy.Never"/> into a temp dir: one batch = one samples record
/// of 1000 samples (a scrape commit of 1000 series), about 10 KB. <c>Log</c> writes a pre-encoded record;
/// <c>EncodeAndLog</c> also encodes it (the head's commit path). "MB/s" is record bytes per second; the
/// Allocated column is per batch (budget: 0 B for <c>Log</c>, 0 B for <c>EncodeAndLog</c> with a reused buffer).
/// Every ~8 MiB the old segments are deleted so the temp dir stays small.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class WalBenchmarks
{
    private const int SamplesPerBatch = 1000;

    private readonly ArrayBufferWriter<byte> _buffer = new(32 * 1024);
    private RefSample[] _samples = [];
    private byte[] _record = [];
    private string _directory = "";
    private WriteAheadLog? _wal;
    private int _batches;

    [GlobalSetup]
    public void Setup()
    {
        _samples = MakeSamples();
        _record = Encode(_samples);
        _directory = Path.Combine(Path.GetTempPath(), "vigil-walbench-" + Guid.NewGuid().ToString("N"));
        _wal = WriteAheadLog.Open(Path.Combine(_directory, WriteAheadLog.DirectoryName), new WalOptions
        {
            FsyncPolicy = FsyncPolicy.Never,
            SegmentSize = 8 * 1024 * 1024,
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _wal?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public void Log()
    {
        _wal!.Log(_record);
        TruncateNowAndThen();
    }

    [Benchmark]
    public void EncodeAndLog()
    {
        _buffer.ResetWrittenCount();
        SamplesRecord.Encode(_samples, _buffer);
        _wal!.Log(_buffer.WrittenSpan);
        TruncateNowAndThen();
    }

    private void TruncateNowAndThen()
    {
        if (++_batches % 800 == 0)
        {
            _wal!.Truncate(_wal.CurrentSegment);
        }
    }

    /// <summary>1000 series with refs in scrape order, one timestamp with a little jitter, counter-like values.</summary>
    private static RefSample[] MakeSamples()
    {
        var random = new Random(7);
        var samples = new RefSample[SamplesPerBatch];
        var t = 1_700_000_000_000L;
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = new RefSample((ulong)(1000 + (i * 3) + random.Next(3)), t + random.Next(5), Math.Round(random.NextDouble() * 1e6));
        }
        return samples;
    }

    private static byte[] Encode(RefSample[] samples)
    {
        var buffer = new ArrayBufferWriter<byte>();
        SamplesRecord.Encode(samples, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        private static readonly int s_recordBytes = Encode(MakeSamples()).Length;

        public ThroughputConfig()
        {
            AddColumn(new DerivedColumn("MB/s", "Record megabytes (10^6) logged per second", static (summary, benchmark) =>
            {
                var mean = summary[benchmark]?.ResultStatistics?.Mean;
                return mean is > 0 ? (s_recordBytes / 1e6 / (mean.Value / 1e9)).ToString("F0", CultureInfo.InvariantCulture) : "-";
            }));
            AddColumn(new DerivedColumn("Samples/s", "Samples logged per second (millions)", static (summary, benchmark) =>
            {
                var mean = summary[benchmark]?.ResultStatistics?.Mean;
                return mean is > 0 ? (SamplesPerBatch / (mean.Value / 1e9) / 1e6).ToString("F1", CultureInfo.InvariantCulture) + "M" : "-";
            }));
            AddColumn(new DerivedColumn("Record B", "Bytes of one samples record", static (_, _) => s_recordBytes.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
