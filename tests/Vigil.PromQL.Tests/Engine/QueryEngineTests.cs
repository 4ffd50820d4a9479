using Vigil.Model;
using Vigil.PromQL.Engine;
using Vigil.Storage;

namespace Vigil.PromQL.Tests.Engine;

/// <summary>
/// Engine behaviour the promtool conformance corpus cannot show: limits, cancellation, concurrency, result shapes
/// and ordering of range queries. Values themselves are checked against promtool by the conformance corpus.
/// </summary>
public class QueryEngineTests
{
    private static MemoryStorage Load(int seriesCount, int samplesPerSeries, long stepMs = 15_000)
    {
        var storage = new MemoryStorage();
        var app = storage.Appender();
        for (var s = seriesCount - 1; s >= 0; s--)
        {
            var labels = Labels.Of("__name__", "m", "i", s.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            var series = default(SeriesRef);
            for (var k = 0; k < samplesPerSeries; k++)
            {
                app.Append(ref series, labels, k * stepMs, s + k);
            }
        }
        app.Commit();
        return storage;
    }

    [Fact]
    public async Task Instant_vector_carries_the_evaluation_time_and_values()
    {
        var engine = new QueryEngine();
        var result = Assert.IsType<Vector>(await engine.InstantAsync(Load(3, 10), "m", 100_000));
        Assert.Equal(3, result.Samples.Count);
        Assert.All(result.Samples, s => Assert.Equal(100_000, s.TimestampMs));
        // At t=100s the latest sample is at 90s (k = 6): value = i + 6.
        var byIndex = result.Samples.ToDictionary(s => s.Metric.Get("i"), s => s.Value);
        Assert.Equal(6, byIndex["000"]);
        Assert.Equal(8, byIndex["002"]);
    }

    [Fact]
    public async Task Range_query_is_a_matrix_sorted_by_labels_with_one_point_per_step()
    {
        var engine = new QueryEngine();
        var result = Assert.IsType<Matrix>(await engine.RangeAsync(Load(5, 20), "m * 2", 0, 60_000, 15_000));
        Assert.Equal(["000", "001", "002", "003", "004"], result.Series.Select(s => s.Metric.Get("i")));
        Assert.All(result.Series, s => Assert.Equal([0L, 15_000, 30_000, 45_000, 60_000], s.Points.Select(p => p.TimestampMs)));
        Assert.All(result.Series, s => Assert.False(s.Metric.Has("__name__")));
        Assert.Equal(2 * (4 + 2), result.Series[4].Points[2].Value);
    }

    [Fact]
    public async Task Scalar_range_query_is_one_series_without_labels()
    {
        var result = Assert.IsType<Matrix>(await new QueryEngine().RangeAsync(new MemoryStorage(), "time()", 0, 30_000, 10_000));
        var series = Assert.Single(result.Series);
        Assert.Empty(series.Metric);
        Assert.Equal([0.0, 10, 20, 30], series.Points.Select(p => p.Value));
    }

    [Fact]
    public async Task Range_query_of_a_range_vector_is_bad_data()
    {
        var e = await Assert.ThrowsAsync<QueryException>(() => new QueryEngine().RangeAsync(new MemoryStorage(), "m[5m]", 0, 60_000, 15_000));
        Assert.Equal(QueryErrorType.BadData, e.ErrorType);
        Assert.Equal("invalid expression type \"range vector\" for range query, must be Scalar or instant Vector", e.Message);
    }

    [Fact]
    public async Task Parse_errors_are_bad_data_with_a_position()
    {
        var e = await Assert.ThrowsAsync<QueryException>(() => new QueryEngine().InstantAsync(new MemoryStorage(), "sum(", 0));
        Assert.Equal(QueryErrorType.BadData, e.ErrorType);
        Assert.Matches(@"^1:\d+: parse error: ", e.Message);
    }

    [Fact]
    public async Task Too_many_samples_is_an_execution_error_with_prometheus_wording()
    {
        var engine = new QueryEngine(new QueryEngineOptions { MaxSamples = 100 });
        var e = await Assert.ThrowsAsync<QueryException>(() => engine.InstantAsync(Load(20, 40), "m[10m]", 600_000));
        Assert.Equal(QueryErrorType.Execution, e.ErrorType);
        Assert.Equal("query processing would load too many samples into memory in query execution", e.Message);

        // The same query fits under the default limit.
        var ok = Assert.IsType<Matrix>(await new QueryEngine().InstantAsync(Load(20, 40), "m[10m]", 600_000));
        Assert.Equal(20, ok.Series.Count);
    }

    [Fact]
    public async Task Too_many_samples_in_a_range_query()
    {
        var engine = new QueryEngine(new QueryEngineOptions { MaxSamples = 50 });
        var e = await Assert.ThrowsAsync<QueryException>(() => engine.RangeAsync(Load(10, 40), "sum(m)", 0, 600_000, 15_000));
        Assert.Equal(QueryErrorType.Execution, e.ErrorType);
    }

    [Fact]
    public async Task A_cancelled_caller_gets_canceled_not_timeout()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var e = await Assert.ThrowsAsync<QueryException>(() => new QueryEngine().InstantAsync(Load(2, 2), "m", 0, cts.Token));
        Assert.Equal(QueryErrorType.Canceled, e.ErrorType);
        Assert.Equal("canceled", e.ApiErrorType);
    }

