namespace Vigil.Alerting.NotificationLog;

/// <summary>
/// Who was notified: one integration of one receiver (Alertmanager's <c>nflogpb.Receiver</c>). Printed as
/// <c>receiver/integration/index</c>, the form the notification log keys entries by.
/// </summary>
/// <param name="GroupName">The receiver's name.</param>
/// <param name="Integration">The integration (<c>webhook</c>, ...).</param>
/// <param name="Index">The integration's index among the receiver's configurations of that kind.</param>
public sealed record NotificationReceiver(string GroupName, string Integration, int Index)
{
    /// <inheritdoc/>
    public override string ToString() => $"{GroupName}/{Integration}/{Index.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>
/// The last successful notification of one aggregation group to one receiver integration (Alertmanager's
/// <c>nflogpb.Entry</c>): which alerts were firing and which resolved, by hash, and when. The dedup stage compares
/// a flush's alerts with it to decide whether to notify again.
/// </summary>
public sealed record NotificationLogEntry
{
    /// <summary>The aggregation group's key.</summary>
    public required string GroupKey { get; init; }

    /// <summary>The receiver integration notified.</summary>
    public required NotificationReceiver Receiver { get; init; }

    /// <summary>When the notification was sent.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Hashes of the alerts notified as firing.</summary>
    public required IReadOnlyList<ulong> FiringAlerts { get; init; }

    /// <summary>Hashes of the alerts notified as resolved.</summary>
    public required IReadOnlyList<ulong> ResolvedAlerts { get; init; }

    /// <summary>When the entry is dropped (timestamp plus the log's retention).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Whether every hash in <paramref name="firing"/> was notified as firing (<c>IsFiringSubset</c>).</summary>
    public bool IsFiringSubset(IReadOnlySet<ulong> firing) => IsSubset(firing, FiringAlerts);

    /// <summary>Whether every hash in <paramref name="resolved"/> was notified as resolved (<c>IsResolvedSubset</c>).</summary>
    public bool IsResolvedSubset(IReadOnlySet<ulong> resolved) => IsSubset(resolved, ResolvedAlerts);

    private static bool IsSubset(IReadOnlySet<ulong> subset, IReadOnlyList<ulong> set)
    {
        ArgumentNullException.ThrowIfNull(subset);
        if (subset.Count == 0)
        {
            return true;
        }
        var all = new HashSet<ulong>(set);
        foreach (var hash in subset)
        {
            if (!all.Contains(hash))
            {
                return false;
            }
        }
        return true;
    }
}
