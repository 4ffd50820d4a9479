using Vigil.Alerting.Matching;

namespace Vigil.Alerting.Config;

/// <summary>
/// One node of the <c>route</c> tree as written (Alertmanager's <c>config.Route</c>). Unset options are null here;
/// <see cref="Routing.Route"/> resolves them against the parent, as Alertmanager's <c>dispatch.NewRoute</c> does.
/// </summary>
public sealed class RouteConfig
{
    /// <summary><c>receiver</c>, or "" to inherit the parent's.</summary>
    public string Receiver { get; init; } = "";

    /// <summary>
    /// The label names of <c>group_by</c> without <c>...</c>, or null when the list named none — then the parent's
    /// grouping is inherited (even for <c>group_by: []</c>, as in Alertmanager).
    /// </summary>
    public IReadOnlyList<string>? GroupBy { get; init; }

    /// <summary>Whether <c>group_by</c> is <c>['...']</c>: group by all labels.</summary>
    public bool GroupByAll { get; init; }

    /// <summary>The deprecated <c>match</c>: equality matchers by label name.</summary>
    public IReadOnlyDictionary<string, string> Match { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The deprecated <c>match_re</c>: regular expressions by label name, as written.</summary>
    public IReadOnlyDictionary<string, string> MatchRe { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>matchers</c>, every list item parsed and the result sorted.</summary>
    public Matchers Matchers { get; init; } = Matchers.Empty;

    /// <summary><c>mute_time_intervals</c>: names of intervals during which the route does not notify.</summary>
    public IReadOnlyList<string> MuteTimeIntervals { get; init; } = [];

    /// <summary><c>active_time_intervals</c>: names of intervals outside which the route does not notify.</summary>
    public IReadOnlyList<string> ActiveTimeIntervals { get; init; } = [];

    /// <summary><c>continue</c>: after matching, go on with the next sibling.</summary>
    public bool Continue { get; init; }

    /// <summary>The child routes, in order.</summary>
    public IReadOnlyList<RouteConfig> Routes { get; init; } = [];

    /// <summary><c>group_wait</c>, or null to inherit.</summary>
    public TimeSpan? GroupWait { get; init; }

    /// <summary><c>group_interval</c>, or null to inherit; never zero.</summary>
    public TimeSpan? GroupInterval { get; init; }

    /// <summary><c>repeat_interval</c>, or null to inherit; never zero.</summary>
    public TimeSpan? RepeatInterval { get; init; }

    /// <summary>The line of the route in its file.</summary>
    public int Line { get; init; }

    /// <summary>All matchers of the route: <c>match</c>, <c>match_re</c> (anchored as Alertmanager stores them) and <c>matchers</c>, sorted.</summary>
    public Matchers AllMatchers()
    {
        if (Match.Count == 0 && MatchRe.Count == 0)
        {
            return Matchers;
        }
        var all = new List<Matcher>(Match.Count + MatchRe.Count + Matchers.Count);
        foreach (var (name, value) in Match)
        {
            all.Add(Matcher.Create(Model.LabelMatchType.Equal, name, value));
        }
        foreach (var (name, value) in MatchRe)
        {
            // Alertmanager keeps the compiled "^(?:re)$" and builds the matcher from its text.
            all.Add(Matcher.Create(Model.LabelMatchType.Regex, name, "^(?:" + value + ")$"));
        }
        all.AddRange(Matchers);
        return Matchers.From(all);
    }
}
