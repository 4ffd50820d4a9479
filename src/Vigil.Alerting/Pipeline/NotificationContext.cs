using Vigil.Alerting.Alerts;
using Vigil.Model;

namespace Vigil.Alerting.Pipeline;

/// <summary>
/// What a notification is about, beyond its alerts: what Alertmanager 0.25 carries in <c>notify.Context</c> (receiver
/// name, group key, group labels, now, repeat interval, time intervals) plus the external URL and the helpers
/// notification templates need (<c>.Status</c>, <c>.CommonLabels</c>, <c>.CommonAnnotations</c>).
/// </summary>
public sealed class NotificationContext
{
    /// <summary>The receiver's name (<c>.Receiver</c>).</summary>
    public required string Receiver { get; init; }

    /// <summary>The aggregation group's key (<c>{}/{team="a"}:{alertname="Down"}</c>), <c>.GroupKey</c> in webhook payloads.</summary>
    public required string GroupKey { get; init; }

    /// <summary>The labels the group is formed by (<c>.GroupLabels</c>).</summary>
    public required Labels GroupLabels { get; init; }

    /// <summary>The URL Alertmanager (here Vigil) is reachable at (<c>.ExternalURL</c>).</summary>
    public required string ExternalUrl { get; init; }

    /// <summary>The time of the flush that produced this notification; alerts are firing or resolved relative to it.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The route's repeat_interval.</summary>
    public TimeSpan RepeatInterval { get; init; }

    /// <summary>The route's mute_time_intervals names.</summary>
    public IReadOnlyList<string> MuteTimeIntervals { get; init; } = [];

    /// <summary>The route's active_time_intervals names.</summary>
    public IReadOnlyList<string> ActiveTimeIntervals { get; init; } = [];

    /// <summary><c>firing</c> when any alert fires at <see cref="Now"/>, else <c>resolved</c> (template <c>.Status</c>).</summary>
    public string Status(IReadOnlyList<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        foreach (var alert in alerts)
        {
            if (!alert.ResolvedAt(Now))
            {
                return "firing";
            }
        }
        return "resolved";
    }

    /// <summary>The labels every alert has with the same value (template <c>.CommonLabels</c>).</summary>
    public static Labels CommonLabels(IReadOnlyList<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        return Common(alerts, static a => a.Labels);
    }

    /// <summary>The annotations every alert has with the same value (template <c>.CommonAnnotations</c>).</summary>
    public static IReadOnlyDictionary<string, string> CommonAnnotations(IReadOnlyList<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        if (alerts.Count == 0)
        {
            return Alert.NoAnnotations;
        }
        var common = alerts[0].Annotations;
        for (var i = 1; i < alerts.Count; i++)
        {
            foreach (var (name, value) in common)
            {
                if (!alerts[i].Annotations.TryGetValue(name, out var other) || other != value)
                {
                    common = common.Remove(name);
                }
            }
        }
        return common;
    }

    private static Labels Common(IReadOnlyList<Alert> alerts, Func<Alert, Labels> select)
    {
        if (alerts.Count == 0)
        {
            return Labels.Empty;
        }
        var builder = new LabelsBuilder(select(alerts[0]));
        for (var i = 1; i < alerts.Count; i++)
        {
            var other = select(alerts[i]);
            builder.RemoveWhere(l => other.Get(l.Name) != l.Value);
        }
        return builder.ToLabels();
    }
}
