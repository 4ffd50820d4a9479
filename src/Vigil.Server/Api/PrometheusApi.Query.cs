using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;
using ValueType = Vigil.PromQL.Ast.ValueType;

namespace Vigil.Server.Api;

/// <summary><c>query</c>, <c>query_range</c>, <c>format_query</c>, <c>query_exemplars</c>.</summary>
public sealed partial class PrometheusApi
{
    /// <summary>Prometheus's cap on a range query's points per series.</summary>
    public const long MaxPointsPerSeries = 11_000;

    private async Task QueryAsync(HttpContext context, ApiForm form)
    {
        var ts = ApiParameters.TimeParam(form, "time", Now());
        using var limits = QueryLimits.FromForm(form, context.RequestAborted);
        var query = form.Value("query");
        var result = await RunAsync(() => _engine.InstantAsync(_storage, query, ts.EngineMs, limits.Token), limits, parseErrorParameter: "query").ConfigureAwait(false);
        await QueryResultWriter.WriteAsync(context.Response, result, null, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task QueryRangeAsync(HttpContext context, ApiForm form)
    {
        var start = ApiParameters.RequiredTime(form, "start");
        var end = ApiParameters.RequiredTime(form, "end");
        if (end < start)
        {
            throw ApiException.InvalidParameter("end", "end timestamp must not be before start time");
        }
        var stepNs = ApiParameters.Duration(form, "step");
        if (stepNs <= 0)
        {
            throw ApiException.InvalidParameter("step", "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        // For safety, limit the number of returned points per timeseries (Prometheus: 60s for a week, 1h for a year).
        if (ApiTime.SubNanoseconds(end, start) / stepNs > MaxPointsPerSeries)
        {
            throw new ApiException(ApiErrorType.BadData, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
        }
        using var limits = QueryLimits.FromForm(form, context.RequestAborted);
        var query = form.Value("query");
        var stepMs = stepNs / 1_000_000;
        if (stepMs == 0)
        {
            // Prometheus's engine divides by the step in milliseconds: a sub-millisecond step is a run-time panic,
            // reported after the query was created (so a bad query is still reported as such first).
            CheckRangeQuery(query);
            throw new ApiException(ApiErrorType.Execution, "unexpected error: runtime error: integer divide by zero");
        }
        var result = await RunAsync(() => _engine.RangeAsync(_storage, query, start.EngineMs, end.EngineMs, stepMs, limits.Token), limits, parseErrorParameter: null).ConfigureAwait(false);
        await QueryResultWriter.WriteAsync(context.Response, result, null, context.RequestAborted).ConfigureAwait(false);
    }

    private static void CheckRangeQuery(string query)
    {
        Expr expr;
        try
        {
            expr = QueryEngine.Parse(query);
        }
        catch (QueryException e)
        {
            throw new ApiException(ApiErrorType.BadData, e.Message, e);
        }
        if (expr.Type is not (ValueType.Scalar or ValueType.Vector))
        {
            throw new ApiException(ApiErrorType.BadData, $"invalid expression type \"{expr.Type.DocumentedName()}\" for range query, must be Scalar or instant Vector");
        }
    }

    private async Task FormatQueryAsync(HttpContext context, ApiForm form)
    {
        Expr expr;
        try
        {
            expr = QueryEngine.Parse(form.Value("query"));
        }
        catch (QueryException e)
        {
            throw ApiException.InvalidParameter("query", e.Message);
        }
        var text = expr.ToString();
        await ApiResponse.WriteSuccessAsync(context.Response, w => w.WriteStringValue(text)).ConfigureAwait(false);
    }

    private async Task QueryExemplarsAsync(HttpContext context, ApiForm form)
    {
        var start = ApiParameters.TimeParam(form, "start", ApiTime.Min);
        var end = ApiParameters.TimeParam(form, "end", ApiTime.Max);
        if (end < start)
        {
            throw new ApiException(ApiErrorType.BadData, "end timestamp must not be before start timestamp");
        }
        Expr expr;
        try
        {
            expr = QueryEngine.Parse(form.Value("query"));
        }
        catch (QueryException e)
        {
            throw new ApiException(ApiErrorType.BadData, e.Message, e);
        }
        if (!HasSelector(expr))
        {
            // Prometheus returns a nil result here, and its handler answers a nil result with 204 and no body.
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        // No exemplar storage yet: the shape of an empty answer.
        await ApiResponse.WriteSuccessAsync(context.Response, w =>
        {
            w.WriteStartArray();
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="expr"/> holds a vector selector (Prometheus's <c>ExtractSelectors</c> is non-empty).</summary>
    private static bool HasSelector(Expr expr) => expr switch
    {
        VectorSelector or MatrixSelector => true,
        ParenExpr p => HasSelector(p.Inner),
        UnaryExpr u => HasSelector(u.Operand),
        BinaryExpr b => HasSelector(b.Lhs) || HasSelector(b.Rhs),
        AggregateExpr a => HasSelector(a.Body) || (a.Param is { } param && HasSelector(param)),
        Call c => c.Args.Any(HasSelector),
        SubqueryExpr s => HasSelector(s.Inner),
        StepInvariantExpr s => HasSelector(s.Inner),
        _ => false,
    };

    /// <summary>
    /// Runs a query and turns its failure into Prometheus's answer: a query that could not be created (parse
    /// error, wrong type) is <c>bad_data</c> (for <c>query</c> as <c>invalid parameter "query"</c>); otherwise the
    /// engine's error type, with a <c>timeout</c> parameter's expiry reported as a timeout, not a cancellation.
    /// </summary>
    private async Task<QueryValue> RunAsync(Func<Task<QueryValue>> run, QueryLimits limits, string? parseErrorParameter)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (QueryException e) when (e.ErrorType == QueryErrorType.BadData)
        {
            throw parseErrorParameter is null
                ? new ApiException(ApiErrorType.BadData, e.Message, e)
                : ApiException.InvalidParameter(parseErrorParameter, e.Message);
        }
        catch (QueryException e) when (e.ErrorType == QueryErrorType.Canceled && limits.TimedOut)
        {
            throw new ApiException(ApiErrorType.Timeout, e.Message.Replace("query was canceled in", "query timed out in", StringComparison.Ordinal), e);
        }
        catch (QueryException e)
        {
            throw new ApiException(e.ErrorType switch
            {
                QueryErrorType.Execution => ApiErrorType.Execution,
                QueryErrorType.Timeout => ApiErrorType.Timeout,
                QueryErrorType.Canceled => ApiErrorType.Canceled,
                _ => ApiErrorType.Internal,
            }, e.Message, e);
        }
        catch (OperationCanceledException e)
        {
            throw limits.TimedOut
                ? new ApiException(ApiErrorType.Timeout, "query timed out in query execution", e)
                : new ApiException(ApiErrorType.Canceled, "query was canceled in query execution", e);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            _log.LogError(e, "Query failed in storage");
            throw new ApiException(ApiErrorType.Internal, e.Message, e);
        }
        catch (Exception e) when (e is not ApiException)
        {
            // Prometheus's engine recovers a panic as "unexpected error: ..." and the API reports it as execution.
            _log.LogError(e, "Query failed unexpectedly");
            throw new ApiException(ApiErrorType.Execution, $"unexpected error: {e.Message}", e);
        }
    }

    /// <summary>A query's cancellation: the client going away, and the optional <c>timeout</c> parameter.</summary>
    private sealed class QueryLimits : IDisposable
    {
        private readonly CancellationTokenSource _source;
        private readonly CancellationToken _requestAborted;

        private QueryLimits(CancellationToken requestAborted, long? timeoutNs)
        {
            _requestAborted = requestAborted;
            _source = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
            if (timeoutNs is { } ns)
            {
                if (ns <= 0)
                {
                    _source.Cancel();
                }
                else if (ns / 1_000_000 < uint.MaxValue - 1)
                {
                    // Sub-millisecond timeouts round up to the timer's 1 ms.
                    _source.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, ns / 1_000_000)));
                }
            }
        }

        public CancellationToken Token => _source.Token;

        /// <summary>The <c>timeout</c> parameter expired (and the client is still there).</summary>
        public bool TimedOut => _source.IsCancellationRequested && !_requestAborted.IsCancellationRequested;

        /// <summary>Prometheus: <c>timeout</c> is parsed when non-empty, <c>invalid parameter "timeout": ...</c> otherwise.</summary>
        public static QueryLimits FromForm(ApiForm form, CancellationToken requestAborted)
        {
            var text = form.Value("timeout");
            long? timeout = null;
            if (text.Length > 0)
            {
                if (!ApiParameters.TryParseDuration(text, out var ns, out var error))
                {
                    throw ApiException.InvalidParameter("timeout", error);
                }
                timeout = ns;
            }
            return new QueryLimits(requestAborted, timeout);
        }

        public void Dispose() => _source.Dispose();
    }
}
