namespace Vigil.Rules.UnitTesting;

/// <summary>
/// A rule unit-test file as <c>promtool test rules</c> 2.42 reads it (<c>unitTestFile</c> in
/// <c>cmd/promtool/unittest.go</c>); the keys are in the <c>[YamlKey]</c>-like comments on each member.
/// </summary>
public sealed class RuleTestFile
{
    /// <summary><c>rule_files</c>: rule files to load, relative to the test file, with globs.</summary>
    public List<string> RuleFiles { get; } = [];

    /// <summary><c>evaluation_interval</c>: how often the rules are evaluated (1m when absent or 0).</summary>
    public TimeSpan EvaluationInterval { get; set; }

    /// <summary><c>group_eval_order</c>: rule group names, evaluated in this order first.</summary>
    public List<string> GroupEvalOrder { get; } = [];

    /// <summary><c>tests</c>: the test groups.</summary>
    public List<RuleTestGroup> Tests { get; } = [];
}

/// <summary>One entry of <c>tests</c>: input series and the checks run against them (<c>testGroup</c>).</summary>
public sealed class RuleTestGroup
{
    /// <summary><c>name</c>: the group's name (may be empty).</summary>
    public string Name { get; set; } = "";

    /// <summary><c>interval</c>: the time between consecutive values of every input series.</summary>
    public TimeSpan Interval { get; set; }

    /// <summary><c>input_series</c>.</summary>
    public List<InputSeries> InputSeries { get; } = [];

    /// <summary><c>alert_rule_test</c>.</summary>
    public List<AlertRuleTestCase> AlertRuleTests { get; } = [];

    /// <summary><c>promql_expr_test</c>.</summary>
    public List<PromqlTestCase> PromqlExprTests { get; } = [];

    /// <summary><c>external_labels</c>: labels rules see as <c>$externalLabels</c>.</summary>
    public Dictionary<string, string> ExternalLabels { get; } = new(StringComparer.Ordinal);

    /// <summary><c>external_url</c>: what rules see as <c>$externalURL</c>.</summary>
    public string ExternalUrl { get; set; } = "";

    /// <summary>The largest <c>eval_time</c> of the group's checks (0 when it has none).</summary>
    public TimeSpan MaxEvalTime
    {
        get
        {
            var max = TimeSpan.Zero;
            foreach (var t in AlertRuleTests)
            {
                max = t.EvalTime > max ? t.EvalTime : max;
            }
            foreach (var t in PromqlExprTests)
            {
                max = t.EvalTime > max ? t.EvalTime : max;
            }
            return max;
        }
    }
}

/// <summary>One input series: <c>series</c> in selector notation and <c>values</c> in expanding notation.</summary>
/// <param name="Series">The metric, e.g. <c>http_requests{job="api"}</c>.</param>
/// <param name="Values">The values, e.g. <c>0+10x5 _ stale</c>.</param>
/// <param name="Line">The 1-based line of the entry in the file.</param>
public sealed record InputSeries(string Series, string Values, int Line);

/// <summary>One <c>promql_expr_test</c>: an instant query and the exact samples it must return.</summary>
public sealed class PromqlTestCase
{
    /// <summary><c>expr</c>: the query.</summary>
    public string Expr { get; set; } = "";

    /// <summary><c>eval_time</c>: when to evaluate it, from time 0.</summary>
    public TimeSpan EvalTime { get; set; }

    /// <summary><c>exp_samples</c>: the expected result (empty for no samples).</summary>
    public List<ExpectedSample> ExpSamples { get; } = [];
}

/// <summary>One expected sample: <c>labels</c> in selector notation (empty for none) and <c>value</c>.</summary>
/// <param name="Labels">The labels, e.g. <c>up{job="a"}</c> or <c>{job="a"}</c>.</param>
/// <param name="Value">The value.</param>
public sealed record ExpectedSample(string Labels, double Value);

/// <summary>One <c>alert_rule_test</c>: the alerts of one alerting rule that must be firing at <c>eval_time</c>.</summary>
public sealed class AlertRuleTestCase
{
    /// <summary><c>eval_time</c>.</summary>
    public TimeSpan EvalTime { get; set; }

    /// <summary><c>alertname</c>.</summary>
    public string AlertName { get; set; } = "";

    /// <summary><c>exp_alerts</c>.</summary>
    public List<ExpectedAlert> ExpAlerts { get; } = [];
}

/// <summary>One expected alert: <c>exp_labels</c> and <c>exp_annotations</c>.</summary>
public sealed class ExpectedAlert
{
    /// <summary><c>exp_labels</c> (without <c>alertname</c>, which is implied).</summary>
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    /// <summary><c>exp_annotations</c>.</summary>
    public Dictionary<string, string> Annotations { get; } = new(StringComparer.Ordinal);
}
