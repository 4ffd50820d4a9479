using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Scrape.Config;
using Vigil.Scrape.Manager;
using Vigil.Scrape.Scraping;
using Vigil.Server.Hosting;
using Vigil.Tsdb;

namespace Vigil.Server.Scrape;

/// <summary>
/// Runs the environment's scraping: the <c>--config.file</c> (a plain Prometheus configuration) loaded at start-up,
/// or the embedded default that scrapes Vigil itself; targets appended into the TSDB; reloads on SIGHUP and
/// <c>/-/reload</c> through <see cref="ConfigReloader"/>. A bad new configuration is rejected with its errors and
/// the running one keeps going, as Prometheus does.
/// </summary>
public sealed class ScrapeService : IHostedService, IAsyncDisposable
{
    /// <summary>The job of the embedded default configuration.</summary>
    public const string SelfJob = "vigil";

    private readonly ServerOptions _options;
    private readonly IServer _server;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConfigReloader _reloader;
    private readonly PrometheusConfig? _initial;
    private PosixSignalRegistration? _sighup;
    private string? _defaultYaml;
    private long _lastReloadSuccessful = 1;
    private long _lastSuccessTicks;

    /// <summary>A service appending into <paramref name="db"/>, starting with <paramref name="initial"/> (null: the embedded default).</summary>
    public ScrapeService(PrometheusConfig? initial, ServerOptions options, TimeSeriesDb db, ConfigReloader reloader, IServer server,
        IHostApplicationLifetime lifetime, TimeProvider time, ILogger<ScrapeService> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(reloader);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(log);
        _initial = initial;
        _options = options;
        _server = server;
        _lifetime = lifetime;
        _time = time;
        _log = log;
        _reloader = reloader;
        Stats = new ScrapeStats();
        Manager = new ScrapeManager(db, new ScrapeManagerOptions
        {
            TimeProvider = time,
            Stats = Stats,
            // Stable across restarts (string.GetHashCode is not), so targets keep their phase, as Prometheus's hostname hash.
            OffsetSeed = Vigil.Model.Labels.Of("hostname", Environment.MachineName).Hash,
            Warning = message => log.LogWarning("{Message}", message),
        });
        reloader.Subscribe(ReloadAsync);
    }

    /// <summary>The scrape manager: targets and metadata for the API.</summary>
    public ScrapeManager Manager { get; }

    /// <summary>The scrape engine's counters (exported by <see cref="ScrapeMetrics"/>).</summary>
    public ScrapeStats Stats { get; }

    /// <summary><c>prometheus_config_last_reload_successful</c>: whether the last (re)load succeeded.</summary>
    public bool LastReloadSuccessful => Interlocked.Read(ref _lastReloadSuccessful) == 1;

    /// <summary><c>prometheus_config_last_reload_success_timestamp_seconds</c>: when the configuration was last loaded successfully.</summary>
    public DateTimeOffset LastReloadSuccess => new(Interlocked.Read(ref _lastSuccessTicks), TimeSpan.Zero);

    /// <summary>
    /// Loads the start-up configuration: the <c>--config.file</c>, or null when none is given (the embedded default
    /// is made once Vigil listens). A file with errors stops start-up with them (<c>file:line: message</c>).
    /// </summary>
    public static PrometheusConfig? LoadInitial(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ConfigFile is not { } path)
        {
            return null;
        }
        if (!ConfigLoader.TryLoadFile(path, out var config, out var errors))
        {
            throw new StartupException($"error loading config from \"{path}\" (--config.file): {ConfigLoader.Describe(errors)}");
        }
        return config;
    }

    /// <summary>The embedded default: Prometheus's defaults plus a job scraping Vigil's own <c>/metrics</c> at <paramref name="address"/>.</summary>
    public static string DefaultConfigYaml(string address) =>
        $"global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: {SelfJob}\n    static_configs:\n      - targets: ['{address}']\n";

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastSuccessTicks, _time.GetUtcNow().UtcTicks);
        if (_initial is not null)
        {
            await Manager.ApplyConfigAsync(_initial, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // The listen address is known (and bound: port 0 included) only once the server runs.
            _lifetime.ApplicationStarted.Register(() => _ = ApplyDefaultAsync());
        }
        if (!OperatingSystem.IsWindows())
        {
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await _reloader.ReloadAsync(CancellationToken.None).ConfigureAwait(false);
                        _log.LogInformation("Completed loading of configuration file {File}", _options.ConfigFile ?? "(embedded defaults)");
                    }
                    catch (ConfigReloadException e)
                    {
                        _log.LogError("Error reloading config: {Error}", e.Message);
                    }
                });
            });
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _sighup?.Dispose();
        _sighup = null;
        await Manager.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _sighup?.Dispose();
        await Manager.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ApplyDefaultAsync()
    {
        var address = SelfAddress();
        if (address is null)
        {
            // An in-memory test server: nothing to scrape.
            return;
        }
        _defaultYaml = DefaultConfigYaml(address);
        try
        {
            if (ConfigLoader.TryLoad(_defaultYaml, null, out var config, out var errors))
            {
                await Manager.ApplyConfigAsync(config).ConfigureAwait(false);
            }
            else
            {
                _log.LogError("Embedded default configuration is invalid: {Errors}", ConfigLoader.Describe(errors));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            _log.LogError("Applying the embedded default configuration failed: {Error}", e.Message);
        }
    }

    private string? SelfAddress()
    {
        var addresses = _server.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null)
        {
            return null;
        }
        foreach (var text in addresses)
        {
            if (!Uri.TryCreate(text.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                continue;
            }
            var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
            return string.Create(CultureInfo.InvariantCulture, $"{host}:{uri.Port}");
        }
        return null;
    }

    private async Task ReloadAsync(string? text, CancellationToken cancellationToken)
    {
        PrometheusConfig? config;
        IReadOnlyList<ConfigError> errors;
        bool loaded;
        if (_options.ConfigFile is { } path)
        {
            loaded = ConfigLoader.TryLoadFile(path, out config, out errors);
        }
        else if (_defaultYaml is { } yaml)
        {
            loaded = ConfigLoader.TryLoad(yaml, null, out config, out errors);
        }
        else
        {
            Succeeded();
            return;
        }
        if (!loaded)
        {
            Interlocked.Exchange(ref _lastReloadSuccessful, 0);
            throw new ConfigReloadException($"couldn't load configuration (--config.file=\"{_options.ConfigFile}\"): {ConfigLoader.Describe(errors)}");
        }
        try
        {
            await Manager.ApplyConfigAsync(config!, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            Interlocked.Exchange(ref _lastReloadSuccessful, 0);
            throw new ConfigReloadException($"error applying scrape configuration: {e.Message}", e);
        }
        Succeeded();
    }

    private void Succeeded()
    {
        Interlocked.Exchange(ref _lastReloadSuccessful, 1);
        Interlocked.Exchange(ref _lastSuccessTicks, _time.GetUtcNow().UtcTicks);
    }
}
