using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Vigil.Tsdb.Chunks;

namespace Vigil.Benchmarks.Tsdb;

/// <summary>
/// XOR chunk encode and decode of one full head chunk (120 samples) of realistic scrape data: 15 s interval
/// with a few ms of jitter; a counter rising by small integers, or a gauge random walk with 2 decimals.
/// Mean is per sample (OperationsPerInvoke); "B/sample" is the chunk's size over its samples.
/// Budgets: 0 B allocated per sample when decoding; encoding allocates one appender per chunk.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SizeConfig))]
public class XorChunkBenchmarks
{
    private const int Samples = XorChunk.TargetSamplesPerChunk;

    private readonly long[] _timestamps = new long[Samples];
    private readonly double[] _values = new double[Samples];
    private readonly XorChunk _encodeTarget = new(4096);
    private readonly XorIterator _iterator = new();
    private XorChunk _encoded = new();

    /// <summary>The kind of series.</summary>
    public enum Series
    {
        /// <summary>A counter: +0..+5 per scrape.</summary>
        Counter,

        /// <summary>A gauge: random walk of ±0..3.00 per scrape, rounded to 2 decimals.</summary>
        Gauge,
    }

    [Params(Series.Counter, Series.Gauge)]
    public Series Data { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Fill(Data, _timestamps, _values);
        _encoded = new XorChunk();
        var app = _encoded.Appender();
        for (int i = 0; i < Samples; i++)
        {
            app.Append(_timestamps[i], _values[i]);
        }
        _encoded.Compact();
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    public int Encode()
    {
        _encodeTarget.Reset();
        var app = _encodeTarget.Appender();
        long[] ts = _timestamps;
        double[] vs = _values;
        for (int i = 0; i < ts.Length; i++)
        {
            app.Append(ts[i], vs[i]);
        }
        return _encodeTarget.Bytes.Length;
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    public double Decode()
    {
        var it = _encoded.Iterator(_iterator);
        double sum = 0;
        while (it.Next())
        {
            sum += it.At().Value;
        }
        return sum;
    }

    internal static void Fill(Series data, long[] timestamps, double[] values)
    {
        var rng = new Random(1234);
        long t = 1_700_000_000_000;
        double v = data == Series.Counter ? 12_345 : 50;
        for (int i = 0; i < timestamps.Length; i++)
        {
            timestamps[i] = t;
            values[i] = v;
            t += 15_000 + rng.Next(-5, 6);
            v = data == Series.Counter ? v + rng.Next(0, 6) : Math.Round(v + (rng.Next(-300, 301) / 100.0), 2);
        }
    }

    internal static int CompressedSize(Series data)
    {
        var ts = new long[Samples];
        var vs = new double[Samples];
        Fill(data, ts, vs);
        var chunk = new XorChunk();
        var app = chunk.Appender();
        for (int i = 0; i < Samples; i++)
        {
            app.Append(ts[i], vs[i]);
        }
        return chunk.Bytes.Length;
    }

    private sealed class SizeConfig : ManualConfig
    {
        public SizeConfig() => AddColumn(new BytesPerSampleColumn());
    }

    private sealed class BytesPerSampleColumn : IColumn
    {
        public string Id => nameof(BytesPerSampleColumn);

        public string ColumnName => "B/sample";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Encoded chunk bytes (header included) per sample, 120 samples";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            benchmarkCase.Parameters["Data"] is Series data
                ? (CompressedSize(data) / (double)Samples).ToString("0.00", CultureInfo.InvariantCulture)
                : "?";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
