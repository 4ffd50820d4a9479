namespace Vigil.Alerting.Pipeline;

/// <summary>The outcome of one <see cref="INotifier.NotifyAsync"/> call.</summary>
/// <param name="Retry">Whether a failed attempt may succeed when repeated (5xx, timeouts); ignored on success.</param>
/// <param name="Error">Why the attempt failed, or null when it succeeded.</param>
public sealed record NotifyResult(bool Retry, Exception? Error)
{
    /// <summary>The notification was delivered.</summary>
    public static NotifyResult Success { get; } = new(false, null);

    /// <summary>Whether the notification was delivered.</summary>
    public bool Succeeded => Error is null;

    /// <summary>A failure worth retrying.</summary>
    public static NotifyResult Retryable(Exception error) => new(true, error);

    /// <summary>A failure that will not change on retry (4xx, bad template).</summary>
    public static NotifyResult Permanent(Exception error) => new(false, error);
}
