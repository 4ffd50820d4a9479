using Vigil.Alerting.Matching;

namespace Vigil.Alerting.Config;

/// <summary>One <c>inhibit_rules</c> entry as written; <see cref="Inhibition.InhibitRule"/> compiles it.</summary>
public sealed class InhibitRuleConfig
{
    /// <summary>The deprecated <c>source_match</c>.</summary>
    public IReadOnlyDictionary<string, string> SourceMatch { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The deprecated <c>source_match_re</c>, regular expressions as written.</summary>
    public IReadOnlyDictionary<string, string> SourceMatchRe { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>source_matchers</c>.</summary>
    public Matchers SourceMatchers { get; init; } = Matchers.Empty;

    /// <summary>The deprecated <c>target_match</c>.</summary>
    public IReadOnlyDictionary<string, string> TargetMatch { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The deprecated <c>target_match_re</c>, regular expressions as written.</summary>
    public IReadOnlyDictionary<string, string> TargetMatchRe { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>target_matchers</c>.</summary>
    public Matchers TargetMatchers { get; init; } = Matchers.Empty;

    /// <summary><c>equal</c>: labels whose values must agree between source and target.</summary>
    public IReadOnlyList<string> Equal { get; init; } = [];

    /// <summary>The line of the rule in its file.</summary>
    public int Line { get; init; }
}
