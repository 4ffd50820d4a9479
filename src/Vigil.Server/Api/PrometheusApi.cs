using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.PromQL.Engine;
using Vigil.Server.Hosting;
using Vigil.Storage;
using Vigil.Tsdb;

namespace Vigil.Server.Api;

/// <summary>
/// Prometheus 2.42's HTTP API v1 (the query half) over one environment's storage and engine: same paths,
/// parameters, status codes, error types and messages, and JSON. One instance serves one environment; it is
/// mapped under a prefix (<c>/api/v1</c> for the default environment, later <c>/env/{name}/api/v1</c>).
/// </summary>
public sealed partial class PrometheusApi
{
    // Every route also answers OPTIONS (a CORS preflight) with 204, as Prometheus's router does.
    private static readonly string[] s_get = ["GET", "OPTIONS"];
    private static readonly string[] s_getPost = ["GET", "POST", "OPTIONS"];
    private static readonly string[] s_postPut = ["POST", "PUT", "OPTIONS"];

    private readonly QueryEngine _engine;
    private readonly IQueryableStorage _storage;
    private readonly TimeSeriesDb _db;
    private readonly ServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly DateTimeOffset _startTime;
    private volatile ConfigState _config;

    /// <summary>An API over <paramref name="db"/>, evaluating with <paramref name="engine"/>.</summary>
    public PrometheusApi(QueryEngine engine, TimeSeriesDb db, ServerOptions options, TimeProvider time, ConfigReloader reloader, ILogger<PrometheusApi> log)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(reloader);
        ArgumentNullException.ThrowIfNull(log);
        _engine = engine;
        _db = db;
        _storage = db;
        _options = options;
        _time = time;
        _log = log;
        _startTime = time.GetUtcNow();
        _config = new ConfigState(ReadConfig(options.ConfigFile), _startTime);
        reloader.Subscribe((text, _) =>
        {
            _config = new ConfigState(text ?? DefaultConfigYaml, _time.GetUtcNow());
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// What <c>status/config</c> shows without a configuration file: Prometheus's own rendering of its defaults.
    /// </summary>
    public const string DefaultConfigYaml = "global:\n  scrape_interval: 1m\n  scrape_timeout: 10s\n  evaluation_interval: 1m\n";

    /// <summary>Maps every endpoint under <paramref name="prefix"/> (e.g. <c>/api/v1</c>).</summary>
    public RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string prefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(prefix);
        api.MapMethods("/query", s_getPost, Handle(QueryAsync));
        api.MapMethods("/query_range", s_getPost, Handle(QueryRangeAsync));
        api.MapMethods("/query_exemplars", s_getPost, Handle(QueryExemplarsAsync));
        api.MapMethods("/format_query", s_getPost, Handle(FormatQueryAsync));
        api.MapMethods("/series", s_getPost, Handle(SeriesAsync));
        api.MapMethods("/labels", s_getPost, Handle(LabelNamesAsync));
        api.MapMethods("/label/{name}/values", s_get, Handle(LabelValuesAsync));
        api.MapMethods("/metadata", s_get, Handle(MetadataAsync));
        api.MapMethods("/targets", s_get, Handle(TargetsAsync));
        api.MapMethods("/targets/metadata", s_get, Handle(TargetMetadataAsync));
        api.MapMethods("/rules", s_get, Handle(RulesAsync));
        api.MapMethods("/alerts", s_get, Handle(AlertsAsync));
        api.MapMethods("/alertmanagers", s_get, Handle(AlertmanagersAsync));
        api.MapMethods("/status/buildinfo", s_get, Handle(BuildInfoAsync));
        api.MapMethods("/status/config", s_get, Handle(ConfigAsync));
        api.MapMethods("/status/flags", s_get, Handle(FlagsAsync));
        api.MapMethods("/status/runtimeinfo", s_get, Handle(RuntimeInfoAsync));
        api.MapMethods("/status/tsdb", s_get, Handle(TsdbStatusAsync));
        api.MapMethods("/admin/tsdb/delete_series", s_postPut, Handle(DeleteSeriesAsync));
        api.MapMethods("/admin/tsdb/snapshot", s_postPut, Handle(SnapshotAsync));
        api.MapPost("/write", RemoteWriteAsync);
        api.MapPost("/otlp/v1/metrics", OtlpMetricsAsync);
        return api;
    }

    /// <summary>
    /// Runs a handler; an <see cref="ApiException"/> becomes Prometheus's error envelope. Like Prometheus with its
    /// default <c>--web.cors.origin=".*"</c>, a request with an <c>Origin</c> gets CORS headers allowing any origin.
    /// </summary>
    private static RequestDelegate Handle(Func<HttpContext, ApiForm, Task> handler) => async context =>
    {
        if (context.Request.Headers.Origin.Count > 0)
        {
            var headers = context.Response.Headers;
            headers.AccessControlAllowHeaders = "Accept, Authorization, Content-Type, Origin";
            headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
            headers.AccessControlAllowOrigin = "*";
            headers.AccessControlExposeHeaders = "Date";
            headers.Vary = "Origin";
        }
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        try
        {
            var form = await ApiForm.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            await handler(context, form).ConfigureAwait(false);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await ApiResponse.WriteErrorAsync(context.Response, e.Type, e.Message).ConfigureAwait(false);
        }
    };

    /// <summary>The current time as a parameter default.</summary>
    private ApiTime Now()
    {
        var ticks = _time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks;
        return ApiTime.FromUnix(Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rem), rem * 100);
    }

    private static string ReadConfig(string? path)
    {
        if (path is null)
        {
            return DefaultConfigYaml;
        }
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DefaultConfigYaml;
        }
    }

    private sealed record ConfigState(string Yaml, DateTimeOffset LoadedAt);
}

/// <summary>Registration and mapping of <see cref="PrometheusApi"/>.</summary>
public static class PrometheusApiEndpoints
{
    /// <summary>The default environment's prefix.</summary>
    public const string DefaultPrefix = "/api/v1";

    /// <summary>Registers the query engine (limits from <paramref name="options"/>) and the API.</summary>
    public static IServiceCollection AddPrometheusApi(this IServiceCollection services, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(_ => new QueryEngine(new QueryEngineOptions
        {
            Timeout = options.QueryTimeout,
            MaxSamples = options.QueryMaxSamples,
            MaxConcurrentQueries = options.QueryMaxConcurrency,
            LookbackDelta = options.QueryLookbackDelta,
        }));
        services.AddSingleton<PrometheusApi>();
        return services;
    }

    /// <summary>Maps the registered <see cref="PrometheusApi"/> under <paramref name="prefix"/>.</summary>
    public static RouteGroupBuilder MapPrometheusApi(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.ServiceProvider.GetRequiredService<PrometheusApi>().Map(endpoints, prefix);
    }
}
