using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Vigil.Tsdb.Wal;

/// <summary>What a checkpoint kept and dropped.</summary>
/// <param name="Index">The checkpoint's index: the last segment it covers.</param>
/// <param name="TotalSeries">Series read.</param>
/// <param name="DroppedSeries">Series dropped because <c>keepSeries</c> said so.</param>
/// <param name="TotalSamples">Samples read.</param>
/// <param name="DroppedSamples">Samples dropped for being older than <c>mint</c> or of a series not kept.</param>
/// <param name="TotalTombstones">Tombstones read.</param>
/// <param name="DroppedTombstones">Tombstones dropped for ending before <c>mint</c> or being of a series not kept.</param>
/// <param name="DroppedUnknownRecords">Records of types this version does not know, dropped (as Prometheus does).</param>
public sealed record CheckpointStats(
    int Index,
    long TotalSeries,
    long DroppedSeries,
    long TotalSamples,
    long DroppedSamples,
    long TotalTombstones,
    long DroppedTombstones,
    long DroppedUnknownRecords);

/// <summary>
/// Compacts the oldest WAL segments into a checkpoint (docs/format/wal.md, "Checkpoints"; Prometheus
/// <c>wlog.Checkpoint</c>): a directory <c>checkpoint.NNNNNNNN</c> holding a mini-WAL of the series still
/// alive and the samples and tombstones not older than a cut-off, so the segments it covers can be deleted.
/// </summary>
public static class Checkpoint
{
    private const int FlushBytes = 1024 * 1024;

