using System.Buffers.Binary;
using System.Globalization;
using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Wal;

public sealed partial class WriteAheadLog
{
    private readonly byte[] _page = new byte[WalFormat.PageSize];
    private readonly int _pagesPerSegment;
    private int _pageAlloc;   // Bytes of the page filled with fragments.
    private int _pageFlushed; // Bytes of the page already handed to the OS.
    private int _donePages;   // Whole pages of the active segment already on disk.
    private IWritableFile? _segment;
    private int _segmentIndex;
    private long _lastSync;

    /// <summary>Logs one record as a batch of one. See <see cref="Log(ReadOnlySpan{ReadOnlyMemory{byte}})"/>.</summary>
    public void Log(ReadOnlySpan<byte> record)
    {
        lock (_lock)
        {
            var start = BeginBatch();
            try
            {
                WriteRecord(record);
                EndBatch();
            }
            catch (Exception e) when (e is not WalWriteException)
            {
                throw RollBack(start, e);
            }
        }
    }

    /// <summary>
    /// Logs a batch of records in order. When this returns, the bytes have been handed to the OS, and — under
    /// <see cref="FsyncPolicy.Always"/> — fsynced: the caller may acknowledge. On failure a
    /// <see cref="WalWriteException"/> is thrown and the caller must not acknowledge: a failed write rolls the
    /// batch back (the WAL takes further writes) unless the rollback fails too; a failed fsync makes the WAL
    /// refuse further writes (after a failed fsync the kernel may have dropped the dirty pages and a retry
    /// would falsely succeed), and reopening repairs it. A crash mid-batch may leave a prefix of the batch's
    /// records in the log: batches are not atomic across crashes.
    /// </summary>
    public void Log(params ReadOnlySpan<ReadOnlyMemory<byte>> records)
    {
        lock (_lock)
        {
            var start = BeginBatch();
            try
            {
                foreach (var record in records)
                {
                    WriteRecord(record.Span);
                }
                EndBatch();
            }
            catch (Exception e) when (e is not WalWriteException)
            {
                throw RollBack(start, e);
            }
        }
    }

    /// <summary>Fsyncs the active segment now (a host may call it on its own interval). A failure makes the WAL refuse writes.</summary>
    public void Sync()
    {
        lock (_lock)
        {
            ThrowIfNotWritable();
            if (_segment is not null)
            {
                SyncSegment();
            }
        }
    }

    /// <summary>
    /// Finishes the active segment (padded, and fsynced unless <see cref="FsyncPolicy.Never"/>) and starts the next, so every record logged so far is
    /// in segments before <see cref="CurrentSegment"/> (checkpointing needs that). Returns the new current
    /// segment; does nothing when the active segment is still empty.
    /// </summary>
    public int NextSegment()
    {
        lock (_lock)
        {
            ThrowIfNotWritable();
            if (_segment is null || !SegmentHasData)
            {
                return _segmentIndex;
            }
            try
            {
                CutSegment();
            }
            catch (Exception e) when (e is not WalWriteException)
            {
                throw Poison(new WalWriteException(
                    string.Create(CultureInfo.InvariantCulture, $"cutting WAL segment {WalFormat.SegmentName(_segmentIndex)} failed: {e.Message}; the WAL refuses further writes: reopen it to repair the tail"),
                    e, walFailed: true));
            }
            return _segmentIndex;
        }
    }

    private readonly record struct BatchStart(int Segment, long Length);

    private bool SegmentHasData => _donePages > 0 || _pageAlloc > 0;

    private void ThrowIfNotWritable()
    {
        switch (_state)
        {
            case State.Disposed:
                throw new ObjectDisposedException(nameof(WriteAheadLog));
            case State.NeedsReplay:
                throw new InvalidOperationException(
                    "the WAL holds data that has not been replayed: iterate Replay() to its end first (a torn tail must be repaired before new records follow it)");
            case State.Failed:
                throw new WalWriteException($"the WAL refuses writes since an earlier failure ({_failure?.Message}); reopen it to repair the tail", _failure, walFailed: true);
        }
    }

