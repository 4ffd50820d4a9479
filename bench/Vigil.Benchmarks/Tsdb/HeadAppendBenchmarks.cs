using System.Globalization;
using BenchmarkDotNet.Attributes;
using Vigil.Model;
using Vigil.Storage;
using Vigil.Tsdb;

namespace Vigil.Benchmarks.Tsdb;

/// <summary>
/// Appending scrapes to the TSDB: 1,000 series, one commit per scrape (1,000 samples), series refs
/// reused as a scrape cache would. In memory (head only) and through the WAL (no fsync, to measure
/// CPU rather than the disk). Reported per operation = one scrape of 1,000 samples.
/// </summary>
[MemoryDiagnoser]
public class HeadAppendBenchmarks
{
    private const int Series = 1000;
    private readonly Labels[] _labels = new Labels[Series];
    private readonly SeriesRef[] _refs = new SeriesRef[Series];
    private Vigil.Tsdb.Head _head = null!;
    private TimeSeriesDb _db = null!;
    private string _dir = "";
    private SeriesRef[] _dbRefs = new SeriesRef[Series];
    private long _t;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Series; i++)
        {
            _labels[i] = Labels.Of("__name__", "http_requests_total", "instance", "10.0.0." + (i % 250).ToString(CultureInfo.InvariantCulture), "path", "/api/" + i.ToString(CultureInfo.InvariantCulture));
        }
        _head = new Vigil.Tsdb.Head();
        _dir = Path.Combine(Path.GetTempPath(), "vigil-bench-" + Guid.NewGuid().ToString("N"));
        _db = TimeSeriesDb.Open(_dir, new TsdbOptions { WalFsync = Vigil.Tsdb.Wal.FsyncPolicy.Never });
        _dbRefs = new SeriesRef[Series];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _db.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Description = "head only: 1 scrape of 1,000 samples")]
    public void HeadOnly()
    {
        var t = _t += 15_000;
        var app = _head.Appender();
        for (var i = 0; i < Series; i++)
        {
            app.Append(ref _refs[i], _labels[i], t, t * 0.001 + i);
        }
        app.Commit();
    }

    [Benchmark(Description = "head + WAL (no fsync): 1 scrape of 1,000 samples")]
    public void WithWal()
    {
        var t = _t += 15_000;
        var app = _db.Appender();
        for (var i = 0; i < Series; i++)
        {
            app.Append(ref _dbRefs[i], _labels[i], t, t * 0.001 + i);
        }
        app.Commit();
    }
}
