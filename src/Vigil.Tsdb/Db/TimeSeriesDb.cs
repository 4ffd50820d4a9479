using System.Buffers;
using Vigil.Model;
using Vigil.Storage;
using Vigil.Tsdb.Blocks;
using Vigil.Tsdb.IO;
using Vigil.Tsdb.Wal;

namespace Vigil.Tsdb;

/// <summary>
/// Vigil's durable time-series store over one data directory: an exclusive lock, the WAL, the head
/// rebuilt from the WAL on open, and immutable blocks (Prometheus's format) cut from the head.
/// Appends go to the head through the WAL; queries merge the blocks and the head.
/// <see cref="Compact"/> persists old head ranges as blocks and checkpoints the WAL;
/// <see cref="ApplyRetention"/> deletes blocks by age and total size.
/// </summary>
public sealed class TimeSeriesDb : IAppendable, IQueryableStorage, IDisposable
{
    private readonly DirectoryLock _lock;
    private readonly WriteAheadLog _wal;
    private readonly Lock _blocksLock = new();
    private readonly Lock _compactLock = new();
    private List<BlockReader> _blocks;
    private readonly List<BlockReader> _retired = [];
    private bool _disposed;

    private TimeSeriesDb(string directory, TsdbOptions options, DirectoryLock directoryLock, WriteAheadLog wal, Head head, ReplayStats replay, List<BlockReader> blocks)
    {
        Directory = directory;
        Options = options;
        _lock = directoryLock;
        _wal = wal;
        Head = head;
        LastReplay = replay;
        _blocks = blocks;
    }

    /// <summary>The persisted blocks, oldest first.</summary>
    public IReadOnlyList<BlockMeta> Blocks
    {
        get
        {
            lock (_blocksLock)
            {
                return _blocks.ConvertAll(b => b.Meta);
            }
        }
    }

    /// <summary>Blocks written by compaction since open (<c>prometheus_tsdb_compactions_total</c>).</summary>
    public long Compactions { get; private set; }

    /// <summary>Blocks deleted by retention since open, by time (<c>prometheus_tsdb_time_retentions_total</c>) and size.</summary>
    public (long ByTime, long BySize) RetentionDeletions { get; private set; }

    /// <summary>The data directory.</summary>
    public string Directory { get; }

    /// <summary>The options it was opened with.</summary>
    public TsdbOptions Options { get; }

    /// <summary>The in-memory head.</summary>
    public Head Head { get; }

    /// <summary>What the start-up replay found.</summary>
    public ReplayStats LastReplay { get; }

    /// <summary>The WAL (for self-metrics: corruptions repaired, failed writes and fsyncs).</summary>
    public WriteAheadLog Wal => _wal;

    /// <summary>
    /// Opens (creating if needed) the store in <paramref name="directory"/>: takes the lock (failing if
    /// another process holds it), replays the WAL into the head, repairing a torn tail.
    /// </summary>
    public static TimeSeriesDb Open(string directory, TsdbOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new TsdbOptions();
        System.IO.Directory.CreateDirectory(directory);
        var directoryLock = DirectoryLock.Acquire(directory);
        WriteAheadLog? wal = null;
        List<BlockReader>? blocks = null;
        try
        {
            wal = WriteAheadLog.Open(Path.Combine(directory, WriteAheadLog.DirectoryName), new WalOptions
            {
                SegmentSize = options.WalSegmentSize,
                FsyncPolicy = options.WalFsync,
                TimeProvider = options.TimeProvider,
                Warning = options.Warning,
            });
            blocks = OpenBlocks(directory, options.Warning);
            var head = new Head(options.Head, new WalHeadLog(wal));
            var replay = Replay(wal, head, options.Warning);
            if (blocks.Count > 0)
            {
                // What a block holds is not the head's any more (the WAL may still hold it until the next checkpoint).
                head.Truncate(blocks[^1].Meta.MaxTime);
            }
            return new TimeSeriesDb(directory, options, directoryLock, wal, head, replay, blocks);
        }
        catch
        {
            foreach (var b in blocks ?? [])
            {
                b.Dispose();
            }
            wal?.Dispose();
            directoryLock.Dispose();
            throw;
        }
    }

