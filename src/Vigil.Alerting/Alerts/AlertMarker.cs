using System.Collections.Concurrent;

namespace Vigil.Alerting.Alerts;

/// <summary>An alert's state in the API: <c>unprocessed</c>, <c>active</c> or <c>suppressed</c> (silenced or inhibited).</summary>
public enum AlertState
{
    /// <summary>Received but not yet checked against silences and inhibition rules.</summary>
    Unprocessed,

    /// <summary>Firing and neither silenced nor inhibited.</summary>
    Active,

    /// <summary>Silenced or inhibited.</summary>
    Suppressed,
}

/// <summary>An alert's status as the API shows it (Alertmanager's <c>types.AlertStatus</c>).</summary>
/// <param name="State">The state.</param>
/// <param name="SilencedBy">IDs of the silences muting it, sorted.</param>
/// <param name="InhibitedBy">Fingerprints (16 hex digits) of the alerts inhibiting it.</param>
public sealed record AlertStatus(AlertState State, IReadOnlyList<string> SilencedBy, IReadOnlyList<string> InhibitedBy)
{
    /// <summary>Not yet processed.</summary>
    public static AlertStatus Unprocessed { get; } = new(AlertState.Unprocessed, [], []);

    /// <summary>The state's name in the API (<c>unprocessed</c>, <c>active</c>, <c>suppressed</c>).</summary>
    public string StateName => State switch
    {
        AlertState.Active => "active",
        AlertState.Suppressed => "suppressed",
        _ => "unprocessed",
    };
}

/// <summary>
/// Alertmanager's <c>types.MemMarker</c>: what the inhibition and silence stages last decided about each alert, by
/// fingerprint. The API reads it; the alert store's garbage collection deletes entries of alerts it drops.
/// </summary>
public sealed class AlertMarker
{
    private readonly ConcurrentDictionary<ulong, AlertStatus> _status = new();

    /// <summary>The status of the alert with <paramref name="fingerprint"/> (unprocessed when unknown).</summary>
    public AlertStatus Status(ulong fingerprint) => _status.TryGetValue(fingerprint, out var s) ? s : AlertStatus.Unprocessed;

    /// <summary>Records the silences muting an alert (empty: not silenced), keeping its inhibition.</summary>
    public AlertStatus SetSilenced(ulong fingerprint, IReadOnlyList<string> silenceIds)
        => _status.AddOrUpdate(fingerprint,
            static (_, ids) => Make(ids, []),
            static (_, old, ids) => Make(ids, old.InhibitedBy), silenceIds);

    /// <summary>Records the alerts inhibiting an alert (empty: not inhibited), keeping its silences.</summary>
    public AlertStatus SetInhibited(ulong fingerprint, IReadOnlyList<string> inhibitedBy)
        => _status.AddOrUpdate(fingerprint,
            static (_, ids) => Make([], ids),
            static (_, old, ids) => Make(old.SilencedBy, ids), inhibitedBy);

    /// <summary>Forgets an alert.</summary>
    public void Delete(ulong fingerprint) => _status.TryRemove(fingerprint, out _);

    /// <summary>How many alerts are in each state (for <c>alertmanager_alerts</c>).</summary>
    public (int Active, int Suppressed, int Unprocessed) Count(IEnumerable<ulong> fingerprints)
    {
        ArgumentNullException.ThrowIfNull(fingerprints);
        int active = 0, suppressed = 0, unprocessed = 0;
        foreach (var fp in fingerprints)
        {
            switch (Status(fp).State)
            {
                case AlertState.Active: active++; break;
                case AlertState.Suppressed: suppressed++; break;
                default: unprocessed++; break;
            }
        }
        return (active, suppressed, unprocessed);
    }

    private static AlertStatus Make(IReadOnlyList<string> silencedBy, IReadOnlyList<string> inhibitedBy)
        => new(silencedBy.Count > 0 || inhibitedBy.Count > 0 ? AlertState.Suppressed : AlertState.Active, silencedBy, inhibitedBy);
}
