using Vigil.Model;
using Vigil.PromQL.Ast;

namespace Vigil.Rules.Loading;

/// <summary>A parsed and validated rule file (Prometheus's <c>rulefmt.RuleGroups</c>).</summary>
/// <param name="Path">The file as named by the caller.</param>
/// <param name="Groups">The groups in file order.</param>
public sealed record RuleFile(string Path, IReadOnlyList<RuleGroupDefinition> Groups)
{
    /// <summary>The number of rules in all groups.</summary>
    public int RuleCount
    {
        get
        {
            var n = 0;
            foreach (var g in Groups)
            {
                n += g.Rules.Count;
            }
            return n;
        }
    }
}

/// <summary>One group of a rule file: <c>name</c>, <c>interval</c>, <c>limit</c>, <c>rules</c>.</summary>
/// <param name="Name">The group's name, unique in its file.</param>
/// <param name="Interval">The evaluation interval; <see cref="TimeSpan.Zero"/> means the global <c>evaluation_interval</c>.</param>
/// <param name="Limit">The most series a rule may produce (alerts an alerting rule may have); 0 for no limit.</param>
/// <param name="Rules">The rules in evaluation order.</param>
/// <param name="Line">The 1-based line where the group starts.</param>
public sealed record RuleGroupDefinition(string Name, TimeSpan Interval, int Limit, IReadOnlyList<RuleDefinition> Rules, int Line);

/// <summary>One rule: a recording rule (<see cref="Record"/> set) or an alerting rule (<see cref="Alert"/> set).</summary>
public sealed record RuleDefinition
{
    /// <summary><c>record</c>: the output metric name of a recording rule, else empty.</summary>
    public string Record { get; init; } = "";

    /// <summary><c>alert</c>: the alert name of an alerting rule, else empty.</summary>
    public string Alert { get; init; } = "";

    /// <summary><c>expr</c> as written.</summary>
    public string ExprText { get; init; } = "";

    /// <summary>The parsed expression.</summary>
    public required Expr Expr { get; init; }

    /// <summary><c>for</c>: how long an alert stays pending before it fires.</summary>
    public TimeSpan For { get; init; }

    /// <summary><c>keep_firing_for</c>: how long a firing alert keeps firing after its condition stopped.</summary>
    public TimeSpan KeepFiringFor { get; init; }

    /// <summary><c>labels</c>, sorted by name (values may hold templates for alerting rules).</summary>
    public Labels Labels { get; init; } = Labels.Empty;

    /// <summary><c>annotations</c>, sorted by name (values are templates).</summary>
    public Labels Annotations { get; init; } = Labels.Empty;

    /// <summary>The 1-based line where the rule starts.</summary>
    public int Line { get; init; }

    /// <summary>The rule's name: <see cref="Alert"/> or <see cref="Record"/>.</summary>
    public string Name => Alert.Length > 0 ? Alert : Record;

    /// <summary>Whether this is an alerting rule.</summary>
    public bool IsAlerting => Alert.Length > 0;
}
