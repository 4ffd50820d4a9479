using System.Globalization;
using RefSample = Vigil.Tsdb.RefSample;
using Vigil.Tsdb.Wal;

namespace Vigil.Remote.Send;

/// <summary>
/// Tails a TSDB's WAL for a remote-write queue, as Prometheus 2.42's <c>wlog.Watcher</c> does: the last checkpoint's
/// series first, then every segment in order (series records → <see cref="IWalWatcherSink.StoreSeries"/>, samples
/// → <see cref="IWalWatcherSink.AppendAsync"/>), following the segment being written by polling and moving on when a
/// newer one appears. Differences from Prometheus, each on purpose:
/// <list type="bullet">
/// <item>With <see cref="WalWatcherOptions.ResumeFrom"/> it sends the samples of every record from that position on
/// (a progress marker from an earlier run), not only those newer than the start time; without it, Prometheus's rule.</item>
/// <item>A segment deleted before it was read (a truncation overtook a watcher that fell behind) is skipped to the next
/// existing one and counted in <see cref="WalWatcherStats.SegmentsSkipped"/>; Prometheus restarts its watcher from
/// "now", which skips the same data without saying how much.</item>
/// <item>A record cut off at the end of the segment being written is "not complete yet" (the writer writes a long
/// record page by page); it is re-read from its start on the next poll. Only in a segment that a newer one follows
/// (so it is final) is damage reported and the rest of that segment skipped, counted in <see cref="WalWatcherStats.Corruptions"/>.</item>
/// <item>A record that cannot be decoded is counted and skipped; Prometheus restarts the watcher.</item>
/// </list>
/// </summary>
public sealed class WalWatcher
{
    private readonly string _directory;
    private readonly IWalWatcherSink _sink;
    private readonly WalWatcherOptions _options;
    private readonly List<RefSeries> _series = [];
    private readonly List<RefSample> _samples = [];
    private readonly List<RefSample> _toSend = [];
    private long _startTimestamp;
    private WalPosition? _sendFrom;
    private int _tailFrom;
    private int _lastCheckpoint = -1;
    private long _nextCheckpointCheck;
    private long _nextSegmentCheck;
    private bool _tailing;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A watcher of the WAL in <paramref name="walDirectory"/> feeding <paramref name="sink"/>.</summary>
    public WalWatcher(string walDirectory, IWalWatcherSink sink, WalWatcherOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(walDirectory);
        ArgumentNullException.ThrowIfNull(sink);
        _directory = walDirectory;
        _sink = sink;
        _options = options ?? new WalWatcherOptions();
    }

    /// <summary>What has been read.</summary>
    public WalWatcherStats Stats { get; } = new();

    /// <summary>Completes once the watcher has listed the WAL and read the checkpoint: what is written from then on is tailed.</summary>
    public Task Started => _started.Task;

    /// <summary>Where reading continues (the end of the last record read).</summary>
    public WalPosition Position { get; private set; }

