using Vigil.Model;

namespace Vigil.Alerting.History;

/// <summary>What happened, in an <see cref="HistoryEvent"/>.</summary>
public enum HistoryEventKind
{
    /// <summary>An alert started firing (or fired again after it resolved).</summary>
    Firing,

    /// <summary>An alert resolved.</summary>
    Resolved,

    /// <summary>An alert became silenced (<see cref="HistoryEvent.By"/> names the silences).</summary>
    Silenced,

    /// <summary>An alert became inhibited (<see cref="HistoryEvent.By"/> names the inhibiting alerts).</summary>
    Inhibited,

    /// <summary>An alert is no longer silenced or inhibited.</summary>
    Unsuppressed,

    /// <summary>A receiver integration was called (<see cref="HistoryEvent.Outcome"/> says how it went).</summary>
    Notification,
}

/// <summary>
/// One entry of the alert history: an alert's state change, or one notification attempt. For a notification,
/// <see cref="Labels"/> are the aggregation group's labels and <see cref="Fingerprint"/> is 0.
/// </summary>
public sealed record HistoryEvent
{
    /// <summary>When.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>What.</summary>
    public required HistoryEventKind Kind { get; init; }

    /// <summary>The alert's labels, or the group labels of a notification.</summary>
    public required Labels Labels { get; init; }

    /// <summary>The alert's fingerprint (0 for a notification).</summary>
    public ulong Fingerprint { get; init; }

    /// <summary>Silence IDs or inhibiting alert fingerprints.</summary>
    public IReadOnlyList<string> By { get; init; } = [];

    /// <summary>The receiver (notifications).</summary>
    public string Receiver { get; init; } = "";

    /// <summary>The integration, e.g. <c>webhook[0]</c> (notifications).</summary>
    public string Integration { get; init; } = "";

    /// <summary>The aggregation group key (notifications).</summary>
    public string GroupKey { get; init; } = "";

    /// <summary>How many alerts were sent (notifications).</summary>
    public int Alerts { get; init; }

    /// <summary>The attempt number within one flush, from 1 (notifications).</summary>
    public int Attempt { get; init; }

    /// <summary><c>success</c>, <c>retry</c> (failed, will be retried) or <c>failure</c> (notifications).</summary>
    public string Outcome { get; init; } = "";

    /// <summary>The error of a failed attempt.</summary>
    public string Error { get; init; } = "";

    /// <summary>The kind's name in the API and the file (<c>firing</c>, <c>notification</c>, ...).</summary>
    public static string KindName(HistoryEventKind kind) => kind switch
    {
        HistoryEventKind.Firing => "firing",
        HistoryEventKind.Resolved => "resolved",
        HistoryEventKind.Silenced => "silenced",
        HistoryEventKind.Inhibited => "inhibited",
        HistoryEventKind.Unsuppressed => "unsuppressed",
        _ => "notification",
    };

    /// <summary>The kind named <paramref name="name"/>.</summary>
    public static bool TryParseKind(string name, out HistoryEventKind kind)
    {
        foreach (var k in Enum.GetValues<HistoryEventKind>())
        {
            if (KindName(k) == name)
            {
                kind = k;
                return true;
            }
        }
        kind = default;
        return false;
    }
}
