using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Config;
using Vigil.Alerting.Dispatch;
using Vigil.Alerting.History;
using Vigil.Alerting.Inhibition;
using Vigil.Alerting.NotificationLog;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Routing;
using Vigil.Alerting.Silencing;
using Vigil.Server.Hosting;

namespace Vigil.Server.Alerting;

/// <summary>
/// The environment's alerting pipeline, composed in one place: the alert store and marker, silences and the
/// notification log (loaded from snapshots in <c>{data}/alertmanager/</c>), the history, and, per configuration,
/// the inhibitor, the notification pipeline and the dispatcher. A reload builds a new pipeline and dispatcher and
/// keeps the state (alerts, silences, log), as Alertmanager does.
/// </summary>
/// <remarks>
/// Durability: a silence change is written to disk before the API answers; the notification log is written at most
/// <see cref="NotificationLogFlushDelay"/> after a notification, and both every <see cref="MaintenanceInterval"/> and
/// at shutdown. A kill -9 therefore forgets at most the notifications of the last second, which may then be sent again.
/// </remarks>
public sealed class AlertingService : IHostedService, IDisposable
{
    /// <summary>How often snapshots are written and expired state dropped (Alertmanager's <c>--data.maintenance-interval</c>).</summary>
    public static readonly TimeSpan MaintenanceInterval = TimeSpan.FromMinutes(15);

    /// <summary>How often resolved alerts are dropped from the store (Alertmanager's <c>--alerts.gc-interval</c>).</summary>
    public static readonly TimeSpan AlertGcInterval = TimeSpan.FromMinutes(30);

    /// <summary>How soon after a notification the notification log is written.</summary>
    public static readonly TimeSpan NotificationLogFlushDelay = TimeSpan.FromSeconds(1);

