namespace Vigil.Testing;

/// <summary>
/// A schedule of file-system faults that a fault-injecting file seam consults before every write, fsync and
/// other operation: tear a write after N more bytes (then behave like a dead machine), fail the next fsyncs,
/// or fail the next writes (optionally after a prefix of their bytes landed). Independent of any seam
/// interface, so each project's seam wrapper (e.g. tests/Vigil.Tsdb.Tests/Wal/FaultInjectingFileSystem.cs)
/// shares the bookkeeping. Thread-safe.
/// </summary>
public sealed class FileFaults
{
    private readonly Lock _gate = new();
    private long _tearBudget = -1;
    private int _failSyncs;
    private int _failWrites;
    private int _failWritesPartialBytes;
    private int _failWritesSkip;

    /// <summary>Whether a tear happened: every operation now throws, as if the process or machine died mid-write.</summary>
    public bool Crashed { get; private set; }

    /// <summary>Bytes that reached the underlying files through the seam.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Fsyncs that succeeded.</summary>
    public int Syncs { get; private set; }

    /// <summary>Fsyncs made to fail.</summary>
    public int FailedSyncs { get; private set; }

    /// <summary>Writes made to fail (torn ones included).</summary>
    public int FailedWrites { get; private set; }

    /// <summary>
    /// After <paramref name="bytes"/> more bytes, the write that crosses the limit writes only the part up to it
    /// and throws; from then on everything throws (<see cref="Crashed"/>). Reopen the files without the wrapper
    /// to see what a crash at that byte leaves behind.
    /// </summary>
    public void TearAfter(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            _tearBudget = bytes;
        }
    }

    /// <summary>The next <paramref name="count"/> fsyncs throw an <see cref="IOException"/> (EIO) without syncing.</summary>
    public void FailNextSyncs(int count = 1)
    {
        lock (_gate)
        {
            _failSyncs = count;
        }
    }

    /// <summary>
    /// After <paramref name="afterWrites"/> more successful writes, the next <paramref name="count"/> writes throw an
    /// <see cref="IOException"/> (ENOSPC) after writing at most <paramref name="partialBytes"/> of their bytes.
    /// </summary>
    public void FailNextWrites(int count = 1, int partialBytes = 0, int afterWrites = 0)
    {
        lock (_gate)
        {
            _failWrites = count;
            _failWritesPartialBytes = partialBytes;
            _failWritesSkip = afterWrites;
        }
    }

    /// <summary>Clears every scheduled fault and the crash.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _tearBudget = -1;
            _failSyncs = 0;
            _failWrites = 0;
            Crashed = false;
        }
    }

    /// <summary>
    /// For seam wrappers, before a write of <paramref name="length"/> bytes: how many of them to pass on, and the
    /// exception to throw after passing them on (null: the write succeeds).
    /// </summary>
    public (int BytesToWrite, IOException? Failure) BeforeWrite(string path, int length)
    {
        lock (_gate)
        {
            ThrowIfCrashed("write", path);
            if (_failWrites > 0 && _failWritesSkip > 0)
            {
                _failWritesSkip--;
            }
            else if (_failWrites > 0)
            {
                _failWrites--;
                FailedWrites++;
                var partial = Math.Min(length, _failWritesPartialBytes);
                BytesWritten += partial;
                return (partial, new IOException($"injected write failure (no space left on device) after {partial} of {length} bytes: {path}"));
            }
            if (_tearBudget >= 0 && length > _tearBudget)
            {
                var partial = (int)_tearBudget;
                _tearBudget = -1;
                Crashed = true;
                FailedWrites++;
                BytesWritten += partial;
                return (partial, new IOException($"injected torn write after {partial} of {length} bytes: {path}"));
            }
            if (_tearBudget >= 0)
            {
                _tearBudget -= length;
            }
            BytesWritten += length;
            return (length, null);
        }
    }

    /// <summary>For seam wrappers, before an fsync: throws when it is to fail.</summary>
    public void BeforeSync(string path)
    {
        lock (_gate)
        {
            ThrowIfCrashed("fsync", path);
            if (_failSyncs > 0)
            {
                _failSyncs--;
                FailedSyncs++;
                throw new IOException($"injected fsync failure (input/output error): {path}");
            }
            Syncs++;
        }
    }

    /// <summary>For seam wrappers, before any other operation: throws once crashed.</summary>
    public void BeforeOperation(string operation, string path)
    {
        lock (_gate)
        {
            ThrowIfCrashed(operation, path);
        }
    }

    private void ThrowIfCrashed(string operation, string path)
    {
        if (Crashed)
        {
            throw new IOException($"injected crash: {operation} refused after a torn write: {path}");
        }
    }
}