    [Fact]
    public async Task A_query_past_its_timeout_is_a_timeout_error()
    {
        // The storage holds the query for 3 s, far past its 200ms timeout even on a loaded machine.
        using var blocker = new BlockingStorage(TimeSpan.FromSeconds(3));
        var engine = new QueryEngine(new QueryEngineOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        var e = await Assert.ThrowsAsync<QueryException>(() => engine.InstantAsync(blocker, "m", 0));
        Assert.Equal(QueryErrorType.Timeout, e.ErrorType);
        Assert.StartsWith("query timed out in ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_concurrency_limit_queues_queries()
    {
        using var blocker = new BlockingStorage(TimeSpan.FromSeconds(30));
        var engine = new QueryEngine(new QueryEngineOptions { MaxConcurrentQueries = 1 });
        var first = engine.InstantAsync(blocker, "m", 0);
        await blocker.Entered.WaitAsync(TimeSpan.FromSeconds(30));

        // The second query waits for the first; its caller gives up while it is queued.
        using var cts = new CancellationTokenSource();
        var second = engine.InstantAsync(new MemoryStorage(), "vector(1)", 0, cts.Token);
        await Task.Delay(100);
        Assert.False(second.IsCompleted);
        await cts.CancelAsync();
        var e = await Assert.ThrowsAsync<QueryException>(() => second);
        Assert.Equal(QueryErrorType.Canceled, e.ErrorType);
        Assert.Equal("query was canceled in query queue", e.Message);

        blocker.Release();
        Assert.IsType<Vector>(await first);
        // The slot is free again.
        Assert.IsType<Vector>(await engine.InstantAsync(new MemoryStorage(), "vector(1)", 0));
    }

    [Fact]
    public async Task Step_invariant_at_selector_repeats_its_value_at_every_step()
    {
        var engine = new QueryEngine();
        var result = Assert.IsType<Matrix>(await engine.RangeAsync(Load(1, 40), "m @ 30", 0, 300_000, 60_000));
        var series = Assert.Single(result.Series);
        Assert.Equal(6, series.Points.Count);
        // At 30s the latest sample is k = 2 (30s): value 2, at every step.
        Assert.All(series.Points, p => Assert.Equal(2, p.Value));
    }

    /// <summary>A storage whose querier blocks until released (or until the test ends).</summary>
    private sealed class BlockingStorage(TimeSpan longest) : IQueryableStorage, IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _release.Set();

        public IQuerier Querier(long minTimeMs, long maxTimeMs)
        {
            _entered.TrySetResult();
            _release.Wait(longest);
            return new MemoryStorage().Querier(minTimeMs, maxTimeMs);
        }

        public void Dispose()
        {
            _release.Set();
            _release.Dispose();
        }
    }
}
