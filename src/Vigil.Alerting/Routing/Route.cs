using System.Globalization;
using System.Text;
using Vigil.Alerting.Config;
using Vigil.Alerting.Matching;
using Vigil.Model;

namespace Vigil.Alerting.Routing;

/// <summary>
/// A node of the routing tree with its effective options, built from a <see cref="RouteConfig"/> as Alertmanager
/// 0.25's <c>dispatch.NewRoute</c> does: options are inherited from the parent unless set, <c>match</c>,
/// <c>match_re</c> and <c>matchers</c> merge into one sorted <see cref="Matchers"/>. <see cref="Match"/> is
/// Alertmanager's depth-first search with <c>continue</c>; <see cref="Key"/> and <see cref="Id"/> are the same strings
/// Alertmanager derives (aggregation group keys and notification-log entries depend on them).
/// </summary>
public sealed class Route
{
    private readonly Route[] _routes;
    private string? _key;
    private string? _id;

    private Route(RouteConfig config, Route? parent, int index)
    {
        Parent = parent;
        Index = index;
        var inherited = parent?.Options ?? RouteOptions.Defaults;
        IReadOnlyList<string> groupBy = inherited.GroupBy;
        var groupByAll = inherited.GroupByAll;
        if (config.GroupBy is not null)
        {
            var sorted = config.GroupBy.Distinct(StringComparer.Ordinal).ToArray();
            Array.Sort(sorted, StringComparer.Ordinal);
            groupBy = sorted;
            groupByAll = false;
        }
        else if (config.GroupByAll)
        {
            groupByAll = true;
        }
        Options = new RouteOptions
        {
            Receiver = config.Receiver.Length > 0 ? config.Receiver : inherited.Receiver,
            GroupBy = groupBy,
            GroupByAll = groupByAll,
            GroupWait = config.GroupWait ?? inherited.GroupWait,
            GroupInterval = config.GroupInterval ?? inherited.GroupInterval,
            RepeatInterval = config.RepeatInterval ?? inherited.RepeatInterval,
            MuteTimeIntervals = config.MuteTimeIntervals,
            ActiveTimeIntervals = config.ActiveTimeIntervals,
        };
        Matchers = config.AllMatchers();
        Continue = config.Continue;
        Line = config.Line;
        _routes = new Route[config.Routes.Count];
        for (var i = 0; i < _routes.Length; i++)
        {
            _routes[i] = new Route(config.Routes[i], this, i);
        }
    }

    /// <summary>Builds the tree under <paramref name="root"/> (the configuration's <c>route</c>).</summary>
    public static Route Build(RouteConfig root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return new Route(root, null, -1);
    }

    /// <summary>The parent, or null for the root.</summary>
    public Route? Parent { get; }

    /// <summary>The position among the parent's children, or -1 for the root.</summary>
    public int Index { get; }

    /// <summary>The effective options.</summary>
    public RouteOptions Options { get; }

    /// <summary>What an alert's labels must satisfy to enter this route (sorted).</summary>
    public Matchers Matchers { get; }

    /// <summary>Whether matching continues with the next sibling after this route matched.</summary>
    public bool Continue { get; }

    /// <summary>The child routes, in order.</summary>
    public IReadOnlyList<Route> Routes => _routes;

    /// <summary>The line of the route in its configuration file.</summary>
    public int Line { get; }

    /// <summary>
    /// The routes an alert with <paramref name="labels"/> goes to, in tree order: depth first, left to right; a
    /// matching child ends the search among its siblings unless it has <c>continue</c>; a matching route none of
    /// whose children match is itself the result. Empty when this route's matchers do not match.
    /// </summary>
    public List<Route> Match(Labels labels)
    {
        var result = new List<Route>();
        MatchInto(labels, result);
        return result;
    }

    /// <summary>Like <see cref="Match"/>, appending to <paramref name="result"/>; returns whether this route matched.</summary>
    public bool MatchInto(Labels labels, List<Route> result)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(result);
        if (!Matchers.Matches(labels))
        {
            return false;
        }
        var before = result.Count;
        foreach (var child in _routes)
        {
            if (child.MatchInto(labels, result) && !child.Continue)
            {
                break;
            }
        }
        if (result.Count == before)
        {
            result.Add(this);
        }
        return true;
    }

    /// <summary>Alertmanager's <c>Route.Key()</c>: the matchers of every route from the root down, joined by <c>/</c> (<c>{}/{team="a"}</c>). Not unique in general.</summary>
    public string Key => _key ??= Parent is null ? Matchers.ToString() : Parent.Key + "/" + Matchers.ToString();

    /// <summary>Alertmanager's <c>Route.ID()</c>: <see cref="Key"/> plus the position among its siblings (<c>{}/{team="a"}/0</c>), unique in a tree.</summary>
    public string Id => _id ??= Parent is null ? Key : Key + "/" + Index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Visits this route and its descendants depth first, parents before children.</summary>
    public void Walk(Action<Route> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        visit(this);
        foreach (var child in _routes)
        {
            child.Walk(visit);
        }
    }

    /// <summary>The labels of <paramref name="alertLabels"/> this route groups by: all of them with <c>...</c>, else those named in group_by.</summary>
    public Labels GroupLabels(Labels alertLabels)
    {
        ArgumentNullException.ThrowIfNull(alertLabels);
        if (Options.GroupByAll)
        {
            return alertLabels;
        }
        var groupBy = Options.GroupBy;
        if (groupBy.Count == 0)
        {
            return Labels.Empty;
        }
        var builder = new LabelsBuilder(Labels.Empty);
        foreach (var name in groupBy)
        {
            var value = alertLabels.Get(name);
            if (value.Length > 0)
            {
                builder.Set(name, value);
            }
        }
        return builder.ToLabels();
    }

    /// <summary>
    /// The aggregation group key for an alert on this route, as Alertmanager's <c>aggrGroup.GroupKey()</c>:
    /// <c>{route key}:{group labels}</c>, e.g. <c>{}/{team="a"}:{alertname="Down", cluster="eu"}</c>.
    /// </summary>
    public string GroupKey(Labels alertLabels) => GroupKeyOf(Key, GroupLabels(alertLabels));

    /// <summary>
    /// <c>routeKey:{a="b", c="d"}</c>, the labels written as prometheus/common's <c>LabelSet.String()</c> does:
    /// each <c>name=%q</c>, the strings sorted (so <c>a1=</c> sorts before <c>a=</c>), joined by <c>", "</c>.
    /// </summary>
    public static string GroupKeyOf(string routeKey, Labels groupLabels)
    {
        ArgumentNullException.ThrowIfNull(routeKey);
        ArgumentNullException.ThrowIfNull(groupLabels);
        var pairs = new string[groupLabels.Count];
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = groupLabels[i].Name + "=" + LabelText.Quote(groupLabels[i].Value);
        }
        Array.Sort(pairs, LabelText.CompareUtf8);
        var sb = new StringBuilder(routeKey.Length + 32);
        sb.Append(routeKey).Append(":{");
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }
            sb.Append(pairs[i]);
        }
        return sb.Append('}').ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => Id;
}