    /// <summary>How often alerts that resolved by timeout (no end from their sender) are looked for, to record them in the history.</summary>
    public static readonly TimeSpan ResolvedScanInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long silences and log entries are kept after they end (Alertmanager's <c>--data.retention</c>).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(120);

    /// <summary>The configuration used without <c>--alertmanager.config.file</c>.</summary>
    public const string DefaultConfig = """
        route:
          receiver: default
        receivers:
          - name: default
        """;

    private readonly Lock _lock = new();
    private readonly ServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly INotifierFactory? _notifiers;
    private readonly string _stateDirectory;
    private readonly Meter _meter;
    private readonly NotificationMetrics _notificationMetrics;
    private ITimer? _maintenance;
    private ITimer? _alertGc;
    private ITimer? _nflogFlush;
    private ITimer? _resolvedScan;
    private int _nflogDirty;
    private IDisposable? _inhibitorSubscription;
    private Current _current;

    /// <summary>What one configuration built.</summary>
    public sealed record Current(AlertmanagerConfig Config, string Original, Route Route, Dispatcher Dispatcher, InhibitMuter Inhibitor, SilenceMuter Silencer, DateTimeOffset LoadedAt);

    /// <summary>Loads the configuration and the saved state; throws <see cref="StartupException"/> for a bad configuration or state file.</summary>
    public AlertingService(ServerOptions options, string dataPath, TimeProvider time, IMeterFactory meters, ILoggerFactory logs, INotifierFactory? notifiers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(logs);
        _options = options;
        _time = time;
        _log = logs.CreateLogger("Vigil.Alerting");
        _notifiers = notifiers;
        _stateDirectory = Path.Combine(dataPath, "alertmanager");
        Started = time.GetUtcNow();
        Marker = new AlertMarker();
        Store = new AlertStore(time, Marker);
        Ingestion = new AlertIngestion(Store, time);
        Silences = new SilenceStore(time, Retention);
        NotificationLog = new NotificationLogStore(time, Retention);
        try
        {
            Directory.CreateDirectory(_stateDirectory);
            Silences.Load(SilencesPath);
            NotificationLog.Load(NotificationLogPath);
            History = new AlertHistory(time, maxEvents: 100_000, maxAge: TimeSpan.FromDays(7), Path.Combine(_stateDirectory, "history.jsonl"));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new StartupException($"loading alerting state failed: {e.Message}", e);
        }
        Store.Subscribe((alert, _) => History.RecordAlert(alert));
        Store.Removed += History.Forget;
        NotificationLog.Logged += () => Interlocked.Exchange(ref _nflogDirty, 1);
        _meter = meters.Create(AlertingMetrics.MeterName);
        _notificationMetrics = new NotificationMetrics(_meter);
        if (!TryBuild(ReadConfig(out var original), original, out var current, out var error))
        {
            throw new StartupException(error);
        }
        _current = current;
        AlertingMetrics.Register(_meter, this);
    }

    /// <summary>When the service started (<c>uptime</c> in <c>/api/v2/status</c>).</summary>
    public DateTimeOffset Started { get; }

    /// <summary>The alerts.</summary>
    public AlertStore Store { get; }

    /// <summary>What silences and inhibitions last decided per alert.</summary>
    public AlertMarker Marker { get; }

    /// <summary>Receives posted alerts.</summary>
    public AlertIngestion Ingestion { get; }

    /// <summary>The silences.</summary>
    public SilenceStore Silences { get; }

    /// <summary>The notification log.</summary>
    public NotificationLogStore NotificationLog { get; }

    /// <summary>The alert history.</summary>
    public AlertHistory History { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time => _time;

    /// <summary>The current configuration and what it built.</summary>
    public Current Active
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    private string SilencesPath => Path.Combine(_stateDirectory, "silences");

    private string NotificationLogPath => Path.Combine(_stateDirectory, "nflog");

    /// <summary>Sets the alert status (inhibited/silenced) of an alert now, as the API does before showing it.</summary>
    public void UpdateStatus(Vigil.Model.Labels labels)
    {
        var current = Active;
        current.Inhibitor.Mutes(labels);
        current.Silencer.Mutes(labels);
    }

    /// <summary>Writes the silences now (the API calls it after every change so that it survives a crash).</summary>
    public void SaveSilences() => Silences.Snapshot(SilencesPath);

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var current = Active;
        current.Dispatcher.Start();
        _inhibitorSubscription = SubscribeInhibitor(current.Inhibitor);
        _maintenance = _time.CreateTimer(_ => Maintain(), null, MaintenanceInterval, MaintenanceInterval);
        _alertGc = _time.CreateTimer(_ => Store.CollectGarbage(), null, AlertGcInterval, AlertGcInterval);
        _nflogFlush = _time.CreateTimer(_ => FlushNotificationLog(), null, NotificationLogFlushDelay, NotificationLogFlushDelay);
        _resolvedScan = _time.CreateTimer(_ => RecordTimedOut(), null, ResolvedScanInterval, ResolvedScanInterval);
        _log.LogInformation("Alerting started: config {Config}, {Silences} silences and {Entries} notification log entries loaded",
            _options.AlertmanagerConfigFile ?? "(built-in default)", Silences.All().Count, NotificationLog.Count);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _maintenance?.Dispose();
        _alertGc?.Dispose();
        _nflogFlush?.Dispose();
        _resolvedScan?.Dispose();
        Active.Dispatcher.Dispose();
        Maintain();
        return Task.CompletedTask;
    }

    /// <summary>Re-reads the Alertmanager configuration and swaps in a new pipeline; throws <see cref="ConfigReloadException"/> when it is invalid.</summary>
    public void Reload()
    {
        string text;
        try
        {
            text = ReadConfig(out _);
        }
        catch (IOException e)
        {
            throw new ConfigReloadException($"couldn't load Alertmanager configuration (--alertmanager.config.file=\"{_options.AlertmanagerConfigFile}\"): {e.Message}", e);
        }
        if (!TryBuild(text, text, out var next, out var error))
        {
            throw new ConfigReloadException(error);
        }
        Current previous;
        lock (_lock)
        {
            previous = _current;
            _current = next;
        }
        previous.Dispatcher.Dispose();
        _inhibitorSubscription?.Dispose();
        _inhibitorSubscription = SubscribeInhibitor(next.Inhibitor);
        next.Dispatcher.Start();
        _log.LogInformation("Completed loading of Alertmanager configuration file {File}", _options.AlertmanagerConfigFile ?? "(built-in default)");
    }

    /// <summary>Drops expired state and writes the snapshots.</summary>
    public void Maintain()
    {
        try
        {
            Silences.CollectGarbage();
            NotificationLog.CollectGarbage();
            Silences.Snapshot(SilencesPath);
            NotificationLog.Snapshot(NotificationLogPath);
            Interlocked.Exchange(ref _nflogDirty, 0);
            History.Flush();
        }
        catch (IOException e)
        {
            _log.LogError(e, "Writing alerting snapshots failed");
        }
    }

    /// <summary>Records in the history the alerts that resolved because their sender stopped sending them (at most one scan interval late).</summary>
    public void RecordTimedOut()
    {
        var now = _time.GetUtcNow();
        foreach (var alert in Store.Snapshot())
        {
            if (alert.ResolvedAt(now))
            {
                History.RecordResolvedIfFiring(alert);
            }
        }
    }

    /// <summary>Writes the notification log if a notification was logged since the last write.</summary>
    public void FlushNotificationLog()
    {
        if (Interlocked.Exchange(ref _nflogDirty, 0) == 0)
        {
            return;
        }
        try
        {
            NotificationLog.Snapshot(NotificationLogPath);
            History.Flush();
        }
        catch (IOException e)
        {
            Interlocked.Exchange(ref _nflogDirty, 1);
            _log.LogError(e, "Writing the notification log failed");
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _maintenance?.Dispose();
        _alertGc?.Dispose();
        _nflogFlush?.Dispose();
        _resolvedScan?.Dispose();
        _inhibitorSubscription?.Dispose();
        History.Dispose();
        _meter.Dispose();
    }

    private IDisposable SubscribeInhibitor(InhibitMuter inhibitor)
    {
        var subscription = Store.Subscribe((alert, _) => inhibitor.Observe(alert));
        Store.Removed += inhibitor.Forget;
        return new Unsubscribe(() =>
        {
            subscription.Dispose();
            Store.Removed -= inhibitor.Forget;
        });
    }

    private string ReadConfig(out string original)
    {
        original = _options.AlertmanagerConfigFile is { } path ? File.ReadAllText(path) : DefaultConfig;
        return original;
    }

    private bool TryBuild(string text, string original, out Current current, out string error)
    {
        var file = _options.AlertmanagerConfigFile;
        var directory = file is null ? null : Path.GetDirectoryName(Path.GetFullPath(file));
        if (!AlertmanagerConfigLoader.TryLoad(text, file ?? "(built-in alertmanager config)", directory, out var config, out var errors))
        {
            current = null!;
            error = $"loading Alertmanager configuration failed (--alertmanager.config.file=\"{file}\"):\n{string.Join('\n', errors)}";
            return false;
        }
        var integrations = new Dictionary<string, IReadOnlyList<INotifier>>(StringComparer.Ordinal);
        foreach (var receiver in config.Receivers)
        {
            integrations[receiver.Name] = _notifiers?.Create(receiver, config) ?? [];
            foreach (var unsupported in receiver.Unsupported)
            {
                _log.LogWarning("Receiver {Receiver}: {Key} (line {Line}) is not supported by Vigil and will not be notified", receiver.Name, unsupported.Key, unsupported.Line);
            }
        }
        var inhibitor = new InhibitMuter(new Inhibitor(config.InhibitRules), Marker, History, _time);
        var silencer = new SilenceMuter(Silences, Marker, History);
        var pipeline = NotificationPipeline.Build(config, integrations, inhibitor, silencer, NotificationLog, _notificationMetrics, History, _time);
        var route = Route.Build(config.Route);
        var externalUrl = $"http://{_options.ListenAddress}";
        var dispatcher = new Dispatcher(route, Store, pipeline, _time, externalUrl, message => _log.LogError("{Message}", message));
        current = new Current(config, original, route, dispatcher, inhibitor, silencer, _time.GetUtcNow());
        error = "";
        return true;
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
