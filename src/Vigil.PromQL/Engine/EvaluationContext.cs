using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.Storage;

namespace Vigil.PromQL.Engine;

/// <summary>What every evaluator of one query shares: the querier, limits, cancellation, step-invariant nodes, selected series.</summary>
internal sealed class EvaluationContext
{
    private readonly Dictionary<VectorSelector, List<ISeries>> _series = new(ReferenceEqualityComparer.Instance);
    private readonly CancellationToken _token;
    private readonly CancellationToken _callerToken;

    public EvaluationContext(IQuerier querier, HashSet<Expr> stepInvariant, QueryEngineOptions options, CancellationToken token, CancellationToken callerToken)
    {
        Querier = querier;
        StepInvariant = stepInvariant;
        MaxSamples = options.MaxSamples;
        LookbackMs = (long)options.LookbackDelta.TotalMilliseconds;
        DefaultIntervalMs = (long)options.DefaultEvaluationInterval.TotalMilliseconds;
        _token = token;
        _callerToken = callerToken;
    }

    public IQuerier Querier { get; }

    public HashSet<Expr> StepInvariant { get; }

    public long MaxSamples { get; }

    public long LookbackMs { get; }

    public long DefaultIntervalMs { get; }

    /// <summary>A reusable buffer for one series' raw samples.</summary>
    public List<Sample> SampleBuffer { get; } = new(256);

    /// <summary>A reusable iterator slot.</summary>
    public ISampleIterator? Iterator { get; set; }

    /// <summary>The series a selector selects, fetched once per query (Prometheus's <c>VectorSelector.Series</c>).</summary>
    public List<ISeries> SeriesFor(VectorSelector selector)
    {
        if (_series.TryGetValue(selector, out var list))
        {
            return list;
        }
        list = [];
        ISeriesSet set;
        try
        {
            set = Querier.Select(sorted: true, selector.Matchers);
            while (set.Next())
            {
                list.Add(set.At());
                if ((list.Count & 1023) == 0)
                {
                    ThrowIfCancelled();
                }
            }
        }
        catch (Exception e) when (e is not QueryException and not OperationCanceledException)
        {
            throw new QueryException(QueryErrorType.Internal, $"expanding series: {e.Message}", e);
        }
        if (set.Error is { } error)
        {
            throw new QueryException(QueryErrorType.Internal, $"expanding series: {error.Message}", error);
        }
        _series[selector] = list;
        return list;
    }

    /// <summary>Adds the samples of <paramref name="series"/> with <paramref name="minT"/> ≤ t ≤ <paramref name="maxT"/> to <paramref name="buffer"/>.</summary>
    public void Load(ISeries series, long minT, long maxT, bool dropStale, List<Sample> buffer)
    {
        var it = series.Iterator(Iterator);
        Iterator = it;
        if (it.Seek(minT))
        {
            do
            {
                var s = it.At();
                if (s.TimestampMs > maxT)
                {
                    break;
                }
                if (s.TimestampMs >= minT && !(dropStale && StaleMarker.IsStale(s.Value)))
                {
                    buffer.Add(s);
                }
            }
            while (it.Next());
        }
        if (it.Error is { } error)
        {
            throw new QueryException(QueryErrorType.Internal, $"reading series {series.Labels}: {error.Message}", error);
        }
    }

    /// <summary>Throws Prometheus's timeout or cancellation error when the query must stop .</summary>
    public void ThrowIfCancelled()
    {
        if (!_token.IsCancellationRequested)
        {
            return;
        }
        throw _callerToken.IsCancellationRequested
            ? new QueryException(QueryErrorType.Canceled, "query was canceled in expression evaluation")
            : new QueryException(QueryErrorType.Timeout, "query timed out in expression evaluation");
    }
}
