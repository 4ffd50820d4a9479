namespace Vigil.Tsdb.Wal;

/// <summary>
/// A batch could not be logged: the caller must not acknowledge it. When <see cref="WalFailed"/> is false the
/// batch was rolled back and the WAL takes further writes; when true (a failed fsync, or a failed write whose
/// rollback failed too) the WAL refuses all further writes and must be reopened, which repairs its tail.
/// </summary>
public sealed class WalWriteException : IOException
{
    /// <summary>A failed batch.</summary>
    public WalWriteException(string message, Exception? innerException, bool walFailed)
        : base(message, innerException)
    {
        WalFailed = walFailed;
    }

    /// <summary>A failed batch; the WAL still takes writes.</summary>
    public WalWriteException()
        : this("WAL write failed", null, walFailed: false)
    {
    }

    /// <summary>A failed batch; the WAL still takes writes.</summary>
    public WalWriteException(string message)
        : this(message, null, walFailed: false)
    {
    }

    /// <summary>A failed batch; the WAL still takes writes.</summary>
    public WalWriteException(string message, Exception innerException)
        : this(message, innerException, walFailed: false)
    {
    }

    /// <summary>Whether the WAL now refuses writes until it is reopened.</summary>
    public bool WalFailed { get; }
}
