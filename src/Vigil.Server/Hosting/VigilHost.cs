using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Instrumentation;
using Vigil.PromQL.Engine;
using Vigil.Server.Alerting;
using Vigil.Server.Api;
using Vigil.Server.Remote;
using Vigil.Server.Federation;
using Vigil.Server.Notifier;
using Vigil.Server.Rules;
using Vigil.Server.Scrape;
using Vigil.Server.Storage;
using Vigil.Tsdb;

namespace Vigil.Server.Hosting;

/// <summary>
/// Composes the <c>vigil serve</c> process: Kestrel on the listen address, logging, the data directory,
/// the management endpoints, and Vigil's own <c>/metrics</c>. Later parts (storage, scraping, rules,
/// alerting) are composed here, one environment pipeline each.
/// </summary>
public static class VigilHost
{
    /// <summary>The meter Vigil's own metrics are recorded on.</summary>
    public const string MeterName = "Vigil";

    /// <summary>
    /// Builds the application. <paramref name="configure"/> lets tests swap the server (e.g. TestServer)
    /// or add services before the app is built. Throws <see cref="StartupException"/> for bad options.
    /// </summary>
    public static WebApplication Build(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ConfigFile is { } configFile && !File.Exists(configFile))
        {
            throw new StartupException($"error loading config from \"{configFile}\" (--config.file): file not found");
        }
        // A configuration with errors stops start-up with them (file:line: message), as Prometheus does.
        var scrapeConfig = ScrapeService.LoadInitial(options);
        // So does an SLO spec that does not compile (--slo.file), with file:line for each problem.
        Vigil.Server.Rules.SloRuleSource.ThrowIfInvalid(options);
        // And rule files that do not load (file:line for each problem).
        Vigil.Server.Rules.RuleService.ThrowIfRuleFilesInvalid(scrapeConfig, options);
        var dataPath = DataDirectory.Prepare(options.DataPath);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "Vigil",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(options.LogLevel);
        // Kestrel's and hosting's own chatter stays at warning unless debugging.
        builder.Logging.AddFilter("Microsoft", options.LogLevel <= LogLevel.Debug ? LogLevel.Debug : LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = options.ListenAddress;
            if (address.IsAnyInterface)
            {
                kestrel.ListenAnyIP(address.Port);
            }
            else if (address.Host == "localhost")
            {
                kestrel.ListenLocalhost(address.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(address.Host), address.Port);
            }
            kestrel.AddServerHeader = false;
        });

        builder.Services.AddLifecycle(options);
        builder.Services.AddVigilMetrics();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => OpenStorage(dataPath, options, sp));
        builder.Services.AddHostedService<TsdbMaintenance>();
        builder.Services.AddPrometheusApi(options);
        builder.Services.AddSingleton(sp => new ScrapeService(scrapeConfig, options, sp.GetRequiredService<TimeSeriesDb>(), sp.GetRequiredService<ConfigReloader>(),
            sp.GetRequiredService<IServer>(), sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ScrapeService>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ScrapeService>());
        builder.Services.AddSingleton(sp => new RemoteWriteService(scrapeConfig, options, sp.GetRequiredService<TimeSeriesDb>(), sp.GetRequiredService<ConfigReloader>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<ILogger<RemoteWriteService>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RemoteWriteService>());
        builder.Services.AddAlerting(options);
        builder.Services.AddAlertDelivery(scrapeConfig, options);
        builder.Services.AddRules(scrapeConfig, options);
        configure?.Invoke(builder);

        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Vigil");
        RegisterBuildInfo(app);
        // Open the store now, before listening: a locked or corrupt data dir stops start-up with its reason.
        try
        {
            var db = app.Services.GetRequiredService<TimeSeriesDb>();
            TsdbMetrics.Register(app.Services.GetRequiredService<IMeterFactory>(), db);
            ScrapeMetrics.Register(app.Services.GetRequiredService<IMeterFactory>(), app.Services.GetRequiredService<ScrapeService>());
            RuleMetrics.Register(app.Services.GetRequiredService<IMeterFactory>(), app.Services.GetRequiredService<RuleService>());
            EngineMetrics.Register(app.Services.GetRequiredService<IMeterFactory>(), app.Services.GetRequiredService<QueryEngine>());
            log.LogInformation("TSDB started: {Blocks} blocks, {Series} series and {Samples} samples replayed from the WAL",
                db.Blocks.Count, db.LastReplay.Series, db.LastReplay.Samples);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Vigil.Tsdb.Wal.CorruptionException or Vigil.Tsdb.Blocks.BlockFormatException)
        {
            throw new StartupException($"opening storage failed (--storage.tsdb.path=\"{options.DataPath}\"): {e.Message}", e);
        }

        app.MapGet("/", () => Results.Text(LandingPage, "text/html; charset=utf-8"));
        app.MapLifecycleEndpoints(options);
        app.MapPrometheusApi();
        app.MapFederation();
        app.MapAlertmanagerApi();
        app.MapPrometheusScrapingEndpoint();

        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            log.LogInformation("Vigil {Version} listening on {Addresses}; data in {DataPath}; config {Config}",
                BuildInfo.Version,
                addresses is { Count: > 0 } ? string.Join(", ", addresses) : options.ListenAddress.ToString(),
                dataPath,
                options.ConfigFile ?? "(embedded defaults)");
            app.Services.GetRequiredService<Readiness>().MarkReady();
            log.LogInformation("Server is ready to receive web requests.");
        });
        lifetime.ApplicationStopping.Register(() => log.LogInformation("Stopping Vigil..."));
        lifetime.ApplicationStopped.Register(() => log.LogInformation("See you next time!"));
        return app;
    }

    private static TimeSeriesDb OpenStorage(string dataPath, ServerOptions options, IServiceProvider services)
    {
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Vigil.Tsdb");
        return TimeSeriesDb.Open(dataPath, new TsdbOptions
        {
            RetentionTime = options.RetentionTime,
            RetentionSizeBytes = options.RetentionSizeBytes,
            TimeProvider = services.GetRequiredService<TimeProvider>(),
            Warning = message => log.LogWarning("{Message}", message),
        });
    }

    private static void RegisterBuildInfo(WebApplication app)
    {
        var meter = app.Services.GetRequiredService<IMeterFactory>().Create(MeterName);
        meter.CreateObservableGauge(
            "vigil_build_info",
            () => new Measurement<long>(1,
                new KeyValuePair<string, object?>("version", BuildInfo.Version),
                new KeyValuePair<string, object?>("revision", BuildInfo.Revision),
                new KeyValuePair<string, object?>("dotnetversion", BuildInfo.RuntimeVersion)),
            description: "A metric with a constant '1' value labeled by version, revision and .NET version from which Vigil was built.");
    }

    private const string LandingPage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Vigil</title></head>
        <body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto">
        <h1>Vigil</h1>
        <p>Metrics, rules, alerts and dashboards in one service.</p>
        <ul>
          <li><a href="/metrics">/metrics</a>: Vigil's own metrics</li>
          <li><a href="/-/healthy">/-/healthy</a> and <a href="/-/ready">/-/ready</a></li>
        </ul>
        </body></html>
        """;
}
