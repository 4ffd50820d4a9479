using Vigil.Alerting.TimeIntervals;

namespace Vigil.Alerting.Config;

/// <summary>
/// An Alertmanager 0.25 configuration file (<c>alertmanager.yml</c>) after loading and validation: defaults
/// applied (global ones copied into each receiver as Alertmanager does), relative paths resolved against the
/// file's directory. Built by <see cref="AlertmanagerConfigLoader"/>; immutable afterwards by convention.
/// </summary>
public sealed class AlertmanagerConfig
{
    /// <summary>The <c>global</c> section, with Alertmanager's defaults when absent.</summary>
    public GlobalConfig Global { get; init; } = new();

    /// <summary>The root of the routing tree (required).</summary>
    public required RouteConfig Route { get; init; }

    /// <summary>The <c>inhibit_rules</c>.</summary>
    public IReadOnlyList<InhibitRuleConfig> InhibitRules { get; init; } = [];

    /// <summary>The <c>receivers</c>, names unique.</summary>
    public IReadOnlyList<ReceiverConfig> Receivers { get; init; } = [];

    /// <summary>The <c>templates</c> globs, relative ones joined to the configuration file's directory.</summary>
    public IReadOnlyList<string> Templates { get; init; } = [];

    /// <summary>The deprecated <c>mute_time_intervals</c> section (same shape as <see cref="TimeIntervals"/>).</summary>
    public IReadOnlyList<NamedTimeInterval> MuteTimeIntervals { get; init; } = [];

    /// <summary>The <c>time_intervals</c> section.</summary>
    public IReadOnlyList<NamedTimeInterval> TimeIntervals { get; init; } = [];

    /// <summary>The directory of the file it was loaded from, or null for text loaded from memory.</summary>
    public string? Directory { get; init; }

    /// <summary>Every named time interval from both sections, by name (names are unique across them).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TimeInterval>> TimeIntervalsByName
    {
        get
        {
            var byName = new Dictionary<string, IReadOnlyList<TimeInterval>>(StringComparer.Ordinal);
            foreach (var ti in MuteTimeIntervals)
            {
                byName[ti.Name] = ti.Intervals;
            }
            foreach (var ti in TimeIntervals)
            {
                byName[ti.Name] = ti.Intervals;
            }
            return byName;
        }
    }

    /// <summary>The receiver with that name, or null.</summary>
    public ReceiverConfig? FindReceiver(string name)
    {
        foreach (var r in Receivers)
        {
            if (r.Name == name)
            {
                return r;
            }
        }
        return null;
    }
}

/// <summary>A named list of time intervals (<c>time_intervals</c> / <c>mute_time_intervals</c> entry); a time is in it when any interval contains it.</summary>
public sealed class NamedTimeInterval
{
    /// <summary>The name routes refer to.</summary>
    public required string Name { get; init; }

    /// <summary>The intervals.</summary>
    public IReadOnlyList<TimeInterval> Intervals { get; init; } = [];

    /// <summary>The line of the entry.</summary>
    public int Line { get; init; }

    /// <summary>Whether any of the intervals contains <paramref name="time"/>.</summary>
    public bool ContainsTime(DateTimeOffset time)
    {
        foreach (var interval in Intervals)
        {
            if (interval.ContainsTime(time))
            {
                return true;
            }
        }
        return false;
    }
}
