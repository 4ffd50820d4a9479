using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Wal;

/// <summary>
/// Reads the records of a run of segments in order, checking every fragment (docs/format/wal.md, "Reading").
/// An iterator in the <c>Next</c> / <c>Record</c> / <c>Error</c> style: <see cref="Next"/> returns false at
/// the end or at the first corruption, and then <see cref="Error"/> says where and why. It never repairs
/// anything; <see cref="WalReplay"/> does that. Not thread-safe.
/// </summary>
public sealed class WalReader : IDisposable
{
    private readonly IFileSystem _fs;
    private readonly IReadOnlyList<SegmentFile> _segments;
    private int _segmentPosition = -1;
    private IReadableFile? _file;
    private long _fileLength;

    private byte[]? _page = ArrayPool<byte>.Shared.Rent(WalFormat.PageSize);
    private long _pageStart;
    private int _pageLength;
    private int _pagePosition;

    private byte[]? _record = ArrayPool<byte>.Shared.Rent(WalFormat.PageSize);
    private int _recordLength;
    private int _recordPageOffset = -1; // >= 0: the record is one full fragment, read in place from the page.

    private long _lastGood;
    private bool _done;
    private long _startOffset; // Where reading starts in the first segment (a record boundary).
    private int _skipInPage;   // Bytes of the first loaded page before _startOffset.

    internal WalReader(IFileSystem fs, IReadOnlyList<SegmentFile> segments, long startOffset = 0)
    {
        _fs = fs;
        _segments = segments;
        _startOffset = startOffset;
    }

    /// <summary>
    /// A reader over the segments of <paramref name="directory"/> with indices in [<paramref name="first"/>,
    /// <paramref name="last"/>] (all of them by default). It reads only what the files held when listed.
    /// </summary>
    /// <exception cref="CorruptionException">The segment indices are not consecutive.</exception>
    public static WalReader Open(string directory, int first = 0, int last = int.MaxValue, IFileSystem? fileSystem = null)
    {
        var fs = fileSystem ?? PhysicalFileSystem.Instance;
        var all = WalDirectory.ListSegments(fs, directory);
        all.RemoveAll(s => s.Index < first || s.Index > last);
        return new WalReader(fs, all);
    }

    /// <summary>
    /// A reader over one segment of <paramref name="directory"/> starting at <paramref name="offset"/>, which must be a
    /// record boundary (0, or a <see cref="NextOffset"/> an earlier reader returned). It reads only what the file held
    /// when opened, so a WAL tailer opens a new one to read what was written since; a record cut off by that length is
    /// reported as a torn-write <see cref="Error"/>, which for the segment being written means "not complete yet".
    /// </summary>
    /// <exception cref="FileNotFoundException">The segment does not exist (deleted by a truncation, or not yet created).</exception>
    public static WalReader OpenSegment(string directory, int segment, long offset = 0, IFileSystem? fileSystem = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(segment);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var fs = fileSystem ?? PhysicalFileSystem.Instance;
        var path = System.IO.Path.Combine(directory, WalFormat.SegmentName(segment));
        if (!fs.FileExists(path))
        {
            throw new FileNotFoundException($"WAL segment {path} does not exist", path);
        }
        return new WalReader(fs, [new SegmentFile(directory, segment, fs.GetFileLength(path))], offset);
    }

    /// <summary>
    /// Where a later reader of this segment may resume: just past the current record; after <see cref="Next"/> returned
    /// false, the end of what was read (trailing padding included), or after an error, past the last intact record.
    /// </summary>
    public long NextOffset => _lastGood;

    /// <summary>The current record; valid until the next call to <see cref="Next"/>.</summary>
    public ReadOnlySpan<byte> Record => _recordPageOffset >= 0
        ? _page.AsSpan(_recordPageOffset, _recordLength)
        : _record.AsSpan(0, _recordLength);

    /// <summary>The index of the segment the current record is in (or, after an error, the corrupt one).</summary>
    public int Segment { get; private set; } = -1;

    /// <summary>The byte offset in its segment where the current record's first fragment starts.</summary>
    public long Offset { get; private set; }

