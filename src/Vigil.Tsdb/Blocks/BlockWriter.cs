using System.Buffers.Binary;
using Vigil.Model;
using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Blocks;

/// <summary>One encoded chunk to store: its time range (both ends inclusive), encoding byte and bytes.</summary>
/// <param name="MinTime">The first sample's timestamp, ms.</param>
/// <param name="MaxTime">The last sample's timestamp, ms.</param>
/// <param name="Encoding">Prometheus's chunk encoding: 1 XOR (2 and 3, histograms, are stored but Vigil cannot query them).</param>
/// <param name="Data">The chunk bytes, starting with the 2-byte big-endian sample count all Prometheus encodings have.</param>
public readonly record struct EncodedChunk(long MinTime, long MaxTime, byte Encoding, ReadOnlyMemory<byte> Data);

/// <summary>A series and its chunks, in time order, for <see cref="BlockWriter"/>.</summary>
/// <param name="Labels">The label set.</param>
/// <param name="Chunks">The chunks, time-ordered and non-overlapping.</param>
public sealed record ChunkedSeries(Labels Labels, IReadOnlyList<EncodedChunk> Chunks);

/// <summary>Options for <see cref="BlockWriter.Write"/>.</summary>
public sealed class BlockWriteOptions
{
    /// <summary>The block's start (inclusive); default: the earliest chunk's minimum time.</summary>
    public long? MinTime { get; init; }

    /// <summary>The block's end (exclusive); default: the latest chunk's maximum time + 1.</summary>
    public long? MaxTime { get; init; }

    /// <summary>The compaction level; 1 for a block cut from the head.</summary>
    public int CompactionLevel { get; init; } = 1;

    /// <summary>The level-1 sources; default: the new block itself.</summary>
    public IReadOnlyList<Ulid>? Sources { get; init; }

    /// <summary>The blocks compacted into this one, if any.</summary>
    public IReadOnlyList<BlockDescription>? Parents { get; init; }

    /// <summary>The chunk segment size limit.</summary>
    public long MaxSegmentSize { get; init; } = ChunkSegments.DefaultMaxSegmentSize;
}

/// <summary>
/// Writes a complete block directory, readable by Prometheus 2.42 and <c>promtool</c>: <c>chunks/</c>,
/// <c>index</c>, <c>tombstones</c> (empty) and <c>meta.json</c>. The block appears atomically: everything
/// goes into <c>&lt;ULID&gt;.tmp</c> (a suffix Prometheus treats as an unfinished block and removes), every
/// file is fsynced, then the directory is renamed to <c>&lt;ULID&gt;</c> and its parent fsynced. On failure
/// the temporary directory is removed. All file I/O goes through <see cref="IFileSystem"/>.
/// </summary>
public sealed class BlockWriter
{
    /// <summary>The suffix of a block directory still being written.</summary>
    public const string TemporarySuffix = ".tmp";

    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly IFileSystem _fileSystem;

    /// <summary>A writer naming blocks with ULIDs from <paramref name="time"/> and <paramref name="random"/>.</summary>
    public BlockWriter(TimeProvider time, Random random, IFileSystem? fileSystem = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        _time = time;
        _random = random;
        _fileSystem = fileSystem ?? PhysicalFileSystem.Instance;
    }

