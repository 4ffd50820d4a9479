using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Vigil.Instrumentation.Http;

/// <summary>
/// Times every request and counts it by method, route template and status code. It runs first in the
/// pipeline (before routing), so the route is read after the rest of the pipeline has run, and the
/// in-progress gauge, which must be raised before that, carries only the method.
/// </summary>
/// <remarks>
/// Every request is recorded, the scrape endpoint's own included (as <c>route="/metrics"</c>): the scrape's
/// duration and rate are worth watching, and one rule for all requests keeps the counts honest. An exception
/// escaping the rest of the pipeline is recorded as status 500 (what the server will answer) and rethrown.
/// </remarks>
internal sealed class HttpMetricsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly HttpMetrics _metrics;

    public HttpMetricsMiddleware(RequestDelegate next, HttpMetrics metrics)
    {
        _next = next;
        _metrics = metrics;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var method = new KeyValuePair<string, object?>("method", HttpMetrics.Method(context.Request.Method));
        _metrics.InProgress.Add(1, method);
        var start = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await _next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            _metrics.InProgress.Add(-1, method);
            var route = new KeyValuePair<string, object?>("route", HttpMetrics.Route(context));
            var code = new KeyValuePair<string, object?>("code", failed ? "500" : HttpMetrics.StatusCode(context.Response.StatusCode));
            _metrics.Duration.Record(seconds, method, route, code);
            _metrics.Requests.Add(1, method, route, code);
        }
    }
}
