using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.PromQL.Engine;
using Vigil.Rules.Alerts;
using Vigil.Rules.Evaluation;
using Vigil.Rules.Loading;
using Vigil.Scrape.Config;
using Vigil.Server.Hosting;
using Vigil.Tsdb;

namespace Vigil.Server.Rules;

/// <summary>
/// Runs the environment's recording and alerting rules (Prometheus's rule manager in <c>main.go</c>): the
/// configuration's <c>rule_files</c> globs, relative to the configuration file's directory, evaluated through the
/// PromQL engine against the TSDB and appended into it; reloaded with the configuration (<c>/-/reload</c>, SIGHUP via
/// <see cref="ConfigReloader"/>), keeping the running rules when the new ones fail to load. Alerts go to the
/// <see cref="IAlertSink"/> registered in DI (see <see cref="RuleServiceCollectionExtensions.AddRules"/>).
/// </summary>
public sealed class RuleService : IHostedService, IDisposable
{
    private readonly ServerOptions _options;
    private readonly PrometheusConfig? _initial;
    private readonly IServer _server;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _log;
    private readonly SloRuleSource _slo;
    private readonly object _lock = new();
    private string _externalUrl = "";

    /// <summary>Creates the service; evaluation starts once the server listens.</summary>
    public RuleService(PrometheusConfig? initial, ServerOptions options, TimeSeriesDb db, QueryEngine engine, ConfigReloader reloader,
        IServer server, IHostApplicationLifetime lifetime, TimeProvider time, IAlertSink sink, ILogger<RuleService> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(reloader);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(log);
        _initial = initial;
        _options = options;
        _server = server;
        _lifetime = lifetime;
        _log = log;
        _slo = SloRuleSource.For(options);
        Metrics = new RuleEvaluationStats();
        Manager = new RuleManager(new RuleManagerOptions
        {
            Engine = engine,
            Queryable = db,
            Appendable = db,
            AlertSink = sink,
            Time = time,
            OutageTolerance = options.RulesForOutageTolerance,
            ForGracePeriod = options.RulesForGracePeriod,
            ResendDelay = options.RulesResendDelay,
            Warning = message => log.LogWarning("{Message}", message),
            RuleEvaluated = Metrics.RuleEvaluated,
            GroupIterated = Metrics.GroupIterated,
        });
        reloader.Subscribe(ReloadAsync);
    }

    /// <summary>The rule manager: groups, rules and alerts for the API.</summary>
    public RuleManager Manager { get; }

    /// <summary>Evaluation durations for <c>/metrics</c>.</summary>
    public RuleEvaluationStats Metrics { get; }

