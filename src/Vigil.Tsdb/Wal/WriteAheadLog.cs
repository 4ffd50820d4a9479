using System.Globalization;
using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Wal;

/// <summary>
/// The write-ahead log: numbered segment files of 32 KiB pages holding CRC-checked record fragments
/// (docs/format/wal.md). Open it, replay it once (<see cref="Replay"/>, which repairs a torn tail), then
/// <see cref="Log(ReadOnlySpan{byte})"/> batches. Writing is serialised by a lock; the records themselves
/// are opaque bytes (see <see cref="SeriesRecord"/>, <see cref="SamplesRecord"/>, <see cref="TombstonesRecord"/>).
/// </summary>
public sealed partial class WriteAheadLog : IDisposable
{
    /// <summary>The conventional name of the WAL directory inside a TSDB data directory.</summary>
    public const string DirectoryName = "wal";

    private readonly IFileSystem _fs;
    private readonly WalOptions _options;
    private readonly Lock _lock = new();
    private readonly List<SegmentFile> _segmentsAtOpen;
    private readonly (int Index, string Path)? _checkpointAtOpen;

    private State _state;
    private bool _replayStarted;
    private Exception? _failure;
    private long _repairedCorruptions;
    private long _failedWrites;
    private long _failedFsyncs;
    private long _bytesWritten;
    private long _fsyncs;

    private WriteAheadLog(string directory, WalOptions options, List<SegmentFile> segments, (int Index, string Path)? checkpoint)
    {
        Directory = directory;
        _options = options;
        _fs = options.FileSystem;
        _pagesPerSegment = options.SegmentSize / WalFormat.PageSize;
        _checkpointAtOpen = checkpoint;
        _segmentsAtOpen = segments.FindAll(s => checkpoint is null || s.Index > checkpoint.Value.Index);
        var last = Math.Max(segments.Count > 0 ? segments[^1].Index : -1, checkpoint?.Index ?? -1);
        _segmentIndex = last + 1;
        _state = segments.Count > 0 || checkpoint is not null ? State.NeedsReplay : State.Ready;
        _lastSync = options.TimeProvider.GetTimestamp();
    }

    private enum State
    {
        NeedsReplay,
        Ready,
        Failed,
        Disposed,
    }

    /// <summary>
    /// Opens (creating if needed) the WAL in <paramref name="directory"/>. Nothing is read yet: if the directory
    /// holds segments or a checkpoint, <see cref="Replay"/> must run to its end before the first write.
    /// Leftover <c>checkpoint.*.tmp</c> directories from a crash are deleted.
    /// </summary>
    /// <exception cref="CorruptionException">Segment indices are not consecutive.</exception>
    public static WriteAheadLog Open(string directory, WalOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new WalOptions();
        options.Validate();
        var fs = options.FileSystem;
        fs.CreateDirectory(directory);
        WalDirectory.DeleteTempCheckpoints(fs, directory);
        var checkpoint = WalDirectory.LastCheckpoint(fs, directory);
        var segments = WalDirectory.ListSegments(fs, directory);
        return new WriteAheadLog(directory, options, segments, checkpoint);
    }

    /// <summary>The WAL directory.</summary>
    public string Directory { get; }

    /// <summary>The options the WAL was opened with.</summary>
    internal WalOptions Options => _options;

    /// <summary>The configured segment size.</summary>
    public int SegmentSize => _options.SegmentSize;

    /// <summary>Whether <see cref="Replay"/> must still run to its end before writes are accepted.</summary>
    public bool NeedsReplay
    {
        get
        {
            lock (_lock)
            {
                return _state == State.NeedsReplay;
            }
        }
    }

    /// <summary>The segment the next write goes to (it may not exist yet).</summary>
    public int CurrentSegment
    {
        get
        {
            lock (_lock)
            {
                return _segmentIndex;
            }
        }
    }

    /// <summary>The failure that made the WAL refuse writes, or null.</summary>
    public Exception? Failure
    {
        get
        {
            lock (_lock)
            {
                return _failure;
            }
        }
    }

    /// <summary>Torn or corrupt tails repaired by replay (for <c>vigil_tsdb_wal_corruptions_total</c>).</summary>
    public long RepairedCorruptions => Interlocked.Read(ref _repairedCorruptions);

    /// <summary>Batches that failed to be written or fsynced.</summary>
    public long FailedWrites => Interlocked.Read(ref _failedWrites);

    /// <summary>Fsyncs that failed (each one makes the WAL refuse writes).</summary>
    public long FailedFsyncs => Interlocked.Read(ref _failedFsyncs);

