using System.Globalization;
using System.Text;
using Vigil.Model.Exposition;

namespace Vigil.Rules.Slo;

/// <summary>
/// Compiles an SLO spec into Prometheus rule groups, in Sloth's shape (docs/slo.md): per SLO one group of SLI
/// error-ratio recording rules (5m, 30m, 1h, 2h, 6h, 1d, 3d and the compliance window), one of metadata series
/// (objective, budget, period, burn rates, budget remaining) and one of multi-window multi-burn-rate alerts
/// (Google SRE Workbook, "Alerting on SLOs", alert 6).
/// </summary>
public static class SloCompiler
{
    /// <summary>A burn-rate condition: the error ratio over both windows exceeds <c>Factor</c> times the budget.</summary>
    /// <param name="Factor">The burn rate (1 spends exactly the budget over the compliance window).</param>
    /// <param name="LongWindow">The window that makes the alert significant.</param>
    /// <param name="LongWindowHours">The long window in hours.</param>
    /// <param name="ShortWindow">The window that makes it reset soon after the burn stops.</param>
    public readonly record struct BurnCondition(double Factor, string LongWindow, double LongWindowHours, string ShortWindow);

    /// <summary>Page: 14.4× over 1h and 5m (2% of a 30d budget in an hour) or 6× over 6h and 30m (5% in 6 hours).</summary>
    public static IReadOnlyList<BurnCondition> PageConditions { get; } = [new(14.4, "1h", 1, "5m"), new(6, "6h", 6, "30m")];

    /// <summary>Ticket: 3× over 1d and 2h (10% of a 30d budget in a day) or 1× over 3d and 6h (10% in 3 days).</summary>
    public static IReadOnlyList<BurnCondition> TicketConditions { get; } = [new(3, "1d", 24, "2h"), new(1, "3d", 72, "6h")];

    /// <summary>The SLI windows every alert condition reads, shortest first.</summary>
    public static IReadOnlyList<string> SliWindows { get; } = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"];

    /// <summary>The rule groups of every SLO in <paramref name="spec"/>, three per SLO (the alert group only when an alert is enabled).</summary>
    public static IReadOnlyList<SloRuleGroup> Compile(SloSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var groups = new List<SloRuleGroup>(spec.Slos.Count * 3);
        foreach (var slo in spec.Slos)
        {
            Compile(spec.Service, slo, groups);
        }
        return groups;
    }

    private static void Compile(string service, SloDefinition slo, List<SloRuleGroup> groups)
    {
        var id = $"{service}-{slo.Name}";
        var window = slo.WindowDays.ToString(CultureInfo.InvariantCulture) + "d";
        var objectiveRatio = slo.Objective / 100m;
        var budget = 1m - objectiveRatio;
        var filter = $"{{{SloLabels.Id}=\"{id}\", {SloLabels.Service}=\"{service}\", {SloLabels.Name}=\"{slo.Name}\"}}";
        var idLabels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [SloLabels.Id] = id,
            [SloLabels.Service] = service,
            [SloLabels.Name] = slo.Name,
        };
        foreach (var (k, v) in slo.Labels)
        {
            idLabels[k] = v;
        }

        var comment = $"SLO {service}/{slo.Name}: {Format(slo.Objective)}% over {window}.";
        if (slo.Description.Trim().Length > 0)
        {
            comment += "\n" + slo.Description.Trim();
        }

        // SLI error ratios: the alert windows from the raw series, the compliance window from the 5m series
        // (averaging 5m ratios over 30d instead of a 30d range over raw counters, as Sloth does: cheap, and
        // periods without traffic, which have no 5m sample, do not count).
        var sli = new List<SloRule>(SliWindows.Count + 1);
        foreach (var w in SliWindows)
        {
            sli.Add(new SloRule(SloLabels.SliErrorRatio(w), null, SliExpr(slo.Indicator, w), With(idLabels, SloLabels.Window, w), []));
        }
        var fiveMinutes = SloLabels.SliErrorRatio(SliWindows[0]);
        sli.Add(new SloRule(
            SloLabels.SliErrorRatio(window),
            null,
            $"sum_over_time({fiveMinutes}{filter}[{window}])\n/ ignoring ({SloLabels.Window})\ncount_over_time({fiveMinutes}{filter}[{window}])",
            With(idLabels, SloLabels.Window, window),
            []));
        groups.Add(new SloRuleGroup($"slo-sli-recordings-{id}", comment, sli));

