using System.Text.RegularExpressions;

namespace Vigil.Model.Relabel;

/// <summary>
/// One relabel rule (an entry of <c>relabel_configs</c>, <c>metric_relabel_configs</c>, <c>alert_relabel_configs</c>,
/// <c>write_relabel_configs</c>), with Prometheus's defaults: separator <c>;</c>, regex <c>(.*)</c>, replacement
/// <c>$1</c>, action <c>replace</c>. Immutable; check it with <see cref="Validate"/> before use.
/// </summary>
public sealed class RelabelConfig
{
    /// <summary>Prometheus's default separator.</summary>
    public const string DefaultSeparator = ";";

    /// <summary>Prometheus's default replacement.</summary>
    public const string DefaultReplacement = "$1";

    private readonly string[]? _sourceLabels;

    /// <summary>The labels whose values are joined (in this order, with <see cref="Separator"/>) as the rule's input. Empty when not set.</summary>
    public IReadOnlyList<string> SourceLabels
    {
        get => _sourceLabels ?? [];
        init => _sourceLabels = value is null ? null : [.. value];
    }

    /// <summary>Whether <c>source_labels</c> was written at all (labeldrop and labelkeep refuse it even when empty).</summary>
    public bool HasSourceLabels => _sourceLabels is not null;

    /// <summary>The string put between the source values.</summary>
    public string Separator { get; init; } = DefaultSeparator;

    /// <summary>The fully anchored regular expression. <see cref="RelabelRegex.Default"/> (the same instance) when not written.</summary>
    public RelabelRegex Regex { get; init; } = RelabelRegex.Default;

    /// <summary>The modulus for <see cref="RelabelAction.HashMod"/>; 0 when not set.</summary>
    public ulong Modulus { get; init; }

    /// <summary>The label written by replace, hashmod, lowercase and uppercase, or compared by keepequal/dropequal. Replace expands <c>$1</c> in it.</summary>
    public string TargetLabel { get; init; } = "";

    /// <summary>The template written by replace and labelmap (<c>$1</c>, <c>${name}</c>, <c>$$</c>).</summary>
    public string Replacement { get; init; } = DefaultReplacement;

    /// <summary>What the rule does.</summary>
    public RelabelAction Action { get; init; } = RelabelAction.Replace;

    /// <summary>
    /// Prometheus 2.42's <c>relabel.Config.Validate</c>: null when the rule is usable, else its message, e.g.
    /// <c>relabel configuration for hashmod requires non-zero modulus</c> or <c>"1y" is invalid 'target_label' for replace action</c>.
    /// </summary>
    public string? Validate()
    {
        var action = Action.ToName();
        if (Modulus == 0 && Action == RelabelAction.HashMod)
        {
            return "relabel configuration for hashmod requires non-zero modulus";
        }
        var writesTarget = Action is RelabelAction.Replace or RelabelAction.HashMod or RelabelAction.Lowercase
            or RelabelAction.Uppercase or RelabelAction.KeepEqual or RelabelAction.DropEqual;
        if (writesTarget && TargetLabel.Length == 0)
        {
            return $"relabel configuration for {action} action requires 'target_label' value";
        }
        var hasVariable = TargetLabel.Contains('$', StringComparison.Ordinal);
        if (Action == RelabelAction.Replace && !hasVariable && !LabelText.IsValidLabelName(TargetLabel))
        {
            return $"{LabelText.Quote(TargetLabel)} is invalid 'target_label' for {action} action";
        }
        if (Action == RelabelAction.Replace && hasVariable && !TargetTemplate().IsMatch(TargetLabel))
        {
            return $"{LabelText.Quote(TargetLabel)} is invalid 'target_label' for {action} action";
        }
        var copiesValue = Action is RelabelAction.Lowercase or RelabelAction.Uppercase or RelabelAction.KeepEqual or RelabelAction.DropEqual;
        if (copiesValue && !LabelText.IsValidLabelName(TargetLabel))
        {
            return $"{LabelText.Quote(TargetLabel)} is invalid 'target_label' for {action} action";
        }
        if (copiesValue && Replacement != DefaultReplacement)
        {
            return $"'replacement' can not be set for {action} action";
        }
        if (Action == RelabelAction.LabelMap && !TargetTemplate().IsMatch(Replacement))
        {
            return $"{LabelText.Quote(Replacement)} is invalid 'replacement' for {action} action";
        }
        if (Action == RelabelAction.HashMod && !LabelText.IsValidLabelName(TargetLabel))
        {
            return $"{LabelText.Quote(TargetLabel)} is invalid 'target_label' for {action} action";
        }
        if (Action is RelabelAction.KeepEqual or RelabelAction.DropEqual
            && (!ReferenceEquals(Regex, RelabelRegex.Default) || Modulus != 0 || Separator != DefaultSeparator || Replacement != DefaultReplacement))
        {
            return $"{action} action requires only 'source_labels' and `target_label`, and no other fields";
        }
        if (Action is RelabelAction.LabelDrop or RelabelAction.LabelKeep
            && (HasSourceLabels || TargetLabel.Length != 0 || Modulus != 0 || Separator != DefaultSeparator || Replacement != DefaultReplacement))
        {
            return $"{action} action requires only 'regex', and no other fields";
        }
        return null;
    }

    // Prometheus's relabelTarget: letters, '_' and $vars, then word characters (\w is ASCII in RE2). Nested
    // repetition: NonBacktracking keeps a long invalid input linear.
    private static readonly Regex s_targetTemplate = new(
        @"\A(?:(?:[a-zA-Z_]|\$(?:\{[0-9A-Za-z_]+\}|[0-9A-Za-z_]+))+[0-9A-Za-z_]*)+\z",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static Regex TargetTemplate() => s_targetTemplate;
}