    /// <summary>The external URL alerts link to (Prometheus's default: <c>http://HOSTNAME:PORT</c>).</summary>
    public string ExternalUrl
    {
        get { lock (_lock) { return _externalUrl; } }
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Rules start once Vigil listens: the external URL needs the bound port, and the storage is open by then.
        _lifetime.ApplicationStarted.Register(() =>
        {
            lock (_lock)
            {
                _externalUrl = DefaultExternalUrl();
            }
            if ((_initial is not null || !_slo.IsEmpty) && !Apply(_initial ?? DefaultConfig(), out var errors))
            {
                _log.LogError("Error loading rules, no rules are evaluated: {Errors}", string.Join("; ", errors));
            }
            Manager.Run();
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Manager.Stop();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void Dispose() => Manager.Dispose();

    /// <summary>
    /// Rule files of the initial configuration that do not load stop start-up, as they stop Prometheus
    /// ("error loading config ... one or more errors occurred while applying the new configuration"); a reload keeps
    /// the running rules instead.
    /// </summary>
    public static void ThrowIfRuleFilesInvalid(PrometheusConfig? config, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (config is null)
        {
            return;
        }
        var errors = new List<string>();
        foreach (var file in ResolveRuleFiles(config.RuleFiles, options.ConfigFile))
        {
            if (!RuleFileParser.TryParseFile(file, out _, out var fileErrors))
            {
                errors.AddRange(fileErrors);
            }
        }
        if (errors.Count > 0)
        {
            throw new StartupException(
                $"error loading config from \"{options.ConfigFile}\" (--config.file): one or more errors occurred while applying the new configuration: loading rule files failed:\n{string.Join('\n', errors)}");
        }
    }

    /// <summary>Loads <paramref name="config"/>'s rule files into the manager; false with the errors when one fails.</summary>
    public bool Apply(PrometheusConfig config, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        var files = ResolveRuleFiles(config.RuleFiles, _options.ConfigFile);
        // --slo.file specs compile to rule files of their own, evaluated after the configuration's rule_files.
        if (!_slo.TryGenerate(out var sloFiles, out errors))
        {
            return false;
        }
        files.AddRange(sloFiles);
        return Manager.Update(config.Global.EvaluationInterval, files, config.Global.ExternalLabels, ExternalUrl, out errors);
    }

    private Task ReloadAsync(string? text, CancellationToken cancellationToken)
    {
        PrometheusConfig? config;
        if (_options.ConfigFile is not { } path)
        {
            if (_slo.IsEmpty)
            {
                return Task.CompletedTask;
            }
            // Without a configuration file only the SLO specs can change.
            config = DefaultConfig();
        }
        else if (!ConfigLoader.TryLoadFile(path, out config, out _))
        {
            // The scrape service reports the configuration's own errors; the running rules stay.
            return Task.CompletedTask;
        }
        if (!Apply(config!, out var errors))
        {
            foreach (var e in errors)
            {
                _log.LogError("loading groups failed: {Error}", e);
            }
            throw new ConfigReloadException($"error loading rules, previous rule set restored: {string.Join("; ", errors)}");
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Prometheus's handling of <c>rule_files</c>: each pattern relative to the configuration file's directory, then
    /// globbed (wildcards in the file name), matches in lexical order.
    /// </summary>
    public static List<string> ResolveRuleFiles(IReadOnlyList<string> patterns, string? configFile)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        // Prometheus joins each pattern to the configuration file's directory as given (config.JoinDir), so the
        // API shows "rules.yml" for a configuration in the working directory and an absolute path for an absolute one.
        var baseDir = configFile is null ? "" : Path.GetDirectoryName(configFile) ?? "";
        var files = new List<string>();
        foreach (var pattern in patterns)
        {
            var full = Path.IsPathRooted(pattern) || baseDir.Length == 0 ? pattern : Path.Combine(baseDir, pattern);
            var name = Path.GetFileName(full);
            if (name.IndexOfAny(['*', '?', '[']) < 0)
            {
                if (File.Exists(full))
                {
                    files.Add(full);
                }
                continue;
            }
            var dir = Path.GetDirectoryName(full) ?? "";
            if (!Directory.Exists(dir.Length == 0 ? "." : dir))
            {
                continue;
            }
            var matches = new List<string>();
            foreach (var entry in Directory.EnumerateFiles(dir.Length == 0 ? "." : dir, name))
            {
                matches.Add(dir.Length == 0 ? Path.GetFileName(entry) : Path.Combine(dir, Path.GetFileName(entry)));
            }
            matches.Sort(StringComparer.Ordinal);
            files.AddRange(matches);
        }
        return files;
    }

    private static PrometheusConfig DefaultConfig()
    {
        // No --config.file: Prometheus's defaults (evaluation_interval 1m, no external labels) for the SLO groups.
        if (!ConfigLoader.TryLoad("{}\n", null, out var config, out var errors))
        {
            throw new InvalidOperationException($"the empty configuration does not load: {ConfigLoader.Describe(errors)}");
        }
        return config;
    }

    private string DefaultExternalUrl()
    {
        var port = _options.ListenAddress.Port;
        var addresses = _server.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is not null)
        {
            foreach (var text in addresses)
            {
                if (Uri.TryCreate(text.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
                {
                    port = uri.Port;
                    break;
                }
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"http://{Environment.MachineName}:{port}");
    }
}

/// <summary>Evaluation durations, recorded into the histograms <see cref="RuleMetrics"/> attaches.</summary>
public sealed class RuleEvaluationStats
{
    private System.Diagnostics.Metrics.Histogram<double>? _rules;
    private System.Diagnostics.Metrics.Histogram<double>? _groups;

    internal void Attach(System.Diagnostics.Metrics.Histogram<double> rules, System.Diagnostics.Metrics.Histogram<double> groups)
    {
        _rules = rules;
        _groups = groups;
    }

    internal void RuleEvaluated(TimeSpan duration) => _rules?.Record(duration.TotalSeconds);

    internal void GroupIterated(TimeSpan duration) => _groups?.Record(duration.TotalSeconds);
}
