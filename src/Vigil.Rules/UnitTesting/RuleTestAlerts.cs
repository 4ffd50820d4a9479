using System.Globalization;
using System.Text;
using Vigil.Model;
using Vigil.PromQL.Engine;
using Vigil.Rules.Evaluation;
using Vigil.Storage;

namespace Vigil.Rules.UnitTesting;

/// <summary>
/// The rule half of promtool 2.42's <c>testGroup.test</c>: the test's rule files are loaded as groups, every group is
/// evaluated at every <c>evaluation_interval</c> from 0 to the largest <c>eval_time</c> (the group's own interval is
/// ignored) after the input samples up to that instant are appended, and each <c>alert_rule_test</c> compares the
/// firing alerts of the evaluation at or before its <c>eval_time</c> with the expected ones.
/// </summary>
internal static class RuleTestAlerts
{
    /// <summary>Runs the rules of one test group; <paramref name="stop"/> says the group ends here (load or evaluation errors).</summary>
    public static List<string> Run(
        RuleTestFile file,
        RuleTestGroup group,
        MemoryStorage storage,
        RuleTestGroupRunner.InputLoader loader,
        IReadOnlyList<string> ruleFiles,
        CancellationToken cancellationToken,
        out bool stop)
    {
        stop = true;
        var engine = new QueryEngine(new QueryEngineOptions
        {
            MaxSamples = RuleTestGroupRunner.MaxSamples,
            Timeout = RuleTestGroupRunner.QueryTimeout,
            DefaultEvaluationInterval = file.EvaluationInterval,
        });
        var manager = new RuleManager(new RuleManagerOptions { Engine = engine, Queryable = storage, Appendable = storage, NilUrlInTemplateFunctions = true });
        var externalLabels = new LabelsBuilder();
        foreach (var (k, v) in group.ExternalLabels)
        {
            externalLabels.Set(k, v);
        }
        if (!manager.TryLoadGroups(group.Interval, ruleFiles, externalLabels.ToLabels(), group.ExternalUrl, shouldRestore: false, out var loaded, out var loadErrors))
        {
            return [.. loadErrors];
        }
        var groups = Order(loaded, file.GroupEvalOrder);

        var alertTests = new SortedDictionary<TimeSpan, List<AlertRuleTestCase>>();
        foreach (var test in group.AlertRuleTests)
        {
            if (test.AlertName.Length == 0)
            {
                var inGroup = group.Name.Length > 0 ? $" (in TestGroup {group.Name})" : "";
                return [$"an item under alert_rule_test misses required attribute alertname at eval_time {PromDuration.Format(test.EvalTime)}{inGroup}"];
            }
            if (!alertTests.TryGetValue(test.EvalTime, out var list))
            {
                alertTests[test.EvalTime] = list = [];
            }
            list.Add(test);
        }
        var alertEvalTimes = new List<TimeSpan>(alertTests.Keys);

        var errors = new List<string>();
        var evalInterval = file.EvaluationInterval;
        var maxt = group.MaxEvalTime;
        var curr = 0;
        for (var ts = TimeSpan.Zero; ts <= maxt; ts += evalInterval)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tsMs = (long)ts.TotalMilliseconds;
            if (loader.LoadUntil(tsMs) is { } appendError)
            {
                errors.Add(appendError);
                return errors;
            }
            var evalErrors = new List<string>();
            foreach (var g in groups)
            {
                g.Eval(DateTimeOffset.FromUnixTimeMilliseconds(tsMs), cancellationToken);
                foreach (var r in g.Rules)
                {
                    if (r.LastError is { } e)
                    {
                        evalErrors.Add($"    rule: {r.Name}, time: {GoDuration(ts)}, err: {e}");
                    }
                }
            }
            errors.AddRange(evalErrors);
            if (evalErrors.Count > 0)
            {
                return errors;
            }
            while (curr < alertEvalTimes.Count && ts <= alertEvalTimes[curr] && alertEvalTimes[curr] < ts + evalInterval)
            {
                var t = alertEvalTimes[curr];
                foreach (var test in alertTests[t])
                {
                    if (Check(group, groups, test) is { } failure)
                    {
                        errors.Add(failure);
                    }
                }
                curr++;
            }
            if (evalInterval <= TimeSpan.Zero)
            {
                break;
            }
        }
        stop = false;
        return errors;
    }

    // promtool's orderedGroups: groups named in group_eval_order by their position there, the others as position 0.
    private static List<RuleGroup> Order(List<KeyValuePair<string, RuleGroup>> loaded, List<string> order)
    {
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < order.Count; i++)
        {
            position[order[i]] = i;
        }
        var groups = new List<RuleGroup>(loaded.Count);
        foreach (var (_, g) in loaded)
        {
            groups.Add(g);
        }
        // A stable sort: where promtool's order is unspecified (random), file order is as good as any.
        return [.. groups.OrderBy(g => position.GetValueOrDefault(g.Name))];
    }

    private static string? Check(RuleTestGroup group, List<RuleGroup> groups, AlertRuleTestCase test)
    {
        var got = new List<(Labels Labels, Labels Annotations)>();
        foreach (var g in groups)
        {
            foreach (var r in g.Rules)
            {
                if (r is AlertingRule ar && ar.Name == test.AlertName)
                {
                    foreach (var a in ar.ActiveAlerts())
                    {
                        if (a.State == AlertState.Firing)
                        {
                            got.Add((a.Labels, a.Annotations));
                        }
                    }
                }
            }
        }
        var expected = new List<(Labels Labels, Labels Annotations)>(test.ExpAlerts.Count);
        foreach (var e in test.ExpAlerts)
        {
            var labels = new LabelsBuilder();
            foreach (var (k, v) in e.Labels)
            {
                labels.Set(k, v);
            }
            labels.Set("alertname", test.AlertName);
            var annotations = new LabelsBuilder();
            foreach (var (k, v) in e.Annotations)
            {
                annotations.Set(k, v);
            }
            expected.Add((labels.ToLabels(), annotations.ToLabels()));
        }
        Sort(got);
        Sort(expected);
        if (Equal(expected, got))
        {
            return null;
        }
        var name = group.Name.Length > 0 ? $"    name: {group.Name},\n" : "";
        const string indent = "            ";
        return $"{name}    alertname: {test.AlertName}, time: {PromDuration.Format(test.EvalTime)}, \n        exp:{IndentLines(Format(expected), indent)}, \n        got:{IndentLines(Format(got), indent)}";
    }

    private static void Sort(List<(Labels Labels, Labels Annotations)> list) => list.Sort(static (a, b) =>
    {
        var c = a.Labels.CompareTo(b.Labels);
        return c != 0 ? c : a.Annotations.CompareTo(b.Annotations);
    });

    private static bool Equal(List<(Labels Labels, Labels Annotations)> a, List<(Labels Labels, Labels Annotations)> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Labels != b[i].Labels || a[i].Annotations != b[i].Annotations)
            {
                return false;
            }
        }
        return true;
    }

    // promtool's labelsAndAnnotations.String.
    private static string Format(List<(Labels Labels, Labels Annotations)> list)
    {
        if (list.Count == 0)
        {
            return "[]";
        }
        var sb = new StringBuilder("[\n");
        for (var i = 0; i < list.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(",\n");
            }
            sb.Append(i.ToString(CultureInfo.InvariantCulture)).Append(':')
                .Append(IndentLines($"\nLabels:{list[i].Labels}\nAnnotations:{list[i].Annotations}", "  "));
        }
        return sb.Append("\n]").ToString();
    }

    // promtool's indentLines: every line after the first gets the indent.
    private static string IndentLines(string lines, string indent) => lines.Replace("\n", "\n" + indent, StringComparison.Ordinal);

    /// <summary>Go's <c>time.Duration.String</c> for a non-negative duration: <c>0s</c>, <c>1m30s</c>, <c>1h0m0s</c>, <c>1.5s</c>, <c>100ms</c>.</summary>
    internal static string GoDuration(TimeSpan d)
    {
        if (d == TimeSpan.Zero)
        {
            return "0s";
        }
        var ns = d.Ticks * 100;
        if (ns < 1_000_000_000)
        {
            if (ns < 1000)
            {
                return ns.ToString(CultureInfo.InvariantCulture) + "ns";
            }
            if (ns < 1_000_000)
            {
                return Fraction(ns, 1000) + "µs";
            }
            return Fraction(ns, 1_000_000) + "ms";
        }
        var sb = new StringBuilder();
        var hours = ns / 3_600_000_000_000;
        ns -= hours * 3_600_000_000_000;
        var minutes = ns / 60_000_000_000;
        ns -= minutes * 60_000_000_000;
        if (hours > 0)
        {
            sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }
        if (hours > 0 || minutes > 0)
        {
            sb.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }
        sb.Append(Fraction(ns, 1_000_000_000)).Append('s');
        return sb.ToString();
    }

    private static string Fraction(long value, long unit)
    {
        var whole = value / unit;
        var rest = value % unit;
        if (rest == 0)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }
        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        var frac = rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return whole.ToString(CultureInfo.InvariantCulture) + "." + frac;
    }
}
