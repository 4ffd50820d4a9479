using Vigil.Alerting.Matching;

namespace Vigil.Alerting.Silencing;

/// <summary>A silence's state at some time: pending before it starts, active until it ends, expired after.</summary>
public enum SilenceState
{
    /// <summary>Starts in the future.</summary>
    Pending,

    /// <summary>Mutes matching alerts now.</summary>
    Active,

    /// <summary>Ended.</summary>
    Expired,
}

/// <summary>
/// One silence (Alertmanager 0.25's <c>silencepb.Silence</c>): mutes alerts whose labels satisfy every matcher from
/// <see cref="StartsAt"/> until <see cref="EndsAt"/>. Immutable; the store replaces it on update.
/// </summary>
public sealed record Silence
{
    /// <summary>The UUID the store gave it, or "" before it was stored.</summary>
    public string Id { get; init; } = "";

    /// <summary>The matchers, in the order given (equality of the list decides whether an update keeps the ID).</summary>
    public required IReadOnlyList<Matcher> Matchers { get; init; }

    /// <summary>When it starts muting.</summary>
    public required DateTimeOffset StartsAt { get; init; }

    /// <summary>When it stops muting.</summary>
    public required DateTimeOffset EndsAt { get; init; }

    /// <summary>When it was last changed (set by the store).</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Who made it.</summary>
    public string CreatedBy { get; init; } = "";

    /// <summary>Why.</summary>
    public string Comment { get; init; } = "";

    /// <summary>The state at <paramref name="now"/> (Alertmanager's <c>getState</c>).</summary>
    public SilenceState StateAt(DateTimeOffset now) => now < StartsAt ? SilenceState.Pending : now < EndsAt ? SilenceState.Active : SilenceState.Expired;

    /// <summary>Whether every matcher is satisfied by <paramref name="labels"/>.</summary>
    public bool Matches(Vigil.Model.Labels labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var m in Matchers)
        {
            if (!m.Matches(labels.Get(m.Name)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The state's name in the API.</summary>
    public static string StateName(SilenceState state) => state switch
    {
        SilenceState.Pending => "pending",
        SilenceState.Active => "active",
        _ => "expired",
    };

    /// <summary>Whether both matcher lists are equal, element by element (Go's <c>reflect.DeepEqual</c> on them).</summary>
    public static bool SameMatchers(IReadOnlyList<Matcher> a, IReadOnlyList<Matcher> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Type != b[i].Type || a[i].Name != b[i].Name || a[i].Value != b[i].Value)
            {
                return false;
            }
        }
        return true;
    }
}
