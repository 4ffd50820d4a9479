using Vigil.Alerting.Alerts;
using Vigil.Alerting.Config;
using Vigil.Alerting.History;
using Vigil.Alerting.NotificationLog;

namespace Vigil.Alerting.Pipeline;

/// <summary>
/// The notification stages for every receiver (Alertmanager 0.25's <c>notify.RoutingStage</c>), built by
/// <see cref="Build"/>. The aggregation group of a route hands each flush to <see cref="ExecAsync"/>, which runs the
/// stages of the route's receiver.
/// </summary>
public sealed class NotificationPipeline
{
    private readonly Dictionary<string, INotificationStage> _receivers;

    private NotificationPipeline(Dictionary<string, INotificationStage> receivers) => _receivers = receivers;

    /// <summary>The receivers' stage lists, by receiver name.</summary>
    public IReadOnlyDictionary<string, INotificationStage> Receivers => _receivers;

    /// <summary>
    /// Builds the pipeline the way Alertmanager's documentation describes a flush of an aggregation group:
    /// <list type="number">
    /// <item>Inhibit: drop alerts muted by an inhibition rule and a firing source alert.</item>
    /// <item>Time active: drop everything outside the route's active_time_intervals (when it has any).</item>
    /// <item>Time mute: drop everything inside one of the route's mute_time_intervals.</item>
    /// <item>Silence: drop alerts an active silence matches.</item>
    /// <item>Then, for each integration of the receiver, side by side:
    ///   dedup (notify only if something changed, or repeat_interval has passed, per the notification log),
    ///   retry (call the integration, with backoff, until the next group_interval),
    ///   set notifies (write the notification log entry).</item>
    /// </list>
    /// Alertmanager's gossip-settle and wait stages have nothing to do without a cluster and are left out.
    /// </summary>
    public static NotificationPipeline Build(
        AlertmanagerConfig config,
        IReadOnlyDictionary<string, IReadOnlyList<INotifier>> integrations,
        IMuter inhibitor,
        IMuter silencer,
        NotificationLogStore notificationLog,
        NotificationMetrics? metrics,
        AlertHistory? history,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(integrations);
        var intervals = TimeIntervalStage.From(config);
        var inhibit = new MuteStage(inhibitor);
        var timeActive = new TimeIntervalStage(intervals, active: true);
        var timeMute = new TimeIntervalStage(intervals, active: false);
        var silence = new MuteStage(silencer);

        var receivers = new Dictionary<string, INotificationStage>(StringComparer.Ordinal);
        foreach (var receiver in config.Receivers)
        {
            var perIntegration = new List<INotificationStage>();
            foreach (var integration in integrations.GetValueOrDefault(receiver.Name, []))
            {
                var who = new NotificationReceiver(receiver.Name, integration.Integration, integration.Index);
                perIntegration.Add(new MultiStage(
                [
                    new DedupStage(notificationLog, who, integration.SendResolved, time),
                    new RetryStage(integration, receiver.Name, metrics, history, time),
                    new SetNotifiesStage(notificationLog, who),
                ]));
            }
            receivers[receiver.Name] = new MultiStage([inhibit, timeActive, timeMute, silence, new FanoutStage(perIntegration)]);
        }
        return new NotificationPipeline(receivers);
    }

    /// <summary>Runs the stages of <paramref name="context"/>'s receiver on a flush's alerts; false when a stage failed.</summary>
    public async Task<bool> ExecAsync(PipelineContext context, IReadOnlyList<Alert> alerts, CancellationToken ct, Action<Exception>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_receivers.TryGetValue(context.Notification.Receiver, out var stage))
        {
            onError?.Invoke(new InvalidOperationException($"receiver \"{context.Notification.Receiver}\" does not exist"));
            return false;
        }
        try
        {
            await stage.ExecAsync(context, alerts, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            onError?.Invoke(e);
            return false;
        }
    }
}
