namespace Vigil.Alerting.Routing;

/// <summary>
/// A route's effective options after inheritance (Alertmanager's <c>dispatch.RouteOpts</c>): what a child leaves
/// unset comes from its parent, and the root's unset options from <see cref="Defaults"/>.
/// </summary>
public sealed record RouteOptions
{
    /// <summary>Alertmanager's defaults for the root: group_wait 30s, group_interval 5m, repeat_interval 4h, no grouping.</summary>
    public static RouteOptions Defaults { get; } = new()
    {
        Receiver = "",
        GroupBy = [],
        GroupByAll = false,
        GroupWait = TimeSpan.FromSeconds(30),
        GroupInterval = TimeSpan.FromMinutes(5),
        RepeatInterval = TimeSpan.FromHours(4),
    };

    /// <summary>The receiver to notify.</summary>
    public required string Receiver { get; init; }

    /// <summary>The labels to group by, sorted by name (byte order); empty with <see cref="GroupByAll"/> or no grouping.</summary>
    public required IReadOnlyList<string> GroupBy { get; init; }

    /// <summary>Group by every label (<c>group_by: ['...']</c>).</summary>
    public required bool GroupByAll { get; init; }

    /// <summary>How long to wait before the first notification of a new group.</summary>
    public required TimeSpan GroupWait { get; init; }

    /// <summary>How long to wait before notifying about alerts added to a group already notified.</summary>
    public required TimeSpan GroupInterval { get; init; }

    /// <summary>How long to wait before repeating a notification that has not changed.</summary>
    public required TimeSpan RepeatInterval { get; init; }

    /// <summary>Names of time intervals in which the route is muted (not inherited).</summary>
    public IReadOnlyList<string> MuteTimeIntervals { get; init; } = [];

    /// <summary>Names of time intervals outside which the route is muted (not inherited).</summary>
    public IReadOnlyList<string> ActiveTimeIntervals { get; init; } = [];
}
