using System.Globalization;
using BenchmarkDotNet.Attributes;
using Vigil.Model;
using Vigil.PromQL.Engine;
using Vigil.Storage;

namespace Vigil.Benchmarks.PromQL;

/// <summary>
/// PromQL evaluation over the TSDB head: 1,000 counter series (10 instances × 100 paths) and a 10-bucket histogram
/// per instance, 2h at 15s. One instant query and one 2h range query at a 1m step (121 steps) per case.
/// </summary>
[MemoryDiagnoser]
public class EvaluationBenchmarks
{
    private const long Step = 15_000;
    private const int Samples = 480;
    private static readonly double[] s_bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, double.PositiveInfinity];
    private readonly QueryEngine _engine = new();
    private Vigil.Tsdb.Head _head = null!;
    private long _end;

    /// <summary>The query evaluated.</summary>
    [Params(
        "sum(rate(http_requests_total[5m]))",
        "sum by (instance) (rate(http_requests_total[5m]))",
        "topk(5, rate(http_requests_total[5m]))",
        "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
        "rate(http_requests_total[5m]) / ignoring(path) group_left sum without (path) (rate(http_requests_total[5m]))")]
    public string Query { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _head = new Vigil.Tsdb.Head();
        var app = _head.Appender();
        var random = new Random(42);
        for (var instance = 0; instance < 10; instance++)
        {
            var inst = "10.0.0." + instance.ToString(CultureInfo.InvariantCulture) + ":9100";
            for (var path = 0; path < 100; path++)
            {
                var labels = Labels.Of("__name__", "http_requests_total", "instance", inst, "job", "api", "path", "/p" + path.ToString(CultureInfo.InvariantCulture));
                var series = default(SeriesRef);
                double value = 0;
                for (var k = 0; k < Samples; k++)
                {
                    value += random.Next(0, 20);
                    app.Append(ref series, labels, k * Step, value);
                }
            }
            var counts = new double[s_bounds.Length];
            var refs = new SeriesRef[s_bounds.Length];
            for (var k = 0; k < Samples; k++)
            {
                var observations = random.Next(50, 100);
                for (var o = 0; o < observations; o++)
                {
                    var v = random.NextDouble() * random.NextDouble() * 3;
                    for (var b = 0; b < s_bounds.Length; b++)
                    {
                        if (v <= s_bounds[b])
                        {
                            counts[b]++;
                        }
                    }
                }
                for (var b = 0; b < s_bounds.Length; b++)
                {
                    var le = double.IsPositiveInfinity(s_bounds[b]) ? "+Inf" : s_bounds[b].ToString(CultureInfo.InvariantCulture);
                    var labels = Labels.Of("__name__", "http_request_duration_seconds_bucket", "instance", inst, "job", "api", "le", le);
                    app.Append(ref refs[b], labels, k * Step, counts[b]);
                }
            }
        }
        app.Commit();
        _end = (Samples - 1) * Step;
    }

    /// <summary>One instant query at the end of the data.</summary>
    [Benchmark]
    public QueryValue Instant() => _engine.InstantAsync(_head, Query, _end).GetAwaiter().GetResult();

    /// <summary>One range query over the last 2h at a 1m step.</summary>
    [Benchmark]
    public QueryValue Range() => _engine.RangeAsync(_head, Query, _end - 7_200_000 + 300_000, _end, 60_000).GetAwaiter().GetResult();
}
