namespace Vigil.Storage;

/// <summary>
/// What happened to one appended sample. Rejections are per sample and counted by reason; they are
/// values, not exceptions, because a scrape may carry thousands of them.
/// </summary>
public enum AppendStatus
{
    /// <summary>Accepted (visible to queries after <see cref="IAppender.Commit"/>).</summary>
    Ok,

    /// <summary>Older than the newest sample of its series (outside any out-of-order window).</summary>
    OutOfOrder,

    /// <summary>Same timestamp as the newest sample of its series but a different value.</summary>
    DuplicateTimestamp,

    /// <summary>Too old for the head (before its lower bound) and not allowed into persisted blocks.</summary>
    OutOfBounds,

    /// <summary>The labels are unusable: empty, no metric name, or invalid names/duplicates.</summary>
    InvalidLabels,
}
