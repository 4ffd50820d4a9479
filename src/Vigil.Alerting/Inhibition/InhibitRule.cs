using Vigil.Alerting.Config;
using Vigil.Alerting.Matching;
using Vigil.Model;

namespace Vigil.Alerting.Inhibition;

/// <summary>
/// A compiled inhibition rule (Alertmanager 0.25's <c>inhibit.InhibitRule</c>): while an alert matching
/// <see cref="SourceMatchers"/> fires, alerts matching <see cref="TargetMatchers"/> that agree with it on every
/// <see cref="Equal"/> label are muted. <c>source_match</c>/<c>_re</c> and <c>target_match</c>/<c>_re</c> are
/// folded into the matchers (regexes anchored as Alertmanager stores them).
/// </summary>
public sealed class InhibitRule
{
    private readonly string[] _equal;

    /// <summary>Compiles a configured rule.</summary>
    public InhibitRule(InhibitRuleConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        SourceMatchers = Combine(config.SourceMatch, config.SourceMatchRe, config.SourceMatchers);
        TargetMatchers = Combine(config.TargetMatch, config.TargetMatchRe, config.TargetMatchers);
        _equal = config.Equal.Distinct(StringComparer.Ordinal).ToArray();
        Line = config.Line;
    }

    /// <summary>What a firing alert must satisfy to inhibit.</summary>
    public Matchers SourceMatchers { get; }

    /// <summary>What an alert must satisfy to be inhibited.</summary>
    public Matchers TargetMatchers { get; }

    /// <summary>Labels whose values must be equal in source and target (an absent label equals only an absent or empty one).</summary>
    public IReadOnlyList<string> Equal => _equal;

    /// <summary>The line of the rule in its configuration file.</summary>
    public int Line { get; }

    /// <summary>
    /// The first of <paramref name="firingSources"/> that inhibits <paramref name="target"/> under this rule, or null.
    /// The caller passes alerts that are firing and match <see cref="SourceMatchers"/> (as Alertmanager keeps them in
    /// the rule's source cache; <see cref="IsSource"/> tells). When the target itself also matches the source side, an
    /// alert that matches both sides cannot inhibit it: two such alerts must not silence each other.
    /// </summary>
    public Labels? FindInhibitor(Labels target, IEnumerable<Labels> firingSources)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(firingSources);
        if (!TargetMatchers.Matches(target))
        {
            return null;
        }
        var excludeTwoSided = SourceMatchers.Matches(target);
        foreach (var source in firingSources)
        {
            if (!EqualLabelsAgree(source, target))
            {
                continue;
            }
            if (excludeTwoSided && TargetMatchers.Matches(source))
            {
                continue;
            }
            return source;
        }
        return null;
    }

    /// <summary>Whether an alert with <paramref name="labels"/> belongs in this rule's source set.</summary>
    public bool IsSource(Labels labels) => SourceMatchers.Matches(labels);

    private bool EqualLabelsAgree(Labels source, Labels target)
    {
        foreach (var name in _equal)
        {
            if (!string.Equals(source.Get(name), target.Get(name), StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    private static Matchers Combine(IReadOnlyDictionary<string, string> match, IReadOnlyDictionary<string, string> matchRe, Matchers matchers)
    {
        var all = new List<Matcher>(match.Count + matchRe.Count + matchers.Count);
        foreach (var (name, value) in match)
        {
            all.Add(Matcher.Create(LabelMatchType.Equal, name, value));
        }
        foreach (var (name, value) in matchRe)
        {
            all.Add(Matcher.Create(LabelMatchType.Regex, name, "^(?:" + value + ")$"));
        }
        all.AddRange(matchers);
        return Matchers.From(all);
    }
}
