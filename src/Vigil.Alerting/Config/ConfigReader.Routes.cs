using System.Runtime.CompilerServices;
using Vigil.Alerting.TimeIntervals;
using Vigil.Model;
using Vigil.Yaml;

namespace Vigil.Alerting.Config;

internal sealed partial class ConfigReader
{
    /// <summary>One route and its children, with Alertmanager's <c>Route.UnmarshalYAML</c> checks.</summary>
    private RouteConfig? Route(YamlNode node)
    {
        if (IsNull(node))
        {
            // Alertmanager 0.25 crashes on a null child route; say what it is instead.
            Error(node, "null route in routes list");
            return null;
        }
        string receiver = "";
        List<string>? groupByText = null;
        YamlNode? groupByNode = null;
        Dictionary<string, string>? match = null, matchRe = null;
        Matching.Matchers matchers = Matching.Matchers.Empty;
        List<string> mute = [], active = [];
        var @continue = false;
        List<RouteConfig> routes = [];
        TimeSpan? groupWait = null, groupInterval = null, repeatInterval = null;
        YamlNode? groupIntervalNode = null, repeatIntervalNode = null;
        Fields(node, Plain, (key, value) =>
        {
            switch (key)
            {
                case "receiver": receiver = Str(value); return true;
                case "group_by": groupByText = StrList(value); groupByNode = value; return true;
                case "match": match = MatchMap(value); return true;
                case "match_re": matchRe = MatchReMap(value); return true;
                case "matchers": matchers = MatcherList(value); return true;
                case "mute_time_intervals": mute = StrList(value); return true;
                case "active_time_intervals": active = StrList(value); return true;
                case "continue": @continue = Bool(value, false); return true;
                case "routes": routes = Seq(value, "[]*config.Route", Route); return true;
                case "group_wait": groupWait = Duration(value); return true;
                case "group_interval": groupInterval = Duration(value); groupIntervalNode = value; return true;
                case "repeat_interval": repeatInterval = Duration(value); repeatIntervalNode = value; return true;
                default: return false;
            }
        });
        List<string>? groupBy = null;
        var groupByAll = false;
        if (groupByText is not null)
        {
            foreach (var name in groupByText)
            {
                if (name == "...")
                {
                    groupByAll = true;
                }
                else if (!LabelText.IsValidLabelName(name))
                {
                    Error(groupByNode!, $"invalid label name {GoQuote(name)} in group_by list");
                }
                else
                {
                    (groupBy ??= []).Add(name);
                }
            }
            if (groupBy is not null && groupByAll)
            {
                // Sic: Alertmanager 0.25's message says "other" twice.
                Error(groupByNode!, "cannot have wildcard group_by (`...`) and other other labels at the same time");
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in groupBy ?? [])
            {
                if (!seen.Add(name))
                {
                    Error(groupByNode!, $"duplicated label {GoQuote(name)} in group_by");
                }
            }
        }
        if (groupInterval == TimeSpan.Zero)
        {
            Error(groupIntervalNode!, "group_interval cannot be zero");
        }
        if (repeatInterval == TimeSpan.Zero)
        {
            Error(repeatIntervalNode!, "repeat_interval cannot be zero");
        }
        return new RouteConfig
        {
            Receiver = receiver,
            GroupBy = groupBy,
            GroupByAll = groupByAll,
            Match = match ?? new Dictionary<string, string>(StringComparer.Ordinal),
            MatchRe = matchRe ?? new Dictionary<string, string>(StringComparer.Ordinal),
            Matchers = matchers,
            MuteTimeIntervals = mute,
            ActiveTimeIntervals = active,
            Continue = @continue,
            Routes = routes,
            GroupWait = groupWait,
            GroupInterval = groupInterval,
            RepeatInterval = repeatInterval,
            Line = node.Line,
        };
    }

