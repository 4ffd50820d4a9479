using System.Collections.Immutable;
using Vigil.Model;

namespace Vigil.Alerting.Alerts;

/// <summary>
/// One alert as Alertmanager 0.25 holds it (<c>types.Alert</c>): labels identify it (see <see cref="Fingerprint"/>),
/// annotations describe it; it fires from <see cref="StartsAt"/> until <see cref="EndsAt"/>. When the sender gave no
/// end, the store sets <see cref="EndsAt"/> to the time of the last update plus <c>resolve_timeout</c> and marks it
/// <see cref="Timeout"/>. Immutable: a newer version of an alert is a new instance.
/// </summary>
public sealed class Alert
{
    /// <summary>Creates an alert; <paramref name="labels"/> must not be empty.</summary>
    public Alert(Labels labels, IReadOnlyDictionary<string, string> annotations, DateTimeOffset startsAt, DateTimeOffset endsAt, string generatorUrl, DateTimeOffset updatedAt, bool timeout)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentNullException.ThrowIfNull(generatorUrl);
        Labels = labels;
        Annotations = annotations as ImmutableSortedDictionary<string, string> ?? annotations.ToImmutableSortedDictionary(StringComparer.Ordinal);
        StartsAt = startsAt;
        EndsAt = endsAt;
        GeneratorUrl = generatorUrl;
        UpdatedAt = updatedAt;
        Timeout = timeout;
        Fingerprint = AlertFingerprint.Of(labels);
    }

    /// <summary>The identifying labels.</summary>
    public Labels Labels { get; }

    /// <summary>No annotations.</summary>
    public static ImmutableSortedDictionary<string, string> NoAnnotations { get; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>The annotations (summary, description, runbook_url, ...), sorted by name; unlike labels, empty values are kept.</summary>
    public ImmutableSortedDictionary<string, string> Annotations { get; }

    /// <summary>When the alert started firing.</summary>
    public DateTimeOffset StartsAt { get; }

    /// <summary>When the alert ends (or ended); <see cref="DateTimeOffset.MinValue"/> when unknown.</summary>
    public DateTimeOffset EndsAt { get; }

    /// <summary>A link to the alert's source (the rule's expression in Prometheus), or "".</summary>
    public string GeneratorUrl { get; }

    /// <summary>When the alert was last received.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Whether <see cref="EndsAt"/> was set by the store from <c>resolve_timeout</c>, not by the sender.</summary>
    public bool Timeout { get; }

    /// <summary>Alertmanager's fingerprint of <see cref="Labels"/> (<see cref="AlertFingerprint"/>).</summary>
    public ulong Fingerprint { get; }

    /// <summary>The alert's name (<c>alertname</c> label), or "".</summary>
    public string Name => Labels.Get("alertname");

    /// <summary>Whether the alert has an end and it is not after <paramref name="now"/> (Alertmanager's <c>ResolvedAt</c>).</summary>
    public bool ResolvedAt(DateTimeOffset now) => EndsAt != DateTimeOffset.MinValue && EndsAt <= now;

    /// <summary><c>firing</c> or <c>resolved</c> at <paramref name="now"/>.</summary>
    public string StatusAt(DateTimeOffset now) => ResolvedAt(now) ? "resolved" : "firing";

    /// <summary>A copy with other times (the store uses it to merge and to apply resolve_timeout).</summary>
    public Alert With(DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null, DateTimeOffset? updatedAt = null, bool? timeout = null)
        => new(Labels, Annotations, startsAt ?? StartsAt, endsAt ?? EndsAt, GeneratorUrl, updatedAt ?? UpdatedAt, timeout ?? Timeout, Fingerprint);

    private Alert(Labels labels, ImmutableSortedDictionary<string, string> annotations, DateTimeOffset startsAt, DateTimeOffset endsAt, string generatorUrl, DateTimeOffset updatedAt, bool timeout, ulong fingerprint)
    {
        Labels = labels;
        Annotations = annotations;
        StartsAt = startsAt;
        EndsAt = endsAt;
        GeneratorUrl = generatorUrl;
        UpdatedAt = updatedAt;
        Timeout = timeout;
        Fingerprint = fingerprint;
    }

    /// <summary>
    /// Alertmanager's <c>Alert.Merge</c>: this alert merged with <paramref name="older"/>, the stored version of the
    /// same alert. The more recently updated of the two gives labels, annotations and URL; the result starts at the
    /// earlier start; an explicit end in the past that is later wins, and an end set by the sender is not replaced by
    /// one that only comes from the resolve timeout.
    /// </summary>
    /// <remarks>Mirrors types.Alert.Merge in Alertmanager 0.25 line by line.</remarks>
    public Alert Merge(Alert older)
    {
        ArgumentNullException.ThrowIfNull(older);
        // Alertmanager: "Let o always be the younger alert."
        var a = older;
        var o = this;
        if (o.UpdatedAt < a.UpdatedAt)
        {
            (a, o) = (o, a);
        }
        var startsAt = o.StartsAt;
        var endsAt = o.EndsAt;
        var timeout = o.Timeout;
        if (a.StartsAt < o.StartsAt)
        {
            startsAt = a.StartsAt;
        }
        if (o.ResolvedAt(o.UpdatedAt))
        {
            // The latest explicit resolved timestamp wins if both alerts are effectively resolved.
            if (a.ResolvedAt(a.UpdatedAt) && a.EndsAt > o.EndsAt)
            {
                endsAt = a.EndsAt;
            }
        }
        else
        {
            // A timeout resolved timestamp does not overwrite a manual one.
            if (a.EndsAt > o.EndsAt && !a.Timeout)
            {
                endsAt = a.EndsAt;
                timeout = false;
            }
        }
        return new Alert(o.Labels, o.Annotations, startsAt, endsAt, o.GeneratorUrl, o.UpdatedAt, timeout, o.Fingerprint);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}[{AlertFingerprint.Format(Fingerprint)[..7]}]";
}
