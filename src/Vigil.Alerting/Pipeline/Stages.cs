using Vigil.Alerting.Alerts;
using Vigil.Alerting.Config;

namespace Vigil.Alerting.Pipeline;

/// <summary>Runs stages one after the other, stopping when no alerts are left (Alertmanager's <c>MultiStage</c>).</summary>
public sealed class MultiStage(IReadOnlyList<INotificationStage> stages) : INotificationStage
{
    /// <summary>The stages, in order.</summary>
    public IReadOnlyList<INotificationStage> Stages { get; } = stages;

    /// <inheritdoc/>
    public async Task<(PipelineContext Context, IReadOnlyList<Alert> Alerts)> ExecAsync(PipelineContext context, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        foreach (var stage in Stages)
        {
            if (alerts.Count == 0)
            {
                break;
            }
            (context, alerts) = await stage.ExecAsync(context, alerts, ct).ConfigureAwait(false);
        }
        return (context, alerts);
    }
}

/// <summary>Runs stages side by side on the same alerts; fails when any fails (Alertmanager's <c>FanoutStage</c>).</summary>
public sealed class FanoutStage(IReadOnlyList<INotificationStage> stages) : INotificationStage
{
    /// <summary>The branches.</summary>
    public IReadOnlyList<INotificationStage> Stages { get; } = stages;

    /// <inheritdoc/>
    public async Task<(PipelineContext Context, IReadOnlyList<Alert> Alerts)> ExecAsync(PipelineContext context, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        var tasks = new Task[Stages.Count];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = Stages[i].ExecAsync(context, alerts, ct);
        }
        var all = Task.WhenAll(tasks);
        try
        {
            await all.ConfigureAwait(false);
        }
        catch when (all.Exception is { InnerExceptions.Count: > 1 } many)
        {
            throw many;
        }
        return (context, alerts);
    }
}

/// <summary>Drops the alerts a muter mutes: the inhibition and silence stages (Alertmanager's <c>MuteStage</c>).</summary>
public sealed class MuteStage(IMuter muter) : INotificationStage
{
    /// <inheritdoc/>
    public Task<(PipelineContext Context, IReadOnlyList<Alert> Alerts)> ExecAsync(PipelineContext context, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        var kept = new List<Alert>(alerts.Count);
        foreach (var alert in alerts)
        {
            if (!muter.Mutes(alert.Labels))
            {
                kept.Add(alert);
            }
        }
        return Task.FromResult<(PipelineContext, IReadOnlyList<Alert>)>((context, kept));
    }
}

/// <summary>
/// Drops every alert while the route is muted by time: in one of its <c>mute_time_intervals</c> (Alertmanager's
/// <c>TimeMuteStage</c>), or, with <paramref name="active"/>, outside all of its <c>active_time_intervals</c>
/// (<c>TimeActiveStage</c>). Times are the flush's now.
/// </summary>
public sealed class TimeIntervalStage(IReadOnlyDictionary<string, IReadOnlyList<TimeIntervals.TimeInterval>> intervals, bool active) : INotificationStage
{
    /// <inheritdoc/>
    public Task<(PipelineContext Context, IReadOnlyList<Alert> Alerts)> ExecAsync(PipelineContext context, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        var names = active ? context.Notification.ActiveTimeIntervals : context.Notification.MuteTimeIntervals;
        if (names.Count == 0)
        {
            return Task.FromResult<(PipelineContext, IReadOnlyList<Alert>)>((context, alerts));
        }
        var inside = false;
        foreach (var name in names)
        {
            if (intervals.TryGetValue(name, out var list) && list.Any(i => i.ContainsTime(context.Notification.Now)))
            {
                inside = true;
                break;
            }
        }
        var muted = active ? !inside : inside;
        return Task.FromResult<(PipelineContext, IReadOnlyList<Alert>)>((context, muted ? [] : alerts));
    }

    /// <summary>The named intervals of a configuration, for both stages.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<TimeIntervals.TimeInterval>> From(AlertmanagerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.TimeIntervalsByName;
    }
}