    /// <summary>One inhibition rule.</summary>
    private InhibitRuleConfig? InhibitRule(YamlNode node)
    {
        Dictionary<string, string>? sourceMatch = null, sourceMatchRe = null, targetMatch = null, targetMatchRe = null;
        Matching.Matchers sourceMatchers = Matching.Matchers.Empty, targetMatchers = Matching.Matchers.Empty;
        List<string> equal = [];
        Fields(node, Plain, (key, value) =>
        {
            switch (key)
            {
                case "source_match": sourceMatch = MatchMap(value); return true;
                case "source_match_re": sourceMatchRe = MatchReMap(value); return true;
                case "source_matchers": sourceMatchers = MatcherList(value); return true;
                case "target_match": targetMatch = MatchMap(value); return true;
                case "target_match_re": targetMatchRe = MatchReMap(value); return true;
                case "target_matchers": targetMatchers = MatcherList(value); return true;
                case "equal":
                    equal = StrList(value, "model.LabelNames");
                    foreach (var name in equal)
                    {
                        if (!LabelText.IsValidLabelName(name))
                        {
                            Error(value, $"{GoQuote(name)} is not a valid label name");
                        }
                    }
                    return true;
                default: return false;
            }
        });
        return new InhibitRuleConfig
        {
            SourceMatch = sourceMatch ?? new Dictionary<string, string>(StringComparer.Ordinal),
            SourceMatchRe = sourceMatchRe ?? new Dictionary<string, string>(StringComparer.Ordinal),
            SourceMatchers = sourceMatchers,
            TargetMatch = targetMatch ?? new Dictionary<string, string>(StringComparer.Ordinal),
            TargetMatchRe = targetMatchRe ?? new Dictionary<string, string>(StringComparer.Ordinal),
            TargetMatchers = targetMatchers,
            Equal = equal,
            Line = node.Line,
        };
    }

    /// <summary>A <c>time_intervals</c>/<c>mute_time_intervals</c> entry: a name and a list of intervals.</summary>
    private NamedTimeInterval? NamedInterval(YamlNode node, string missingName)
    {
        var name = "";
        List<TimeInterval> intervals = [];
        Fields(node, Plain, (key, value) =>
        {
            switch (key)
            {
                case "name": name = Str(value); return true;
                case "time_intervals": intervals = Seq(value, "[]timeinterval.TimeInterval", Interval); return true;
                default: return false;
            }
        });
        if (name.Length == 0)
        {
            Error(node, missingName);
            return null;
        }
        return new NamedTimeInterval { Name = name, Intervals = intervals, Line = node.Line };
    }

    /// <summary>One <c>timeinterval.TimeInterval</c>.</summary>
    private TimeInterval? Interval(YamlNode node)
    {
        List<TimeRange>? times = null;
        List<InclusiveRange>? weekdays = null, days = null, months = null, years = null;
        TimeZoneInfo? location = null;
        string? locationName = null;
        Fields(node, "timeinterval.TimeInterval", (key, value) =>
        {
            switch (key)
            {
                case "times": times = IsNull(value) ? null : Seq(value, "[]timeinterval.TimeRange", TimeRangeOf).Select(static b => b.Value).ToList(); return true;
                case "weekdays": weekdays = Ranges(value, "[]timeinterval.WeekdayRange", TimeIntervalSyntax.TryParseWeekdayRange); return true;
                case "days_of_month": days = Ranges(value, "[]timeinterval.DayOfMonthRange", TimeIntervalSyntax.TryParseDayOfMonthRange); return true;
                case "months": months = Ranges(value, "[]timeinterval.MonthRange", TimeIntervalSyntax.TryParseMonthRange); return true;
                case "years": years = Ranges(value, "[]timeinterval.YearRange", TimeIntervalSyntax.TryParseYearRange); return true;
                case "location":
                    if (IsNull(value))
                    {
                        return true;
                    }
                    locationName = Str(value);
                    if (!TimeIntervalSyntax.TryFindLocation(locationName, out location, out var error))
                    {
                        Error(value, error);
                    }
                    return true;
                default: return false;
            }
        });
        return new TimeInterval
        {
            Times = times,
            Weekdays = weekdays,
            DaysOfMonth = days,
            Months = months,
            Years = years,
            Location = location,
            LocationName = locationName,
        };
    }

    private delegate bool RangeParser(string text, out InclusiveRange range, out string? error);

    // A nil list (absent or null) places no restriction; an empty list is kept and then matches nothing, as in Go.
    private List<InclusiveRange>? Ranges(YamlNode node, string goType, RangeParser parse)
    {
        if (IsNull(node))
        {
            return null;
        }
        if (node is not YamlSequence seq)
        {
            TypeError(node, goType);
            return null;
        }
        var list = new List<InclusiveRange>(seq.Items.Count);
        foreach (var item in seq.Items)
        {
            if (item is not YamlScalar)
            {
                TypeError(item, "string");
                continue;
            }
            if (parse(Str(item), out var range, out var error))
            {
                list.Add(range);
            }
            else
            {
                Error(item, error!);
            }
        }
        return list;
    }

    private StrongBox<TimeRange>? TimeRangeOf(YamlNode node)
    {
        string start = "", end = "";
        Fields(node, "timeinterval.yamlTimeRange", (key, value) =>
        {
            switch (key)
            {
                case "start_time": start = Str(value); return true;
                case "end_time": end = Str(value); return true;
                default: return false;
            }
        });
        if (!TimeIntervalSyntax.TryParseTimeRange(start, end, out var range, out var error))
        {
            Error(node, error);
            return null;
        }
        return new StrongBox<TimeRange>(range);
    }
}