    private static List<BlockReader> OpenBlocks(string directory, Action<string>? warning)
    {
        var blocks = new List<BlockReader>();
        foreach (var dir in System.IO.Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(dir);
            if (name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                // A block write that never finished: nothing refers to it.
                System.IO.Directory.Delete(dir, recursive: true);
                continue;
            }
            if (!Ulid.TryParse(name, out _) || !File.Exists(Path.Combine(dir, BlockMeta.FileName)))
            {
                continue;
            }
            try
            {
                blocks.Add(BlockReader.Open(dir));
            }
            catch (BlockFormatException e)
            {
                // Refuse to start rather than answer queries with a silent hole in the data.
                foreach (var b in blocks)
                {
                    b.Dispose();
                }
                throw new BlockFormatException($"cannot open block {dir}: {e.Message} (move the block away to start without it)", e);
            }
        }
        blocks.Sort(static (a, b) => a.Meta.MinTime.CompareTo(b.Meta.MinTime));
        _ = warning;
        return blocks;
    }

    private static ReplayStats Replay(WriteAheadLog wal, Head head, Action<string>? warning)
    {
        long series = 0, samples = 0, unknownRefs = 0;
        var seriesBuffer = new List<RefSeries>();
        var samplesBuffer = new List<RefSample>();
        var tombstones = new List<Tombstone>();
        using (var replay = wal.Replay())
        {
            while (replay.Next())
            {
                var record = replay.Record;
                switch (WalRecord.TypeOf(record))
                {
                    case WalRecordType.Series:
                        seriesBuffer.Clear();
                        SeriesRecord.Decode(record, seriesBuffer);
                        foreach (var s in seriesBuffer)
                        {
                            head.GetOrCreateWithRef(s.Ref, s.Labels);
                            series++;
                        }
                        break;
                    case WalRecordType.Tombstones:
                        tombstones.Clear();
                        TombstonesRecord.Decode(record, tombstones);
                        head.AddTombstones(tombstones);
                        break;
                    case WalRecordType.Samples:
                        samplesBuffer.Clear();
                        SamplesRecord.Decode(record, samplesBuffer);
                        foreach (var s in samplesBuffer)
                        {
                            if (head.Replay(s))
                            {
                                samples++;
                            }
                            else
                            {
                                unknownRefs++;
                            }
                        }
                        break;
                }
            }
        }
        if (unknownRefs > 0)
        {
            warning?.Invoke($"WAL replay: {unknownRefs} samples referenced series with no series record and were dropped");
        }
        return new ReplayStats(series, samples, unknownRefs, wal.RepairedCorruptions);
    }

