using Vigil.Model;

namespace Vigil.Scrape.Discovery;

/// <summary>
/// A set of targets with common labels, as Prometheus's <c>targetgroup.Group</c>: what a discoverer reports for one
/// <see cref="Source"/> (a file entry, an HTTP item, a DNS name, a Kubernetes object). A later group with the same
/// source replaces the earlier one; a group with no targets removes it.
/// </summary>
public sealed class TargetGroup
{
    /// <summary>Creates a group.</summary>
    /// <param name="source">Identifies the group within its discoverer, e.g. <c>/etc/sd/a.json:0</c> or <c>pod/default/web-1</c>.</param>
    /// <param name="targets">One label set per target, each with at least <c>__address__</c>.</param>
    /// <param name="labels">Labels common to every target; a target's own label of the same name wins.</param>
    public TargetGroup(string source, IReadOnlyList<Labels>? targets = null, Labels? labels = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        Targets = targets ?? [];
        Labels = labels ?? Labels.Empty;
    }

    /// <summary>The label every target address is in.</summary>
    public const string AddressLabel = "__address__";

    /// <summary>Identifies the group within its discoverer.</summary>
    public string Source { get; }

    /// <summary>One label set per target, each with at least <c>__address__</c>.</summary>
    public IReadOnlyList<Labels> Targets { get; }

    /// <summary>Labels common to every target.</summary>
    public Labels Labels { get; }

    /// <summary>An empty group: sent to remove the targets earlier sent under <paramref name="source"/>.</summary>
    public static TargetGroup Empty(string source) => new(source);

    /// <summary>
    /// The labels of each target merged with the group labels (the target's own value wins), as Prometheus's
    /// <c>targetsFromGroup</c> builds the input of target relabeling.
    /// </summary>
    public IEnumerable<Labels> MergedTargets()
    {
        foreach (var target in Targets)
        {
            if (Labels.Count == 0)
            {
                yield return target;
                continue;
            }
            var builder = new LabelsBuilder(Labels);
            foreach (var label in target)
            {
                builder.Set(label.Name, label.Value);
            }
            yield return builder.ToLabels();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Source} ({Targets.Count} targets) {Labels}";
}
