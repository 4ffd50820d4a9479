using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Vigil.Instrumentation.Http;

/// <summary>
/// The HTTP server instruments, on their own meter so other listeners (OpenTelemetry, dotnet-counters) see
/// them too. They translate to <c>http_request_duration_seconds</c>, <c>http_requests_total</c> and
/// <c>http_requests_in_progress</c>.
/// </summary>
internal sealed class HttpMetrics
{
    /// <summary>The meter the HTTP instruments belong to.</summary>
    public const string MeterName = "Vigil.Instrumentation.Http";

    /// <summary>The <c>route</c> of every request no endpoint matched, so 404 probes cannot grow the series count.</summary>
    public const string UnmatchedRoute = "<unmatched>";

    /// <summary>The <c>method</c> of requests with a method outside the standard nine (OpenTelemetry semantic conventions' value).</summary>
    public const string OtherMethod = "_OTHER";

    private static readonly string[] s_knownMethods =
    [
        HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch,
        HttpMethods.Head, HttpMethods.Options, HttpMethods.Trace, HttpMethods.Connect,
    ];

    private static readonly string[] s_statusCodes = CreateStatusCodes();
    private static readonly ConcurrentDictionary<string, string> s_rootedRoutes = new(StringComparer.Ordinal);

    public HttpMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        Duration = meter.CreateHistogram<double>(
            "http.request.duration", "s", "Duration of HTTP requests in seconds, by method, route template and status code.");
        Requests = meter.CreateCounter<long>(
            "http.requests", "{request}", "Total number of HTTP requests completed, by method, route template and status code.");
        InProgress = meter.CreateUpDownCounter<long>(
            "http.requests.in_progress", "{request}", "Number of HTTP requests being handled, by method.");
    }

    public Histogram<double> Duration { get; }

    public Counter<long> Requests { get; }

    public UpDownCounter<long> InProgress { get; }

    /// <summary>The method as a bounded label value: one of the nine standard methods, or <c>_OTHER</c>.</summary>
    public static string Method(string method)
    {
        var canonical = HttpMethods.GetCanonicalizedValue(method);
        foreach (var known in s_knownMethods)
        {
            if (ReferenceEquals(canonical, known) || string.Equals(canonical, known, StringComparison.Ordinal))
            {
                return known;
            }
        }
        return OtherMethod;
    }

    /// <summary>
    /// The route template of the endpoint that handled the request (<c>/orders/{id}</c>, never the raw path),
    /// with a leading <c>/</c>; <see cref="UnmatchedRoute"/> when routing matched no endpoint or the endpoint has no template.
    /// </summary>
    public static string Route(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var route = endpoint?.Metadata.GetMetadata<IRouteDiagnosticsMetadata>()?.Route
            ?? (endpoint as RouteEndpoint)?.RoutePattern.RawText;
        if (string.IsNullOrEmpty(route))
        {
            return UnmatchedRoute;
        }
        return route[0] == '/' ? route : s_rootedRoutes.GetOrAdd(route, static r => "/" + r);
    }

    /// <summary>The status code as label text, from a table for the usual range so no request allocates it.</summary>
    public static string StatusCode(int code)
        => code is >= 100 and < 600 ? s_statusCodes[code - 100] : code.ToString(CultureInfo.InvariantCulture);

    private static string[] CreateStatusCodes()
    {
        var codes = new string[500];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = (i + 100).ToString(CultureInfo.InvariantCulture);
        }
        return codes;
    }
}
