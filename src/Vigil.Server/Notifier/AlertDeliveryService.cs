using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Receivers;
using Vigil.Rules.Alerts;
using Vigil.Scrape.Config;
using Vigil.Server.Alerting;
using Vigil.Server.Hosting;

namespace Vigil.Server.Notifier;

/// <summary>
/// Runs the <see cref="AlertmanagerNotifier"/> on the Prometheus configuration (<c>alerting:</c> and external labels)
/// and follows reloads; registers Prometheus's <c>prometheus_notifications_*</c> metrics.
/// </summary>
public sealed class AlertDeliveryService : IHostedService, IAsyncDisposable
{
    /// <summary>The meter the notifier's metrics live on.</summary>
    public const string MeterName = "Vigil.Notifier";

    private readonly PrometheusConfig? _initial;
    private readonly ServerOptions _options;
    private readonly ILogger _log;

    /// <summary>Creates the service; <paramref name="initial"/> is the configuration loaded at start-up (null: none).</summary>
    public AlertDeliveryService(PrometheusConfig? initial, ServerOptions options, ConfigReloader reloader, IMeterFactory meters, TimeProvider time, ILogger<AlertDeliveryService> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reloader);
        ArgumentNullException.ThrowIfNull(meters);
        _initial = initial;
        _options = options;
        _log = log;
        Notifier = new AlertmanagerNotifier(10_000, time, log);
        Register(meters.Create(MeterName), Notifier);
        reloader.Subscribe(ReloadAsync);
    }

    /// <summary>The notifier rule alerts go to.</summary>
    public AlertmanagerNotifier Notifier { get; }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_initial is not null)
        {
            await Notifier.ApplyConfigAsync(_initial, cancellationToken).ConfigureAwait(false);
        }
        Notifier.Start();
        _log.LogInformation("Starting notifier: {Count} Alertmanager(s) discovered", Notifier.Alertmanagers.Count);
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Notifier.DisposeAsync();

    private async Task ReloadAsync(string? text, CancellationToken ct)
    {
        if (_options.ConfigFile is not { } path)
        {
            return;
        }
        if (!ConfigLoader.TryLoadFile(path, out var config, out var errors))
        {
            throw new ConfigReloadException($"couldn't load configuration (--config.file=\"{path}\"): {ConfigLoader.Describe(errors)}");
        }
        await Notifier.ApplyConfigAsync(config, ct).ConfigureAwait(false);
    }

    /// <summary>Prometheus 2.42's notifier metrics; the latency summary is exported as its count and sum.</summary>
    public static void Register(Meter meter, AlertmanagerNotifier notifier)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(notifier);
        meter.CreateObservableCounter("prometheus_notifications_sent_total", () => Per(notifier, static s => s.Sent),
            description: "Total number of alerts sent.");
        meter.CreateObservableCounter("prometheus_notifications_errors_total", () => Per(notifier, static s => s.Errors),
            description: "Total number of errors sending alert notifications.");
        meter.CreateObservableCounter("prometheus_notifications_latency_seconds_count", () => Per(notifier, static s => s.Requests),
            description: "Latency quantiles for sending alert notifications (count).");
        meter.CreateObservableCounter("prometheus_notifications_latency_seconds_sum", () => Per(notifier, static s => s.LatencySeconds),
            description: "Latency quantiles for sending alert notifications (sum of seconds).");
        meter.CreateObservableCounter("prometheus_notifications_dropped_total", () => notifier.Dropped,
            description: "Total number of alerts dropped due to errors when sending to Alertmanager.");
        meter.CreateObservableGauge("prometheus_notifications_queue_length", () => notifier.QueueLength,
            description: "The number of alert notifications in the queue.");
        meter.CreateObservableGauge("prometheus_notifications_queue_capacity", () => notifier.QueueCapacity,
            description: "The capacity of the alert notifications queue.");
        meter.CreateObservableGauge("prometheus_notifications_alertmanagers_discovered", () => notifier.Alertmanagers.Count,
            description: "The number of alertmanagers discovered and active.");
    }

    private static IEnumerable<Measurement<T>> Per<T>(AlertmanagerNotifier notifier, Func<AlertmanagerNotifier.AlertmanagerStats, T> value) where T : struct
    {
        foreach (var (url, stats) in notifier.Stats)
        {
            yield return new Measurement<T>(value(stats), new KeyValuePair<string, object?>("alertmanager", url));
        }
    }
}

/// <summary>DI registration of alert delivery.</summary>
public static class AlertDeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the receivers (<see cref="ReceiverNotifierFactory"/> as the pipeline's <see cref="INotifierFactory"/>),
    /// the <see cref="AlertDeliveryService"/> for external Alertmanagers, and the rule evaluator's <see cref="IAlertSink"/>:
    /// every rule alert goes to the in-process pipeline (when <see cref="AlertingService"/> is registered) and to the
    /// external Alertmanagers of <c>alerting:</c>.
    /// </summary>
    public static IServiceCollection AddAlertDelivery(this IServiceCollection services, PrometheusConfig? config, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<INotifierFactory>(new ReceiverNotifierFactory());
        services.AddSingleton(sp => new AlertDeliveryService(config, options, sp.GetRequiredService<ConfigReloader>(), sp.GetRequiredService<IMeterFactory>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AlertDeliveryService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<AlertDeliveryService>());
        services.AddSingleton<IAlertSink>(sp =>
        {
            var external = sp.GetRequiredService<AlertDeliveryService>().Notifier;
            if (sp.GetService<AlertingService>() is { } alerting)
            {
                var inProcess = new InProcessAlertSink(alerting.Ingestion, () => alerting.Active.Config.Global.ResolveTimeout, external);
                return new FanoutAlertSink(inProcess, external);
            }
            return external;
        });
        return services;
    }
}