    private BatchStart BeginBatch()
    {
        ThrowIfNotWritable();
        if (_segment is null)
        {
            try
            {
                OpenWriteSegment();
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _failedWrites);
                throw new WalWriteException($"creating WAL segment {WalFormat.SegmentName(_segmentIndex)} failed: {e.Message}", e, walFailed: false);
            }
        }
        return new BatchStart(_segmentIndex, ((long)_donePages * WalFormat.PageSize) + _pageFlushed);
    }

    private void EndBatch()
    {
        if (_pageAlloc > _pageFlushed)
        {
            FlushPage(clear: false);
        }
        var sync = _options.FsyncPolicy switch
        {
            FsyncPolicy.Always => true,
            FsyncPolicy.Interval => _options.TimeProvider.GetElapsedTime(_lastSync) >= _options.FsyncInterval,
            _ => false,
        };
        if (sync)
        {
            SyncSegment();
        }
    }

    /// <summary>Splits a record into fragments on pages of the active segment (docs/format/wal.md, "Writing").</summary>
    private void WriteRecord(ReadOnlySpan<byte> record)
    {
        if (WalFormat.PageSize - _pageAlloc < WalFormat.FragmentHeaderSize)
        {
            FlushPage(clear: true);
        }

        // Records never cross segments: cut first when this one does not fit in what is left of the segment.
        // A record bigger than a whole segment gets a fresh segment that grows past the configured size.
        long left = WalFormat.PageSize - _pageAlloc - WalFormat.FragmentHeaderSize;
        left += (long)(WalFormat.PageSize - WalFormat.FragmentHeaderSize) * (_pagesPerSegment - _donePages - 1);
        if (record.Length > left && SegmentHasData)
        {
            CutSegment();
        }

        var first = true;
        do
        {
            var room = WalFormat.PageSize - _pageAlloc - WalFormat.FragmentHeaderSize;
            var part = record[..Math.Min(record.Length, room)];
            var last = part.Length == record.Length;
            var type = (first, last) switch
            {
                (true, true) => FragmentType.Full,
                (true, false) => FragmentType.First,
                (false, true) => FragmentType.Last,
                _ => FragmentType.Middle,
            };
            var buffer = _page.AsSpan(_pageAlloc);
            buffer[0] = (byte)type;
            BinaryPrimitives.WriteUInt16BigEndian(buffer[1..], (ushort)part.Length);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[3..], Crc32C.Compute(part));
            part.CopyTo(buffer[WalFormat.FragmentHeaderSize..]);
            _pageAlloc += WalFormat.FragmentHeaderSize + part.Length;
            if (WalFormat.PageSize - _pageAlloc < WalFormat.FragmentHeaderSize)
            {
                FlushPage(clear: true);
            }
            record = record[part.Length..];
            first = false;
        }
        while (!record.IsEmpty);
    }

    /// <summary>Hands the page's new bytes to the OS; with <paramref name="clear"/>, zero-pads it to its end and starts a new page.</summary>
    private void FlushPage(bool clear)
    {
        if (clear)
        {
            // Pad to the end of the page. Only the padding is zeroed: bytes before _pageAlloc are all fresh fragments.
            _page.AsSpan(_pageAlloc).Clear();
            _pageAlloc = WalFormat.PageSize;
        }
        if (_pageAlloc > _pageFlushed)
        {
            _segment!.Append(_page.AsSpan(_pageFlushed, _pageAlloc - _pageFlushed));
            Interlocked.Add(ref _bytesWritten, _pageAlloc - _pageFlushed);
            _pageFlushed = _pageAlloc;
        }
        if (clear)
        {
            _pageAlloc = 0;
            _pageFlushed = 0;
            _donePages++;
        }
    }

    /// <summary>Pads the active segment, closes it, and starts the next one.</summary>
    private void CutSegment()
    {
        if (_pageAlloc > 0)
        {
            FlushPage(clear: true);
        }
        // The closed segment may hold unsynced records that no later fsync of the new segment reaches: under
        // Always the earlier records of the batch being written, under Interval the batches since the last
        // interval. Under Never nothing is promised.
        if (_options.FsyncPolicy != FsyncPolicy.Never)
        {
            SyncSegment();
        }
        _segment!.Dispose();
        _segment = null;
        _segmentIndex++;
        OpenWriteSegment();
    }

    private void OpenWriteSegment()
    {
        var file = _fs.OpenAppend(SegmentPath(_segmentIndex), create: true);
        try
        {
            // The new directory entry must be durable before anything fsynced into the file can count.
            if (_options.FsyncPolicy != FsyncPolicy.Never)
            {
                _fs.SyncDirectory(Directory);
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
        _segment = file;
        ResetPage(file.Length);
    }

    /// <summary>Page bookkeeping for a segment of <paramref name="length"/> bytes. Bytes before the end are never rewritten, so the page buffer need not hold them.</summary>
    private void ResetPage(long length)
    {
        Array.Clear(_page);
        _donePages = (int)(length / WalFormat.PageSize);
        _pageAlloc = (int)(length % WalFormat.PageSize);
        _pageFlushed = _pageAlloc;
    }

    private void SyncSegment()
    {
        try
        {
            _segment!.Sync();
            Interlocked.Increment(ref _fsyncs);
            _lastSync = _options.TimeProvider.GetTimestamp();
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _failedFsyncs);
            Interlocked.Increment(ref _failedWrites);
            throw Poison(new WalWriteException(
                string.Create(CultureInfo.InvariantCulture,
                    $"fsync of WAL segment {WalFormat.SegmentName(_segmentIndex)} failed: {e.Message}; the WAL refuses further writes: reopen it to repair the tail"),
                e, walFailed: true));
        }
    }

    /// <summary>Undoes a failed batch: deletes segments it created and cuts the one it started in back to where it started.</summary>
    private WalWriteException RollBack(BatchStart start, Exception cause)
    {
        Interlocked.Increment(ref _failedWrites);
        var failedSegment = WalFormat.SegmentName(_segmentIndex);
        try
        {
            if (_segment is null || _segmentIndex != start.Segment)
            {
                _segment?.Dispose();
                _segment = null;
                for (var i = _segmentIndex; i > start.Segment; i--)
                {
                    _fs.DeleteFile(SegmentPath(i));
                }
                _segmentIndex = start.Segment;
                _segment = _fs.OpenAppend(SegmentPath(start.Segment), create: false);
            }
            _segment.Truncate(start.Length);
            ResetPage(start.Length);
        }
        catch (Exception rollbackFailure)
        {
            return Poison(new WalWriteException(
                string.Create(CultureInfo.InvariantCulture,
                    $"WAL write to segment {failedSegment} failed ({cause.Message}) and rolling the batch back failed too ({rollbackFailure.Message}); the WAL refuses further writes: reopen it to repair the tail"),
                cause, walFailed: true));
        }
        return new WalWriteException(
            string.Create(CultureInfo.InvariantCulture,
                $"WAL write to segment {failedSegment} failed: {cause.Message}; the batch was rolled back to offset {start.Length} of segment {WalFormat.SegmentName(start.Segment)} and the WAL takes further writes"),
            cause, walFailed: false);
    }

    private WalWriteException Poison(WalWriteException failure)
    {
        _state = State.Failed;
        _failure = failure;
        return failure;
    }
}