    /// <inheritdoc/>
    public IAppender Appender()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Head.Appender();
    }

    /// <inheritdoc/>
    public IQuerier Querier(long minTimeMs, long maxTimeMs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var queriers = new List<IQuerier>();
        lock (_blocksLock)
        {
            foreach (var b in _blocks)
            {
                // Block ranges are [min, max): max is exclusive.
                if (b.Meta.MaxTime > minTimeMs && b.Meta.MinTime <= maxTimeMs)
                {
                    queriers.Add(b.Querier(minTimeMs, maxTimeMs));
                }
            }
        }
        queriers.Add(Head.Querier(minTimeMs, maxTimeMs));
        return queriers.Count == 1 ? queriers[0] : new MergeQuerier(queriers);
    }

    /// <summary>
    /// Persists the head's oldest block range while the head spans more than 1.5 ranges (Prometheus's
    /// rule, so the newest data stays in memory): raises the head's lower bound, writes the block
    /// atomically, drops those chunks from the head, then checkpoints the WAL up to the segment before
    /// the current one. Returns the blocks written.
    /// </summary>
    public IReadOnlyList<BlockMeta> Compact()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var written = new List<BlockMeta>();
        lock (_compactLock)
        {
            var range = Options.Head.ChunkRangeMs;
            while (Head.MaxTime != long.MinValue && Head.MaxTime - Head.MinTime > range * 3 / 2)
            {
                var minT = Head.MinTime;
                var start = (minT >= 0 ? minT / range : ((minT + 1) / range) - 1) * range;
                var end = start + range;
                Head.RaiseMinValidTime(end);
                var series = Head.ChunksInRange(start, end);
                if (series.Count > 0)
                {
                    var writer = new BlockWriter(Options.TimeProvider, Random.Shared);
                    var meta = writer.Write(Directory, series, new BlockWriteOptions { MinTime = start, MaxTime = end });
                    var reader = BlockReader.Open(Path.Combine(Directory, meta.Ulid.ToString()));
                    lock (_blocksLock)
                    {
                        _blocks = [.. _blocks, reader];
                        _blocks.Sort(static (a, b) => a.Meta.MinTime.CompareTo(b.Meta.MinTime));
                    }
                    written.Add(meta);
                    Compactions++;
                }
                Head.Truncate(end);
                CheckpointWal(end);
            }
            while (Options.MergeBlocks && MergeBlocks() is { } merged)
            {
                written.Add(merged);
                Compactions++;
            }
        }
        return written;
    }

    /// <summary>
    /// Merges the blocks of one complete, aligned window of three times the block range (6h for 2h
    /// blocks; Prometheus's first level) into one block of the next level, then retires the sources.
    /// A window is complete once the head starts after it, so no block can still land in it. Windows
    /// with tombstones are left alone (merging would have to rewrite chunks). Returns the new block.
    /// </summary>
    private BlockMeta? MergeBlocks()
    {
        var window = Options.Head.ChunkRangeMs * 3;
        List<BlockReader> blocks;
        lock (_blocksLock)
        {
            blocks = [.. _blocks];
        }
        var limit = Math.Min(Head.MinTime, Head.MinValidTime == long.MinValue ? long.MaxValue : Head.MinValidTime);
        foreach (var group in blocks.GroupBy(b => FloorDiv(b.Meta.MinTime, window)))
        {
            var start = group.Key * window;
            var members = group.Where(b => b.Meta.MaxTime <= start + window).ToList();
            if (members.Count < 2 || start + window > limit || members.Any(b => b.Tombstones.SeriesRefs.Any()))
            {
                continue;
            }
            var merged = new Dictionary<Model.Labels, List<EncodedChunk>>();
            foreach (var b in members)
            {
                foreach (var r in b.Index.AllPostings())
                {
                    var series = b.Index.Series(r);
                    if (!merged.TryGetValue(series.Labels, out var chunks))
                    {
                        merged[series.Labels] = chunks = [];
                    }
                    foreach (var c in series.Chunks)
                    {
                        var data = b.Chunks.Read(c.Ref);
                        chunks.Add(new EncodedChunk(c.MinTime, c.MaxTime, data.Encoding, data.Data.ToArray()));
                    }
                }
            }
            var input = merged.Select(kv =>
            {
                kv.Value.Sort(static (x, y) => x.MinTime.CompareTo(y.MinTime));
                return new ChunkedSeries(kv.Key, kv.Value);
            }).ToList();
            input.Sort(static (x, y) => Utf8Order.Compare(x.Labels, y.Labels));
            var meta = new BlockWriter(Options.TimeProvider, Random.Shared).Write(Directory, input, new BlockWriteOptions
            {
                MinTime = members.Min(b => b.Meta.MinTime),
                MaxTime = members.Max(b => b.Meta.MaxTime),
                CompactionLevel = members.Max(b => b.Meta.Compaction.Level) + 1,
                Sources = [.. members.SelectMany(b => b.Meta.Compaction.Sources ?? [b.Meta.Ulid]).Distinct().OrderBy(u => u.ToString(), StringComparer.Ordinal)],
                Parents = [.. members.Select(b => new BlockDescription { Ulid = b.Meta.Ulid, MinTime = b.Meta.MinTime, MaxTime = b.Meta.MaxTime })],
            });
            var reader = BlockReader.Open(Path.Combine(Directory, meta.Ulid.ToString()));
            lock (_blocksLock)
            {
                _blocks = [.. _blocks.Except(members), reader];
                _blocks.Sort(static (a, b) => a.Meta.MinTime.CompareTo(b.Meta.MinTime));
                _retired.AddRange(members);
            }
            foreach (var b in members)
            {
                DeleteBlockDirectory(b);
            }
            return meta;
        }
        return null;
    }

    private static long FloorDiv(long a, long b) => (a >= 0 ? a : a - b + 1) / b;

    private void DeleteBlockDirectory(BlockReader block)
    {
        var dir = Path.Combine(Directory, block.Meta.Ulid.ToString());
        // Rename first so a crash mid-delete leaves a .tmp directory that the next open removes.
        var trash = dir + ".tmp";
        System.IO.Directory.Move(dir, trash);
        System.IO.Directory.Delete(trash, recursive: true);
    }

    private void CheckpointWal(long keepFrom)
    {
        var segments = WalDirectory.ListSegments(PhysicalFileSystem.Instance, _wal.Directory);
        var last = _wal.NextSegment() - 1;
        if (segments.Count == 0 || segments[0].Index > last)
        {
            return;
        }
        Checkpoint.Create(_wal, segments[0].Index, last, r => Head.GetByRef(r) is not null, keepFrom);
    }

    /// <summary>
    /// Deletes blocks past retention: by time, every block whose end is older than the newest block's end
    /// minus <see cref="TsdbOptions.RetentionTime"/>; by size, the oldest blocks while all blocks together
    /// exceed <see cref="TsdbOptions.RetentionSizeBytes"/>. Returns the deleted blocks.
    /// </summary>
    public IReadOnlyList<BlockMeta> ApplyRetention()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var deleted = new List<BlockMeta>();
        List<BlockReader> doomed;
        long byTime = 0, bySize = 0;
        lock (_blocksLock)
        {
            if (_blocks.Count == 0)
            {
                return deleted;
            }
            var keep = new List<BlockReader>(_blocks);
            doomed = [];
            if (Options.RetentionTime > TimeSpan.Zero)
            {
                var cutoff = _blocks[^1].Meta.MaxTime - (long)Options.RetentionTime.TotalMilliseconds;
                foreach (var b in _blocks)
                {
                    if (b.Meta.MaxTime <= cutoff)
                    {
                        doomed.Add(b);
                        keep.Remove(b);
                        byTime++;
                    }
                }
            }
            if (Options.RetentionSizeBytes > 0)
            {
                var sizes = keep.ToDictionary(b => b, b => DirectorySize(Path.Combine(Directory, b.Meta.Ulid.ToString())));
                var total = sizes.Values.Sum();
                while (keep.Count > 0 && total > Options.RetentionSizeBytes)
                {
                    total -= sizes[keep[0]];
                    doomed.Add(keep[0]);
                    keep.RemoveAt(0);
                    bySize++;
                }
            }
            _blocks = keep;
        }
        foreach (var b in doomed)
        {
            // A query may still read this block's mapped files: keep the reader open until the store
            // closes (on Linux the mapping outlives the unlinked files), so no reader ever touches unmapped memory.
            lock (_blocksLock)
            {
                _retired.Add(b);
            }
            DeleteBlockDirectory(b);
            deleted.Add(b.Meta);
        }
        RetentionDeletions = (RetentionDeletions.ByTime + byTime, RetentionDeletions.BySize + bySize);
        return deleted;
    }

    /// <summary>
    /// Deletes the samples in [<paramref name="minTimeMs"/>, <paramref name="maxTimeMs"/>] of every series the
    /// matchers select (Prometheus's <c>delete_series</c>): a tombstones record in the WAL for the head (queries
    /// skip those samples, compaction drops them), and an updated <c>tombstones</c> file for each block
    /// (written atomically; the block is reopened so running queries keep their view). Returns how many
    /// series had something deleted. Block data is not rewritten (no clean-up yet).
    /// </summary>
    public int Delete(long minTimeMs, long maxTimeMs, IReadOnlyList<LabelMatcher> matchers)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(matchers);
        if (matchers.Count == 0 || matchers.All(m => m.MatchesEmpty))
        {
            throw new ArgumentException("at least one matcher must select a non-empty value", nameof(matchers));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTimeMs, minTimeMs);
        var affected = new HashSet<Labels>();
        lock (_compactLock)
        {
            var refs = Head.Postings.PostingsForMatchers(matchers);
            if (refs.Length > 0)
            {
                var stones = Array.ConvertAll(refs, r => new Tombstone(r, minTimeMs, maxTimeMs));
                var buffer = new ArrayBufferWriter<byte>();
                TombstonesRecord.Encode(stones, buffer);
                _wal.Log(buffer.WrittenSpan);
                Head.AddTombstones(stones);
                foreach (var r in refs)
                {
                    if (Head.GetByRef(r) is { } s)
                    {
                        affected.Add(s.Labels);
                    }
                }
            }
            List<BlockReader> blocks;
            lock (_blocksLock)
            {
                blocks = [.. _blocks];
            }
            foreach (var b in blocks)
            {
                if (b.Meta.MaxTime <= minTimeMs || b.Meta.MinTime > maxTimeMs)
                {
                    continue;
                }
                var blockRefs = b.Index.PostingsForMatchers(matchers);
                if (blockRefs.Length == 0)
                {
                    continue;
                }
                var dir = Path.Combine(Directory, b.Meta.Ulid.ToString());
                var stones = Tombstones.Read(dir);
                var interval = new TimeInterval(Math.Max(minTimeMs, b.Meta.MinTime), Math.Min(maxTimeMs, b.Meta.MaxTime - 1));
                foreach (var r in blockRefs)
                {
                    stones.Add(r, interval);
                    affected.Add(b.Index.Series(r).Labels);
                }
                stones.Write(dir);
                var reopened = BlockReader.Open(dir);
                lock (_blocksLock)
                {
                    var i = _blocks.IndexOf(b);
                    _blocks[i] = reopened;
                    _retired.Add(b);
                }
            }
        }
        return affected.Count;
    }

    /// <summary>
    /// Writes a consistent copy of the store into <paramref name="targetDirectory"/> (which must not
    /// exist) for backup, as Prometheus's snapshot does: every block hard-linked (no data copied; blocks
    /// are immutable), and when <paramref name="withHead"/> the head's samples written as one more block.
    /// Returns the block directories the snapshot holds.
    /// </summary>
    public IReadOnlyList<string> Snapshot(string targetDirectory, bool withHead = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(targetDirectory);
        if (System.IO.Directory.Exists(targetDirectory))
        {
            throw new IOException($"snapshot directory \"{targetDirectory}\" already exists");
        }
        System.IO.Directory.CreateDirectory(targetDirectory);
        var result = new List<string>();
        List<BlockReader> blocks;
        lock (_blocksLock)
        {
            blocks = [.. _blocks];
        }
        foreach (var b in blocks)
        {
            var source = Path.Combine(Directory, b.Meta.Ulid.ToString());
            var target = Path.Combine(targetDirectory, b.Meta.Ulid.ToString());
            foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var destination = Path.Combine(target, Path.GetRelativePath(source, file));
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                HardLink.Create(file, destination);
            }
            result.Add(target);
        }
        if (withHead && Head.MaxTime != long.MinValue)
        {
            var series = Head.ChunksInRange(Head.MinTime, Head.MaxTime + 1);
            if (series.Count > 0)
            {
                var meta = new BlockWriter(Options.TimeProvider, Random.Shared).Write(targetDirectory, series);
                result.Add(Path.Combine(targetDirectory, meta.Ulid.ToString()));
            }
        }
        return result;
    }

    private static long DirectorySize(string dir)
    {
        long total = 0;
        foreach (var f in System.IO.Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            total += new FileInfo(f).Length;
        }
        return total;
    }

    /// <summary>Closes the WAL (flushing it) and releases the lock.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        lock (_blocksLock)
        {
            foreach (var b in _blocks.Concat(_retired))
            {
                b.Dispose();
            }
            _blocks = [];
            _retired.Clear();
        }
        _wal.Dispose();
        _lock.Dispose();
    }
}

/// <summary>What a WAL replay restored.</summary>
/// <param name="Series">Series records applied.</param>
/// <param name="Samples">Samples applied.</param>
/// <param name="UnknownRefSamples">Samples dropped because their series record was missing.</param>
/// <param name="RepairedCorruptions">Torn or corrupt tails truncated during the replay.</param>
public sealed record ReplayStats(long Series, long Samples, long UnknownRefSamples, long RepairedCorruptions);
