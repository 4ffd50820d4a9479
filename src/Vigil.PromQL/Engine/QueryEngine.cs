using Vigil.PromQL.Ast;
using Vigil.PromQL.Parser;
using Vigil.Storage;

namespace Vigil.PromQL.Engine;

/// <summary>
/// Evaluates PromQL against any <see cref="IQueryableStorage"/>, like Prometheus 2.42's engine: instant and range
/// queries, the lookback delta, <c>@</c> and <c>offset</c>, subqueries, limits (timeout, max samples, concurrency).
/// Failures are <see cref="QueryException"/>s whose <see cref="QueryException.ErrorType"/> the HTTP API reports.
/// </summary>
public sealed partial class QueryEngine
{
    private readonly QueryEngineOptions _options;
    private readonly SemaphoreSlim _gate;
    private int _active;

    /// <summary>An engine with <paramref name="options"/> (defaults when null).</summary>
    public QueryEngine(QueryEngineOptions? options = null)
    {
        _options = options ?? new QueryEngineOptions();
        _gate = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentQueries));
    }

    /// <summary>The options in force.</summary>
    public QueryEngineOptions Options => _options;

    /// <summary>Queries executing or waiting for a slot now (Prometheus's <c>prometheus_engine_queries</c>).</summary>
    public int ActiveQueries => Volatile.Read(ref _active);

    /// <summary>Parses <paramref name="query"/>; a parse error becomes a <see cref="QueryErrorType.BadData"/> error with Prometheus's wording.</summary>
    public static Expr Parse(string query)
    {
        try
        {
            return PromQLParser.ParseExpr(query);
        }
        catch (ParseException e)
        {
            throw new QueryException(QueryErrorType.BadData, e.Message, e);
        }
    }

    /// <summary>Evaluates <paramref name="query"/> at <paramref name="timeMs"/>: a scalar, string, vector or matrix.</summary>
    public Task<QueryValue> InstantAsync(IQueryableStorage storage, string query, long timeMs, CancellationToken cancellationToken = default)
        => ExecAsync(storage, Parse(query), timeMs, timeMs, 0, cancellationToken);

    /// <summary>
    /// Evaluates <paramref name="query"/> at every step from <paramref name="startMs"/> to <paramref name="endMs"/>:
    /// always a <see cref="Matrix"/>. The expression must be a scalar or an instant vector.
    /// </summary>
    public Task<QueryValue> RangeAsync(IQueryableStorage storage, string query, long startMs, long endMs, long stepMs, CancellationToken cancellationToken = default)
    {
        var expr = Parse(query);
        if (expr.Type is not (Ast.ValueType.Scalar or Ast.ValueType.Vector))
        {
            throw new QueryException(
                QueryErrorType.BadData,
                $"invalid expression type \"{expr.Type.DocumentedName()}\" for range query, must be Scalar or instant Vector");
        }
        return ExecAsync(storage, expr, startMs, endMs, stepMs, cancellationToken);
    }

    /// <summary>Evaluates a parsed expression (a rule's) at one instant, synchronously, without the concurrency gate.</summary>
    public QueryValue Evaluate(IQueryableStorage storage, Expr expr, long timeMs, CancellationToken cancellationToken = default)
        => Run(storage, expr, timeMs, timeMs, 0, cancellationToken);

    private async Task<QueryValue> ExecAsync(IQueryableStorage storage, Expr expr, long startMs, long endMs, long stepMs, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _active);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            try
            {
                await _gate.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw Cancelled(cancellationToken, "query queue");
            }
            try
            {
                return await Task.Run(() => Run(storage, expr, startMs, endMs, stepMs, timeout.Token, cancellationToken), CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw Cancelled(cancellationToken, "query execution");
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    private static QueryException Cancelled(CancellationToken caller, string where) => caller.IsCancellationRequested
        ? new QueryException(QueryErrorType.Canceled, $"query was canceled in {where}")
        : new QueryException(QueryErrorType.Timeout, $"query timed out in {where}");

    private QueryValue Run(IQueryableStorage storage, Expr expr, long startMs, long endMs, long stepMs, CancellationToken cancellationToken)
        => Run(storage, expr, startMs, endMs, stepMs, cancellationToken, cancellationToken);

    private QueryValue Run(IQueryableStorage storage, Expr expr, long startMs, long endMs, long stepMs, CancellationToken token, CancellationToken callerToken)
    {
        var invariant = QueryPreparation.Prepare(expr, startMs, endMs);
        var lookback = (long)_options.LookbackDelta.TotalMilliseconds;
        var (minT, maxT) = QueryPreparation.FindMinMaxTime(expr, startMs, endMs, lookback);
        IQuerier querier;
        try
        {
            querier = storage.Querier(minT, maxT);
        }
        catch (Exception e) when (e is not QueryException and not OperationCanceledException)
        {
            throw new QueryException(QueryErrorType.Internal, e.Message, e);
        }
        using (querier)
        {
            var context = new EvaluationContext(querier, invariant, _options, token, callerToken);
            var instant = startMs == endMs && stepMs == 0;
            var evaluator = new Evaluator(context, startMs, endMs, instant ? 1 : stepMs);
            var value = evaluator.Eval(expr);
            if (value is StringResult)
            {
                return value;
            }
            var matrix = (Matrix)value;
            if (!instant)
            {
                matrix.Series.Sort(static (a, b) => a.Metric.CompareTo(b.Metric));
                return matrix;
            }
            switch (expr.Type)
            {
                case Ast.ValueType.Vector:
                    var vector = new List<VectorSample>(matrix.Series.Count);
                    foreach (var s in matrix.Series)
                    {
                        vector.Add(new VectorSample(s.Metric, startMs, s.Points[0].Value));
                    }
                    return new Vector(vector);
                case Ast.ValueType.Scalar:
                    return new ScalarResult(startMs, matrix.Series[0].Points[0].Value);
                default:
                    return matrix;
            }
        }
    }
}