    /// <summary>Reads and tails until <paramref name="cancellationToken"/> is cancelled; returns normally then.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _started.TrySetResult();
        }
    }

    private async Task RunCoreAsync(CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        _startTimestamp = time.GetUtcNow().ToUnixTimeMilliseconds();
        var segments = WalLayout.SegmentIndices(_directory);
        var checkpoint = WalLayout.LastCheckpoint(_directory);
        if (checkpoint is { } cp)
        {
            ReadCheckpoint(cp.Path, cp.Index, update: false);
            _lastCheckpoint = cp.Index;
        }
        var firstAfterCheckpoint = checkpoint is { } c ? c.Index + 1 : 0;
        var current = firstAfterCheckpoint;
        foreach (var s in segments)
        {
            if (s >= firstAfterCheckpoint)
            {
                current = s;
                break;
            }
        }
        _tailFrom = segments.Count > 0 ? Math.Max(segments[^1], current) : current;
        _sendFrom = null;
        if (_options.ResumeFrom is { } resume)
        {
            if (segments.Count > 0 && resume.Segment > segments[^1] + 1)
            {
                _options.Warning?.Invoke(Text($"remote write progress marker points at segment {resume} past the newest WAL segment {segments[^1]:D8} (a different WAL?): ignoring it and starting at the end, as Prometheus does"));
            }
            else if (resume.Segment < current)
            {
                Stats.Skipped(current - resume.Segment);
                _options.Warning?.Invoke(Text($"WAL segments {resume.Segment:D8} to {current - 1:D8} were deleted before they were sent (the receiver was unreachable for longer than the WAL keeps segments): their samples are lost for this remote write"));
                _sendFrom = new WalPosition(current, 0);
            }
            else
            {
                _sendFrom = resume;
            }
        }
        _options.Info?.Invoke(Text($"WAL watcher for {_options.Consumer} starting at segment {current:D8}, tailing from {_tailFrom:D8}, sending {(_sendFrom is { } f ? "from " + f : "samples newer than the start time")}"));

        long offset = 0;
        Position = new WalPosition(current, 0);
        _started.TrySetResult();
        while (!cancellationToken.IsCancellationRequested)
        {
            Stats.SetSegment(current);
            if (!_tailing && current >= _tailFrom)
            {
                _tailing = true;
            }
            var path = WalLayout.SegmentPath(_directory, current);
            var length = FileLength(path);
            if (length < 0)
            {
                // Not created yet, or deleted (by a truncation) before it was read.
                var next = NextExisting(current);
                if (next < 0)
                {
                    await Task.Delay(_options.ReadPeriod, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                Stats.Skipped(next - current);
                _options.Warning?.Invoke(Text($"WAL segment {current:D8} was deleted before it was read; skipping to segment {next:D8} (samples in between are not sent)"));
                current = next;
                offset = 0;
                continue;
            }
            if (length > offset)
            {
                var (end, error) = await ReadSegmentAsync(current, offset, cancellationToken).ConfigureAwait(false);
                offset = end;
                if (error is not null)
                {
                    if (NextExisting(current) < 0)
                    {
                        // The segment being written: the record is not complete yet (or a crash tore it, and the
                        // next process continues in a new segment). Read it again later from its start.
                        await Task.Delay(_options.ReadPeriod, time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    // A newer segment exists, so this one is final: read once more, then report what is left.
                    (end, error) = await ReadSegmentAsync(current, offset, cancellationToken).ConfigureAwait(false);
                    offset = end;
                    if (error is not null)
                    {
                        Stats.Corrupt();
                        _options.Warning?.Invoke(Text($"skipping the rest of corrupt WAL segment {current:D8}: {error}"));
                        current++;
                        offset = 0;
                    }
                }
                continue;
            }
            var now = time.GetTimestamp();
            if (now >= _nextSegmentCheck)
            {
                _nextSegmentCheck = now + ToTicks(_options.SegmentCheckPeriod);
                if (NextExisting(current) >= 0 && FileLength(path) <= offset)
                {
                    current++;
                    offset = 0;
                    Position = new WalPosition(current, 0);
                    continue;
                }
            }
            if (now >= _nextCheckpointCheck)
            {
                _nextCheckpointCheck = now + ToTicks(_options.CheckpointPeriod);
                CollectGarbage(current);
            }
            await Task.Delay(_options.ReadPeriod, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _options.TimeProvider.TimestampFrequency);

    private static long FileLength(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private int NextExisting(int current)
    {
        foreach (var s in WalLayout.SegmentIndices(_directory))
        {
            if (s > current)
            {
                return s;
            }
        }
        return -1;
    }

    private async Task<(long End, WalCorruption? Error)> ReadSegmentAsync(int segment, long offset, CancellationToken cancellationToken)
    {
        WalReader reader;
        try
        {
            reader = WalReader.OpenSegment(_directory, segment, offset);
        }
        catch (FileNotFoundException)
        {
            return (offset, null);
        }
        using (reader)
        {
            while (reader.Next())
            {
                var start = new WalPosition(segment, reader.Offset);
                var end = new WalPosition(segment, reader.NextOffset);
                if (Decode(reader.Record, segment, start))
                {
                    if (!_tailing)
                    {
                        Stats.SentPreTailing(_toSend.Count);
                    }
                    await _sink.AppendAsync(_toSend, end, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    _sink.Advance(end);
                }
                Position = end;
            }
            return (reader.NextOffset, reader.Error);
        }
    }

    /// <summary>Decodes one record, handing series to the sink; true when <see cref="_toSend"/> holds samples to append.</summary>
    private bool Decode(ReadOnlySpan<byte> record, int segment, WalPosition start)
    {
        var type = WalRecord.TypeOf(record);
        Stats.RecordRead(type);
        switch (type)
        {
            case WalRecordType.Series:
                _series.Clear();
                if (!SeriesRecord.TryDecode(record, _series, out var error))
                {
                    DecodeFailed("series", start, error);
                    return false;
                }
                _sink.StoreSeries(_series, segment);
                return false;
            case WalRecordType.Samples:
                if (!ShouldSend(segment, start))
                {
                    return false;
                }
                _samples.Clear();
                if (!SamplesRecord.TryDecode(record, _samples, out error))
                {
                    DecodeFailed("samples", start, error);
                    return false;
                }
                _toSend.Clear();
                var everything = _sendFrom is not null;
                foreach (var s in _samples)
                {
                    if (everything || s.TimestampMs > _startTimestamp)
                    {
                        _toSend.Add(s);
                    }
                }
                return true;
            default:
                return false;
        }
    }

    private bool ShouldSend(int segment, WalPosition start)
        => _sendFrom is { } from ? start >= from : segment >= _tailFrom;

    private void DecodeFailed(string kind, WalPosition at, RecordError error)
    {
        Stats.DecodeFailed();
        _options.Warning?.Invoke(Text($"skipping undecodable {kind} record at {at} in the WAL: {error}"));
    }

    private void CollectGarbage(int current)
    {
        var checkpoint = WalLayout.LastCheckpoint(_directory);
        if (checkpoint is not { } cp || cp.Index == _lastCheckpoint || cp.Index >= current)
        {
            return;
        }
        try
        {
            ReadCheckpoint(cp.Path, cp.Index, update: true);
        }
        catch (Exception e) when (e is IOException or CorruptionException)
        {
            // Garbage collection is an optimisation: try again with the next checkpoint.
            _options.Warning?.Invoke(Text($"reading WAL checkpoint {cp.Path} to forget dropped series failed: {e.Message}"));
            return;
        }
        _lastCheckpoint = cp.Index;
        _sink.SeriesReset(cp.Index);
    }

    private void ReadCheckpoint(string path, int index, bool update)
    {
        using var reader = WalLayout.OpenCheckpoint(path);
        while (reader.Next())
        {
            var record = reader.Record;
            var type = WalRecord.TypeOf(record);
            Stats.RecordRead(type);
            if (type != WalRecordType.Series)
            {
                continue;
            }
            _series.Clear();
            if (!SeriesRecord.TryDecode(record, _series, out var error))
            {
                DecodeFailed("series", new WalPosition(reader.Segment, reader.Offset), error);
                continue;
            }
            if (update)
            {
                _sink.UpdateSeriesSegment(_series, index);
            }
            else
            {
                _sink.StoreSeries(_series, index);
            }
        }
        if (reader.Error is { } corruption)
        {
            throw new CorruptionException(corruption);
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