    /// <summary>
    /// Writes the series (in strictly increasing <see cref="Utf8Order.LabelSets"/> order; series without
    /// chunks are skipped, as Prometheus's compactor does) as a new block under
    /// <paramref name="parentDirectory"/>; returns its meta. The block is at
    /// <c>Path.Combine(parentDirectory, meta.Ulid.ToString())</c>. The series are enumerated once.
    /// </summary>
    /// <exception cref="ArgumentException">Series out of order or duplicated, or chunks out of order.</exception>
    public BlockMeta Write(string parentDirectory, IEnumerable<ChunkedSeries> series, BlockWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parentDirectory);
        ArgumentNullException.ThrowIfNull(series);
        options ??= new BlockWriteOptions();
        var ulid = Ulid.New(_time, _random);
        var final = Path.Combine(parentDirectory, ulid.ToString());
        var tmp = final + TemporarySuffix;
        _fileSystem.DeleteDirectory(tmp);
        _fileSystem.CreateDirectory(tmp);
        try
        {
            var meta = WriteContents(tmp, ulid, series, options);
            _fileSystem.SyncDirectory(tmp);
            _fileSystem.Rename(tmp, final);
            _fileSystem.SyncDirectory(parentDirectory);
            return meta;
        }
        catch
        {
            try
            {
                _fileSystem.DeleteDirectory(tmp);
            }
            catch (IOException)
            {
                // Best effort; Prometheus and Vigil both remove *.tmp block directories at start-up.
            }
            throw;
        }
    }

    private BlockMeta WriteContents(string dir, Ulid ulid, IEnumerable<ChunkedSeries> series, BlockWriteOptions options)
    {
        // Pass 1: chunks go straight to the segments; labels and chunk metas are kept for the index, which
        // needs every symbol before its first series.
        var chunksDir = Path.Combine(dir, "chunks");
        var kept = new List<(Labels Labels, ChunkMeta[] Chunks)>();
        var symbols = new HashSet<string>(StringComparer.Ordinal);
        ulong samples = 0, chunkCount = 0;
        long minTime = long.MaxValue, maxTime = long.MinValue;
        using (var chunkWriter = new ChunkSegmentWriter(chunksDir, _fileSystem, options.MaxSegmentSize))
        {
            Labels? previous = null;
            foreach (var s in series)
            {
                ArgumentNullException.ThrowIfNull(s);
                if (previous is not null && Utf8Order.Compare(s.Labels, previous) <= 0)
                {
                    throw new ArgumentException($"series out of order: {s.Labels} after {previous} (sort with Utf8Order.LabelSets)", nameof(series));
                }
                previous = s.Labels;
                if (s.Chunks.Count == 0)
                {
                    continue;
                }
                var metas = new ChunkMeta[s.Chunks.Count];
                for (var i = 0; i < metas.Length; i++)
                {
                    var c = s.Chunks[i];
                    if (c.MaxTime < c.MinTime || (i > 0 && c.MinTime <= metas[i - 1].MaxTime))
                    {
                        throw new ArgumentException($"chunk {i} of {s.Labels} [{c.MinTime}, {c.MaxTime}] is empty or overlaps the previous chunk", nameof(series));
                    }
                    var chunkRef = chunkWriter.Append(c.Encoding, c.Data.Span);
                    metas[i] = new ChunkMeta(c.MinTime, c.MaxTime, chunkRef);
                    samples += SampleCount(c);
                    minTime = Math.Min(minTime, c.MinTime);
                    maxTime = Math.Max(maxTime, c.MaxTime);
                }
                chunkCount += (ulong)metas.Length;
                foreach (var l in s.Labels.AsSpan())
                {
                    symbols.Add(l.Name);
                    symbols.Add(l.Value);
                }
                kept.Add((s.Labels, metas));
            }
            chunkWriter.Complete();
        }
        _fileSystem.SyncDirectory(chunksDir);

        using (var index = new IndexWriter(Path.Combine(dir, "index"), symbols, _fileSystem))
        {
            foreach (var (labels, chunks) in kept)
            {
                index.AddSeries(labels, chunks);
            }
            index.Complete();
        }

        new Tombstones().Write(dir, _fileSystem);

        var meta = new BlockMeta
        {
            Ulid = ulid,
            MinTime = options.MinTime ?? (kept.Count > 0 ? minTime : 0),
            MaxTime = options.MaxTime ?? (kept.Count > 0 ? maxTime + 1 : 0),
            Stats = new BlockStats { NumSamples = samples, NumSeries = (ulong)kept.Count, NumChunks = chunkCount },
            Compaction = new BlockCompaction
            {
                Level = options.CompactionLevel,
                Sources = options.Sources is { } sources ? [.. sources] : [ulid],
                Parents = options.Parents is { } parents ? [.. parents] : null,
            },
        };
        if (kept.Count > 0 && (minTime < meta.MinTime || maxTime >= meta.MaxTime))
        {
            throw new ArgumentException($"chunks span [{minTime}, {maxTime}], outside the block range [{meta.MinTime}, {meta.MaxTime})", nameof(options));
        }
        meta.Write(dir, _fileSystem);
        return meta;
    }

    /// <summary>Every Prometheus chunk encoding (XOR, histogram, float histogram) starts with a 2-byte big-endian sample count.</summary>
    private static ulong SampleCount(EncodedChunk chunk)
        => chunk.Encoding is >= 1 and <= 3 && chunk.Data.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(chunk.Data.Span) : 0UL;
}