    /// <summary>The byte offset just past the current record's last fragment.</summary>
    internal long EndOffset => _lastGood;

    /// <summary>The directory of the segment being read (the WAL's or a checkpoint's).</summary>
    internal string CurrentDirectory { get; private set; } = "";

    /// <summary>Set when <see cref="Next"/> stopped at a corruption rather than at the end.</summary>
    public WalCorruption? Error { get; private set; }

    /// <summary>Advances to the next record; false at the end or at a corruption (see <see cref="Error"/>).</summary>
    public bool Next()
    {
        ObjectDisposedException.ThrowIf(_page is null, this);
        if (_done)
        {
            return false;
        }
        _recordLength = 0;
        _recordPageOffset = -1;
        var fragments = 0;
        long recordStart = 0;
        while (true)
        {
            if (_file is null && !OpenNextSegment())
            {
                _done = true;
                return false;
            }
            if (_pagePosition >= _pageLength)
            {
                if (!LoadNextPage())
                {
                    if (fragments > 0)
                    {
                        // A record never crosses a segment boundary: the writer cuts before one would.
                        return Fail(_fileLength, string.Create(CultureInfo.InvariantCulture,
                            $"the segment ends inside the record that starts at offset {recordStart} (torn write): no last fragment"));
                    }
                    // Everything up to the end read (trailing padding included) checked out: a tailer resumes there.
                    _lastGood = _fileLength;
                    CloseSegment();
                    continue;
                }
            }

            var page = _page.AsSpan(0, _pageLength);
            var position = _pagePosition;
            var at = _pageStart + position;
            var header = page[position];
            if (header == 0)
            {
                if (fragments > 0)
                {
                    return Fail(at, "page padding inside a fragmented record: its next fragment is missing");
                }
                var nonZero = page[position..].IndexOfAnyExcept((byte)0);
                if (nonZero >= 0)
                {
                    return Fail(at + nonZero, "non-zero byte in the zero padding at the end of a page");
                }
                _pagePosition = _pageLength;
                continue;
            }
            if ((header & ~WalFormat.FragmentTypeMask) != 0)
            {
                return Fail(at, string.Create(CultureInfo.InvariantCulture,
                    $"fragment type byte 0x{header:x2} has flag bits set (Prometheus uses them for snappy/zstd compression, which Vigil does not read)"));
            }
            var type = (FragmentType)header;
            if (type > FragmentType.Last)
            {
                return Fail(at, string.Create(CultureInfo.InvariantCulture, $"invalid fragment type {header}: expected 1 (full), 2 (first), 3 (middle) or 4 (last)"));
            }
            if (page.Length - position < WalFormat.FragmentHeaderSize)
            {
                return at + WalFormat.FragmentHeaderSize > _fileLength
                    ? Fail(at, "fragment header cut off by the end of the segment (torn write)")
                    : Fail(at, "fragment header crosses a page boundary");
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(page[(position + 1)..]);
            var storedCrc = BinaryPrimitives.ReadUInt32BigEndian(page[(position + 3)..]);
            var end = position + WalFormat.FragmentHeaderSize + length;
            if (_pageStart + end > _fileLength)
            {
                return Fail(at, string.Create(CultureInfo.InvariantCulture,
                    $"fragment of {length} bytes cut off by the end of the segment at {_fileLength} (torn write)"));
            }
            if (end > WalFormat.PageSize)
            {
                return Fail(at, string.Create(CultureInfo.InvariantCulture, $"fragment of {length} bytes runs past the end of its page"));
            }
            var payload = page.Slice(position + WalFormat.FragmentHeaderSize, length);
            var crc = Crc32C.Compute(payload);
            if (crc != storedCrc)
            {
                return Fail(at, string.Create(CultureInfo.InvariantCulture,
                    $"checksum mismatch in a {WalFormat.Describe(type)} fragment of {length} bytes: stored 0x{storedCrc:x8}, computed 0x{crc:x8}"));
            }
            if (fragments == 0 && type is not (FragmentType.Full or FragmentType.First))
            {
                return Fail(at, $"a {WalFormat.Describe(type)} fragment cannot start a record: expected full or first");
            }
            if (fragments > 0 && type is not (FragmentType.Middle or FragmentType.Last))
            {
                return Fail(at, string.Create(CultureInfo.InvariantCulture,
                    $"a {WalFormat.Describe(type)} fragment cannot continue the record that starts at offset {recordStart}: expected middle or last"));
            }

            _pagePosition = end;
            if (type == FragmentType.Full)
            {
                _recordPageOffset = position + WalFormat.FragmentHeaderSize;
                _recordLength = length;
                return Complete(at);
            }
            if (fragments == 0)
            {
                recordStart = at;
            }
            AppendToRecord(payload);
            if (type == FragmentType.Last)
            {
                return Complete(recordStart);
            }
            fragments++;
        }
    }

    private bool Complete(long recordStart)
    {
        Offset = recordStart;
        _lastGood = _pageStart + _pagePosition;
        return true;
    }

    private void AppendToRecord(ReadOnlySpan<byte> payload)
    {
        if (_record!.Length - _recordLength < payload.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_record.Length * 2, _recordLength + payload.Length));
            _record.AsSpan(0, _recordLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_record);
            _record = bigger;
        }
        payload.CopyTo(_record.AsSpan(_recordLength));
        _recordLength += payload.Length;
    }

    private bool Fail(long offset, string reason)
    {
        Error = new WalCorruption(CurrentDirectory, Segment, offset, _lastGood, reason);
        _recordLength = 0;
        _recordPageOffset = -1;
        _done = true;
        CloseSegment();
        return false;
    }

    private bool OpenNextSegment()
    {
        if (_segmentPosition + 1 >= _segments.Count)
        {
            return false;
        }
        _segmentPosition++;
        var segment = _segments[_segmentPosition];
        Segment = segment.Index;
        CurrentDirectory = segment.Directory;
        _file = _fs.OpenRead(segment.Path);
        // Read only what was there when listed: a writer may be appending to the newest segment.
        _fileLength = Math.Min(segment.Length, _file.Length);
        _pageStart = -WalFormat.PageSize;
        _pageLength = 0;
        _pagePosition = 0;
        _lastGood = 0;
        if (_startOffset > 0)
        {
            // Resume mid-segment: the next page loaded is the one holding the offset, read from the offset on.
            var pageStart = _startOffset / WalFormat.PageSize * WalFormat.PageSize;
            _pageStart = pageStart - WalFormat.PageSize;
            _pageLength = WalFormat.PageSize;
            _pagePosition = WalFormat.PageSize;
            _skipInPage = (int)(_startOffset - pageStart);
            _lastGood = _startOffset;
            _startOffset = 0;
        }
        return true;
    }

    private bool LoadNextPage()
    {
        var start = _pageStart + WalFormat.PageSize;
        if (_pageLength < WalFormat.PageSize && _pageStart >= 0)
        {
            return false; // The last page was short: that was the end of the file.
        }
        if (start >= _fileLength)
        {
            return false;
        }
        var want = (int)Math.Min(WalFormat.PageSize, _fileLength - start);
        var read = 0;
        while (read < want)
        {
            var n = _file!.ReadAt(start + read, _page.AsSpan(read, want - read));
            if (n <= 0)
            {
                break;
            }
            read += n;
        }
        if (read == 0)
        {
            return false;
        }
        if (read < want)
        {
            _fileLength = start + read; // The file shrank under us; what we have is all there is.
        }
        _pageStart = start;
        _pageLength = read;
        _pagePosition = Math.Min(_skipInPage, read);
        _skipInPage = 0;
        return true;
    }

    private void CloseSegment()
    {
        _file?.Dispose();
        _file = null;
    }

    /// <summary>Closes the open segment and returns the pooled buffers.</summary>
    public void Dispose()
    {
        CloseSegment();
        if (_page is not null)
        {
            ArrayPool<byte>.Shared.Return(_page);
            _page = null;
        }
        if (_record is not null)
        {
            ArrayPool<byte>.Shared.Return(_record);
            _record = null;
        }
    }
}
