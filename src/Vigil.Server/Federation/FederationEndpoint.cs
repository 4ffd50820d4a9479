using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Model;
using Vigil.PromQL.Parser;
using Vigil.Server.Hosting;
using Vigil.Server.Scrape;
using Vigil.Storage;
using Vigil.Tsdb;

namespace Vigil.Server.Federation;

/// <summary>
/// <c>GET /federate?match[]=...</c> as Prometheus 2.42 serves it (<c>web/federate.go</c>): the latest sample of every
/// matching series within the lookback delta (<c>--query.lookback-delta</c>) at "now", in text format 0.0.4 as
/// untyped families sorted by name (or delimited protobuf when the Accept header asks for it), with the
/// configuration's external labels; 400 with Go's plain-text error for a bad form or selector; no <c>match[]</c>
/// selects nothing (an empty 200, as 2.42 answers); 503 until the server is ready; gzip or deflate when the client
/// accepts them.
/// </summary>
public sealed class FederationEndpoint
{
    /// <summary>The content type of the answer (client_golang's <c>FmtText</c>).</summary>
    public const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly IQueryableStorage _storage;
    private readonly Func<Labels> _externalLabels;
    private readonly TimeSpan _lookbackDelta;
    private readonly TimeProvider _time;
    private readonly Func<bool> _ready;
    private readonly ILogger _log;
    private long _errors;

    /// <summary>An endpoint over <paramref name="storage"/>; <paramref name="externalLabels"/> is read per request (reloads change it).</summary>
    public FederationEndpoint(IQueryableStorage storage, Func<Labels> externalLabels, TimeSpan lookbackDelta, TimeProvider time, Func<bool> ready, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(externalLabels);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(ready);
        ArgumentNullException.ThrowIfNull(log);
        _storage = storage;
        _externalLabels = externalLabels;
        _lookbackDelta = lookbackDelta;
        _time = time;
        _ready = ready;
        _log = log;
    }

    /// <summary><c>prometheus_web_federation_errors_total</c>: requests that failed after parsing.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Serves one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        if (!_ready())
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync("Service Unavailable", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // Prometheus wraps /federate in its CompressionHandler: the first of gzip/deflate in Accept-Encoding wins.
        Stream body = response.Body;
        Stream? compressor = null;
        foreach (var encoding in context.Request.Headers.AcceptEncoding.ToString().Split(','))
        {
            var token = encoding.Trim();
            if (token == "gzip")
            {
                response.Headers.ContentEncoding = "gzip";
                compressor = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true);
                break;
            }
            if (token == "deflate")
            {
                response.Headers.ContentEncoding = "deflate";
                compressor = new ZLibStream(body, CompressionLevel.Fastest, leaveOpen: true);
                break;
            }
        }
        try
        {
            await ServeAsync(context, compressor ?? body).ConfigureAwait(false);
        }
        finally
        {
            if (compressor is not null)
            {
                await compressor.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task ServeAsync(HttpContext context, Stream body)
    {
        var response = context.Response;
        var raw = context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : "";
        var selectors = GoQueryString.Values(raw, "match[]", out var formError);
        if (formError is not null)
        {
            await PlainErrorAsync(response, body, $"error parsing form values: {formError}").ConfigureAwait(false);
            return;
        }
        var matcherSets = new List<IReadOnlyList<LabelMatcher>>(selectors.Count);
        foreach (var selector in selectors)
        {
            try
            {
                matcherSets.Add(PromQLParser.ParseMetricSelector(selector));
            }
            catch (ParseException e)
            {
                await PlainErrorAsync(response, body, e.Message).ConfigureAwait(false);
                return;
            }
        }

        var format = FederationNegotiation.Negotiate(context.Request.Headers.Accept.ToString());
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        List<FederatedSample> samples;
        try
        {
            samples = Federator.Collect(_storage, matcherSets, now, (long)_lookbackDelta.TotalMilliseconds);
        }
        catch (IOException e)
        {
            Interlocked.Increment(ref _errors);
            _log.LogError("federation failed: {Error}", e.Message);
            response.StatusCode = StatusCodes.Status500InternalServerError;
            await PlainErrorAsync(response, body, e.Message, StatusCodes.Status500InternalServerError).ConfigureAwait(false);
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        var pipe = PipeWriter.Create(body, new StreamPipeWriterOptions(leaveOpen: true));
        IFederationWriter writer;
        if (format == FederationFormat.ProtoDelimited)
        {
            response.ContentType = FederationNegotiation.ProtoDelimitedContentType;
            writer = new FederationProtobufWriter(pipe, _externalLabels());
        }
        else
        {
            response.ContentType = TextContentType;
            writer = new FederationTextWriter(pipe, _externalLabels());
        }
        for (var i = 0; i < samples.Count; i++)
        {
            writer.Write(samples[i]);
            if (pipe.UnflushedBytes > 64 * 1024)
            {
                await pipe.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        writer.Complete();
        await pipe.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Go's <c>http.Error</c>: plain text, nosniff, the message and a newline.</summary>
    private static async Task PlainErrorAsync(HttpResponse response, Stream body, string message, int status = StatusCodes.Status400BadRequest)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.XContentTypeOptions = "nosniff";
        await body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(message + "\n")).ConfigureAwait(false);
    }
}

/// <summary>Mapping of <see cref="FederationEndpoint"/>.</summary>
public static class FederationEndpoints
{
    /// <summary>
    /// Maps <c>GET /federate</c> over the environment's TSDB, with the running configuration's external labels and
    /// the query lookback delta.
    /// </summary>
    public static IEndpointConventionBuilder MapFederation(this IEndpointRouteBuilder endpoints, string path = "/federate")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var options = services.GetRequiredService<ServerOptions>();
        var scrape = services.GetRequiredService<ScrapeService>();
        var readiness = services.GetRequiredService<Readiness>();
        var endpoint = new FederationEndpoint(
            services.GetRequiredService<TimeSeriesDb>(),
            () => scrape.Manager.Config?.Global.ExternalLabels ?? Labels.Empty,
            options.QueryLookbackDelta,
            services.GetRequiredService<TimeProvider>(),
            () => readiness.IsReady,
            services.GetRequiredService<ILoggerFactory>().CreateLogger<FederationEndpoint>());
        var meter = services.GetRequiredService<IMeterFactory>().Create("Vigil.Federation");
        meter.CreateObservableCounter("prometheus_web_federation_errors_total", () => endpoint.Errors, description: "Total number of errors that occurred while sending federation responses.");
        return endpoints.MapGet(path, endpoint.HandleAsync);
    }
}
