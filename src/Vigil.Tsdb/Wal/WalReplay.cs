using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Wal;

/// <summary>
/// Replays a WAL after <see cref="WriteAheadLog.Open"/>: the records of the last checkpoint, then of every
/// segment after it, in order (docs/format/wal.md, "Replay and repair"). When the reading stops at a
/// corruption in the last non-empty segment (a torn or corrupt tail), the segment is cut at its last intact
/// record, any (empty) later segments are deleted, <see cref="WriteAheadLog.RepairedCorruptions"/> is
/// incremented, a warning is reported, and replay ends normally. Any other corruption — in an earlier segment
/// or in the checkpoint — is thrown as a <see cref="CorruptionException"/> naming segment and offset.
/// </summary>
public sealed class WalReplay : IDisposable
{
    private readonly WriteAheadLog _wal;
    private readonly WalReader _checkpoint;
    private readonly WalReader _segments;
    private WalReader _current;
    private bool _done;

    internal WalReplay(WriteAheadLog wal, IFileSystem fs, IReadOnlyList<SegmentFile> checkpoint, IReadOnlyList<SegmentFile> segments)
    {
        _wal = wal;
        _checkpoint = new WalReader(fs, checkpoint);
        _segments = new WalReader(fs, segments);
        _current = _checkpoint;
    }

    /// <summary>The current record; valid until the next call to <see cref="Next"/>.</summary>
    public ReadOnlySpan<byte> Record => _current.Record;

    /// <summary>Whether the current record comes from the checkpoint.</summary>
    public bool InCheckpoint => ReferenceEquals(_current, _checkpoint);

    /// <summary>The segment of the current record (of the checkpoint's segments when <see cref="InCheckpoint"/>).</summary>
    public int Segment => _current.Segment;

    /// <summary>The offset in its segment where the current record starts.</summary>
    public long Offset => _current.Offset;

    /// <summary>Advances to the next record; false at the end, after any tail repair.</summary>
    /// <exception cref="CorruptionException">Corruption that is not the WAL's tail.</exception>
    public bool Next()
    {
        if (_done)
        {
            return false;
        }
        if (InCheckpoint)
        {
            if (_checkpoint.Next())
            {
                return true;
            }
            if (_checkpoint.Error is { } checkpointError)
            {
                // A checkpoint is fsynced before it is renamed into place: any damage is real corruption.
                throw new CorruptionException(checkpointError);
            }
            _current = _segments;
        }
        if (_segments.Next())
        {
            return true;
        }
        _done = true;
        if (_segments.Error is { } error)
        {
            if (!_wal.IsTail(error))
            {
                throw new CorruptionException(error);
            }
            _segments.Dispose();
            _wal.RepairTail(error);
        }
        _wal.CompleteReplay();
        return false;
    }

    /// <summary>Closes the files. Stopping early leaves the WAL refusing writes.</summary>
    public void Dispose()
    {
        _checkpoint.Dispose();
        _segments.Dispose();
    }
}
