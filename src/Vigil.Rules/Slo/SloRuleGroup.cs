namespace Vigil.Rules.Slo;

/// <summary>A Prometheus rule group produced by <see cref="SloCompiler"/>.</summary>
/// <param name="Name">The group name (unique per SLO).</param>
/// <param name="Comment">Text written as a YAML comment above the group, or empty.</param>
/// <param name="Rules">The rules, in evaluation order.</param>
public sealed record SloRuleGroup(string Name, string Comment, IReadOnlyList<SloRule> Rules);

/// <summary>A recording rule (<see cref="Record"/> set) or an alerting rule (<see cref="Alert"/> set).</summary>
/// <param name="Record">The recorded series name, or null.</param>
/// <param name="Alert">The alert name, or null.</param>
/// <param name="Expr">The PromQL expression (may span lines).</param>
/// <param name="Labels">Labels, sorted by name.</param>
/// <param name="Annotations">Annotations, sorted by name (alerts only).</param>
public sealed record SloRule(
    string? Record,
    string? Alert,
    string Expr,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    IReadOnlyList<KeyValuePair<string, string>> Annotations);