    /// <summary>Bytes handed to the OS, padding included.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Successful fsyncs of segments.</summary>
    public long Fsyncs => Interlocked.Read(ref _fsyncs);

    /// <summary>
    /// Reads the last checkpoint, then every segment after it. Call it once, right after <see cref="Open"/>,
    /// and iterate to the end; a torn tail is repaired on the way and writes are accepted afterwards.
    /// </summary>
    public WalReplay Replay()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_state == State.Disposed, this);
            if (_replayStarted)
            {
                throw new InvalidOperationException("the WAL can be replayed once, right after it is opened");
            }
            _replayStarted = true;
            var checkpoint = _checkpointAtOpen is { } cp ? WalDirectory.ListSegments(_fs, cp.Path) : [];
            return new WalReplay(this, _fs, checkpoint, _segmentsAtOpen);
        }
    }

    /// <summary>
    /// Deletes the segments before <paramref name="segment"/> (never the one being written). Checkpointing
    /// calls it; a caller that drops old data without a checkpoint may too.
    /// </summary>
    public void Truncate(int segment)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_state == State.Disposed, this);
            var limit = Math.Min(segment, _segmentIndex);
            foreach (var s in WalDirectory.ListSegments(_fs, Directory))
            {
                if (s.Index >= limit)
                {
                    break;
                }
                _fs.DeleteFile(s.Path);
            }
        }
    }

    /// <summary>Deletes checkpoints older than <paramref name="index"/>.</summary>
    internal void DeleteCheckpointsBefore(int index)
    {
        foreach (var (i, path) in WalDirectory.ListCheckpoints(_fs, Directory))
        {
            if (i < index)
            {
                _fs.DeleteDirectory(path);
            }
        }
    }

    /// <summary>Whether a corruption replay found is the tail of the WAL: in the WAL itself, with nothing but empty segments after it.</summary>
    internal bool IsTail(WalCorruption corruption)
    {
        if (!string.Equals(corruption.Directory, Directory, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var s in _segmentsAtOpen)
        {
            if (s.Index > corruption.Segment && s.Length > 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Cuts the corrupt segment at its last intact record and deletes the (empty) segments after it.</summary>
    internal void RepairTail(WalCorruption corruption)
    {
        lock (_lock)
        {
            using (var file = _fs.OpenAppend(corruption.SegmentPath, create: false))
            {
                file.Truncate(corruption.LastGoodOffset);
                file.Sync();
            }
            foreach (var s in _segmentsAtOpen)
            {
                if (s.Index > corruption.Segment)
                {
                    _fs.DeleteFile(s.Path);
                }
            }
            _fs.SyncDirectory(Directory);
            _segmentIndex = corruption.Segment + 1;
            Interlocked.Increment(ref _repairedCorruptions);
        }
        Warn(string.Create(CultureInfo.InvariantCulture,
            $"repaired the WAL tail: {corruption}; segment truncated to {corruption.LastGoodOffset} bytes, records after it discarded"));
    }

    /// <summary>Replay reached the end: writes are accepted from now on.</summary>
    internal void CompleteReplay()
    {
        lock (_lock)
        {
            if (_state == State.NeedsReplay)
            {
                _state = State.Ready;
            }
        }
    }

    /// <summary>
    /// Pads and fsyncs the active segment and closes it, whatever the <see cref="FsyncPolicy"/>.
    /// Throws when that fails; <see cref="Dispose"/> is the same but reports failures through <see cref="WalOptions.Warning"/>.
    /// </summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_state == State.Disposed)
            {
                return;
            }
            try
            {
                if (_state == State.Ready && _segment is not null)
                {
                    if (_pageAlloc > 0)
                    {
                        FlushPage(clear: true);
                    }
                    _segment.Sync();
                    Interlocked.Increment(ref _fsyncs);
                }
            }
            finally
            {
                _segment?.Dispose();
                _segment = null;
                _state = State.Disposed;
            }
        }
    }

    /// <summary>Closes the WAL; a failure to flush or fsync is reported through <see cref="WalOptions.Warning"/> rather than thrown.</summary>
    public void Dispose()
    {
        try
        {
            Close();
        }
        catch (IOException e)
        {
            Warn($"closing the WAL failed: {e.Message}");
        }
    }

    private void Warn(string message) => _options.Warning?.Invoke(message);

    private string SegmentPath(int index) => Path.Combine(Directory, WalFormat.SegmentName(index));
}
