using Vigil.Alerting.Config;
using Vigil.Model;

namespace Vigil.Alerting.Inhibition;

/// <summary>
/// Decides whether an alert is inhibited, given the alerts firing now, over every rule of a configuration
/// (Alertmanager's <c>Inhibitor.Mutes</c>). Stateless: the dispatcher owns the set of firing alerts and passes it in.
/// </summary>
public sealed class Inhibitor
{
    private readonly InhibitRule[] _rules;

    /// <summary>Compiles <paramref name="rules"/>.</summary>
    public Inhibitor(IEnumerable<InhibitRuleConfig> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules.Select(static r => new InhibitRule(r)).ToArray();
    }

    /// <summary>The compiled rules, in configuration order.</summary>
    public IReadOnlyList<InhibitRule> Rules => _rules;

    /// <summary>
    /// Whether <paramref name="target"/> is muted by some rule and one of <paramref name="firing"/> (the label sets of
    /// the currently firing, unresolved alerts; the target's own entry may be among them). Returns the inhibiting
    /// alert's labels in <paramref name="inhibitedBy"/>.
    /// </summary>
    public bool Mutes(Labels target, IReadOnlyCollection<Labels> firing, out Labels? inhibitedBy)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(firing);
        foreach (var rule in _rules)
        {
            if (rule.FindInhibitor(target, Sources(rule, firing)) is { } source)
            {
                inhibitedBy = source;
                return true;
            }
        }
        inhibitedBy = null;
        return false;
    }

    private static IEnumerable<Labels> Sources(InhibitRule rule, IReadOnlyCollection<Labels> firing)
    {
        foreach (var labels in firing)
        {
            if (rule.IsSource(labels))
            {
                yield return labels;
            }
        }
    }
}