        var labels = idLabels.ToList();
        var meta = new List<SloRule>
        {
            new(SloLabels.ObjectiveRatio, null, $"vector({Format(objectiveRatio)})", labels, []),
            new(SloLabels.ErrorBudgetRatio, null, $"vector({Format(budget)})", labels, []),
            new(SloLabels.TimePeriodDays, null, $"vector({slo.WindowDays.ToString(CultureInfo.InvariantCulture)})", labels, []),
            new(SloLabels.CurrentBurnRate, null, BurnRateExpr(fiveMinutes, filter), labels, []),
            new(SloLabels.PeriodBurnRate, null, BurnRateExpr(SloLabels.SliErrorRatio(window), filter), labels, []),
            new(SloLabels.PeriodErrorBudgetRemaining, null, $"1 - {SloLabels.PeriodBurnRate}{filter}", labels, []),
        };
        groups.Add(new SloRuleGroup($"slo-meta-recordings-{id}", "", meta));

        var alerting = slo.Alerting;
        if (alerting.Disable || (alerting.Page.Disable && alerting.Ticket.Disable))
        {
            return;
        }
        var alerts = new List<SloRule>(2);
        if (!alerting.Page.Disable)
        {
            alerts.Add(Alert(slo, window, alerting.Page, "page", PageConditions, filter, budget));
        }
        if (!alerting.Ticket.Disable)
        {
            alerts.Add(Alert(slo, window, alerting.Ticket, "ticket", TicketConditions, filter, budget));
        }
        groups.Add(new SloRuleGroup($"slo-alerts-{id}", "", alerts));
    }

    private static SloRule Alert(
        SloDefinition slo, string window, SloAlertOptions options, string severity, IReadOnlyList<BurnCondition> conditions, string filter, decimal budget)
    {
        var expr = new StringBuilder();
        for (var i = 0; i < conditions.Count; i++)
        {
            var c = conditions[i];
            var threshold = $"({Format(c.Factor)} * {Format(budget)})";
            if (i > 0)
            {
                expr.Append("\nor\n");
            }
            expr.Append("(\n")
                .Append($"  max without ({SloLabels.Window}) ({SloLabels.SliErrorRatio(c.ShortWindow)}{filter} > {threshold})\n")
                .Append("  and\n")
                .Append($"  max without ({SloLabels.Window}) ({SloLabels.SliErrorRatio(c.LongWindow)}{filter} > {threshold})\n")
                .Append(')');
        }

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["severity"] = severity,
        };
        Merge(labels, slo.Alerting.Labels);
        Merge(labels, options.Labels);
        labels[SloLabels.Severity] = severity;

        var spent = new StringBuilder();
        for (var i = 0; i < conditions.Count; i++)
        {
            var c = conditions[i];
            var share = c.Factor * c.LongWindowHours / (slo.WindowDays * 24.0) * 100;
            spent.Append(i == 0 ? "" : ", or ")
                .Append(CultureInfo.InvariantCulture, $"{share:0.##}% of its {window} error budget in {c.LongWindow} (burn rate above {Format(c.Factor)} over {c.LongWindow} and {c.ShortWindow})");
        }
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = severity == "page"
                ? "{{ $labels.slo_service }} {{ $labels.slo_name }} SLO is burning its error budget fast"
                : "{{ $labels.slo_service }} {{ $labels.slo_name }} SLO is burning its error budget",
            ["description"] = $"The {{{{ $labels.slo_name }}}} SLO of {{{{ $labels.slo_service }}}} ({Format(slo.Objective)}% over {window}) has spent over {spent}. Error ratio now: {{{{ $value | humanizePercentage }}}}.",
        };
        Merge(annotations, slo.Alerting.Annotations);
        Merge(annotations, options.Annotations);
        return new SloRule(null, slo.Alerting.Name, expr.ToString(), [.. labels], [.. annotations]);
    }

    private static string BurnRateExpr(string sliSeries, string filter)
        => $"{sliSeries}{filter}\n/ on ({SloLabels.Id}, {SloLabels.Service}, {SloLabels.Name}) group_left\n{SloLabels.ErrorBudgetRatio}{filter}";

    /// <summary>The error ratio of <paramref name="indicator"/> over <paramref name="window"/>, safe without traffic (no sample rather than NaN).</summary>
    internal static string SliExpr(SloIndicator indicator, string window) => indicator switch
    {
        // errors / total, where "no error series at all" counts as 0 errors (so quiet periods pull the window's
        // average down as they should) and "no traffic" yields no sample instead of 0/0 = NaN (a single NaN
        // would poison the compliance window's sum_over_time for 30 days).
        EventsIndicator events => Lines(
            "(",
            Indent(Group(SloSpecReader.Render(events.ErrorQuery, window)), 1),
            "  or",
            Indent(Group(SloSpecReader.Render(events.TotalQuery, window)) + " * 0", 1),
            ")",
            "/",
            "(",
            Indent(Group(SloSpecReader.Render(events.TotalQuery, window)) + " > 0", 1),
            ")"),
        // 1 - good/total with good = the le="threshold" bucket; the same guard against no traffic.
        LatencyIndicator latency => Lines(
            "1 - (",
            $"  sum(rate({Selector(latency.Metric + "_bucket", [.. latency.Matchers, BucketMatcher(latency.Threshold)])}[{window}]))",
            "  /",
            $"  (sum(rate({Selector(latency.Metric + "_count", latency.Matchers)}[{window}])) > 0)",
            ")"),
        _ => throw new ArgumentException($"unknown SLI kind {indicator.GetType().Name}", nameof(indicator)),
    };

    // The le label as client libraries write it: Go's shortest float ("0.25", "1"). OpenMetrics writes whole
    // numbers as "1.0", so a whole threshold matches both spellings.
    private static string BucketMatcher(double threshold)
    {
        var le = GoFloat.Format(threshold);
        return threshold == Math.Floor(threshold) && !le.Contains('e', StringComparison.Ordinal)
            ? $"le=~\"{le}|{le}\\\\.0\""
            : $"le=\"{le}\"";
    }

    private static string Selector(string metric, IReadOnlyList<string> matchers)
        => matchers.Count == 0 ? metric : $"{metric}{{{string.Join(", ", matchers)}}}";

    // A query in parentheses: inline when it is one line, else on its own indented lines.
    private static string Group(string query)
    {
        var lines = query.Split('\n');
        if (lines.Length == 1)
        {
            return "(" + query + ")";
        }
        var builder = new StringBuilder("(\n");
        foreach (var line in lines)
        {
            builder.Append("  ").Append(line.TrimEnd()).Append('\n');
        }
        return builder.Append(')').ToString();
    }

    private static string Indent(string text, int levels)
    {
        var pad = new string(' ', levels * 2);
        return pad + text.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    private static string Lines(params string[] lines) => string.Join('\n', lines);

    private static List<KeyValuePair<string, string>> With(SortedDictionary<string, string> labels, string name, string value)
    {
        var copy = new SortedDictionary<string, string>(labels, StringComparer.Ordinal) { [name] = value };
        return [.. copy];
    }

    private static void Merge(SortedDictionary<string, string> target, IReadOnlyList<KeyValuePair<string, string>> source)
    {
        foreach (var (k, v) in source)
        {
            target[k] = v;
        }
    }

    private static string Format(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