    /// <summary>
    /// Writes <c>checkpoint.{toSegment}</c> from the previous checkpoint (if any) and segments
    /// [<paramref name="fromSegment"/>, <paramref name="toSegment"/>], keeping series records for which
    /// <paramref name="keepSeries"/> is true, and of those series the samples with timestamp ≥
    /// <paramref name="mint"/> and the tombstones whose interval ends at or after it. (Prometheus keeps samples
    /// of dropped series too; replay would discard them as unknown refs, so Vigil drops them here.) It is written to a <c>.tmp</c> directory, fsynced and renamed into
    /// place; only then are segments ≤ <paramref name="toSegment"/> and older checkpoints deleted. The WAL
    /// keeps taking writes meanwhile: the segments read are already closed.
    /// </summary>
    /// <exception cref="CorruptionException">A segment or the previous checkpoint is corrupt; nothing is deleted.</exception>
    public static CheckpointStats Create(WriteAheadLog wal, int fromSegment, int toSegment, Func<ulong, bool> keepSeries, long mint)
    {
        ArgumentNullException.ThrowIfNull(wal);
        ArgumentNullException.ThrowIfNull(keepSeries);
        ArgumentOutOfRangeException.ThrowIfNegative(fromSegment);
        ArgumentOutOfRangeException.ThrowIfLessThan(toSegment, fromSegment);
        if (wal.NeedsReplay)
        {
            throw new InvalidOperationException("replay the WAL before checkpointing it");
        }
        if (toSegment >= wal.CurrentSegment)
        {
            throw new ArgumentOutOfRangeException(nameof(toSegment), toSegment,
                string.Create(CultureInfo.InvariantCulture, $"segment {toSegment} is not closed: the WAL writes to segment {wal.CurrentSegment} (call NextSegment first)"));
        }

        var fs = wal.Options.FileSystem;
        var directory = wal.Directory;
        var segments = new List<SegmentFile>();
        if (WalDirectory.LastCheckpoint(fs, directory) is { } previous)
        {
            if (fromSegment > previous.Index + 1)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"gap between the last checkpoint ({previous.Index}) and the first segment to checkpoint ({fromSegment})"));
            }
            if (toSegment <= previous.Index)
            {
                throw new ArgumentOutOfRangeException(nameof(toSegment), toSegment,
                    string.Create(CultureInfo.InvariantCulture, $"segments up to {previous.Index} are already checkpointed"));
            }
            fromSegment = previous.Index + 1;
            segments.AddRange(WalDirectory.ListSegments(fs, previous.Path));
        }
        foreach (var s in WalDirectory.ListSegments(fs, directory))
        {
            if (s.Index >= fromSegment && s.Index <= toSegment)
            {
                segments.Add(s);
            }
        }

        WalDirectory.DeleteTempCheckpoints(fs, directory);
        var final = Path.Combine(directory, WalFormat.CheckpointName(toSegment));
        var temp = final + WalFormat.TempSuffix;
        var committed = false;
        try
        {
            fs.CreateDirectory(temp);
            CheckpointStats stats;
            using (var reader = new WalReader(fs, segments))
            {
                var writer = WriteAheadLog.Open(temp, new WalOptions
                {
                    FileSystem = fs,
                    SegmentSize = wal.SegmentSize,
                    // Fsync each segment when it is cut and the last at Close: all durable before the rename.
                    FsyncPolicy = FsyncPolicy.Interval,
                    FsyncInterval = TimeSpan.MaxValue,
                    TimeProvider = wal.Options.TimeProvider,
                });
                try
                {
                    stats = Copy(reader, writer, toSegment, keepSeries, mint);
                    writer.Close();
                }
                finally
                {
                    writer.Dispose();
                }
            }
            fs.SyncDirectory(temp);
            fs.DeleteDirectory(final);
            fs.Rename(temp, final);
            fs.SyncDirectory(directory);
            committed = true;

            wal.Truncate(toSegment + 1);
            wal.DeleteCheckpointsBefore(toSegment);
            return stats;
        }
        finally
        {
            if (!committed)
            {
                TryDelete(fs, temp);
            }
        }
    }

    private static CheckpointStats Copy(WalReader reader, WriteAheadLog writer, int index, Func<ulong, bool> keepSeries, long mint)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushBytes + (64 * 1024));
        var bounds = new List<(int Start, int Length)>();
        var series = new List<RefSeries>();
        var samples = new List<RefSample>();
        var tombstones = new List<Tombstone>();
        long totalSeries = 0, droppedSeries = 0, totalSamples = 0, droppedSamples = 0, totalTombstones = 0, droppedTombstones = 0, unknown = 0;

        while (reader.Next())
        {
            var record = reader.Record;
            var start = buffer.WrittenCount;
            RecordError error;
            switch (WalRecord.TypeOf(record))
            {
                case WalRecordType.Series:
                    series.Clear();
                    if (!SeriesRecord.TryDecode(record, series, out error))
                    {
                        throw Undecodable(reader, "series", error);
                    }
                    totalSeries += series.Count;
                    droppedSeries += series.RemoveAll(s => !keepSeries(s.Ref));
                    if (series.Count > 0)
                    {
                        SeriesRecord.Encode(CollectionsMarshal.AsSpan(series), buffer);
                    }
                    break;
                case WalRecordType.Samples:
                    samples.Clear();
                    if (!SamplesRecord.TryDecode(record, samples, out error))
                    {
                        throw Undecodable(reader, "samples", error);
                    }
                    totalSamples += samples.Count;
                    droppedSamples += samples.RemoveAll(s => s.TimestampMs < mint || !keepSeries(s.Ref));
                    if (samples.Count > 0)
                    {
                        SamplesRecord.Encode(CollectionsMarshal.AsSpan(samples), buffer);
                    }
                    break;
                case WalRecordType.Tombstones:
                    tombstones.Clear();
                    if (!TombstonesRecord.TryDecode(record, tombstones, out error))
                    {
                        throw Undecodable(reader, "tombstones", error);
                    }
                    totalTombstones += tombstones.Count;
                    droppedTombstones += tombstones.RemoveAll(t => t.MaxTimeMs < mint || !keepSeries(t.Ref));
                    if (tombstones.Count > 0)
                    {
                        TombstonesRecord.Encode(CollectionsMarshal.AsSpan(tombstones), buffer);
                    }
                    break;
                default:
                    unknown++;
                    break;
            }
            if (buffer.WrittenCount > start)
            {
                bounds.Add((start, buffer.WrittenCount - start));
            }
            if (buffer.WrittenCount >= FlushBytes)
            {
                Flush(writer, buffer, bounds);
            }
        }
        if (reader.Error is { } corruption)
        {
            // Repair is not an option here: the head would not know which series records were lost.
            throw new CorruptionException(corruption);
        }
        Flush(writer, buffer, bounds);
        return new CheckpointStats(index, totalSeries, droppedSeries, totalSamples, droppedSamples, totalTombstones, droppedTombstones, unknown);
    }

    private static void Flush(WriteAheadLog writer, ArrayBufferWriter<byte> buffer, List<(int Start, int Length)> bounds)
    {
        if (bounds.Count == 0)
        {
            return;
        }
        var memory = buffer.WrittenMemory;
        var records = new ReadOnlyMemory<byte>[bounds.Count];
        for (var i = 0; i < bounds.Count; i++)
        {
            records[i] = memory.Slice(bounds[i].Start, bounds[i].Length);
        }
        writer.Log(records);
        buffer.ResetWrittenCount();
        bounds.Clear();
    }

    private static CorruptionException Undecodable(WalReader reader, string kind, RecordError error)
        => new(new WalCorruption(reader.CurrentDirectory, reader.Segment, reader.Offset, reader.Offset,
            string.Create(CultureInfo.InvariantCulture, $"undecodable {kind} record (its checksums are fine): {error}")));

    private static void TryDelete(Vigil.Tsdb.IO.IFileSystem fs, string path)
    {
        try
        {
            fs.DeleteDirectory(path);
        }
        catch (IOException)
        {
            // Best effort: the next checkpoint or the next Open deletes leftover .tmp directories.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
