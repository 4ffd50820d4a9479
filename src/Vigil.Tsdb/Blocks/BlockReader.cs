using Vigil.Storage;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// An open block directory: its meta, index, chunk segments and tombstones, and queriers over it. Files
/// are memory-mapped; queriers, series and chunk bytes obtained from the reader are valid until it is
/// disposed, so dispose it only when its queriers are done. Thread-safe for reads.
/// </summary>
public sealed class BlockReader : IQueryableStorage, IDisposable
{
    private BlockReader(string directory, BlockMeta meta, IndexReader index, ChunkSegmentReader chunks, Tombstones tombstones)
    {
        Directory = directory;
        Meta = meta;
        Index = index;
        Chunks = chunks;
        Tombstones = tombstones;
    }

    /// <summary>The block directory.</summary>
    public string Directory { get; }

    /// <summary>The parsed <c>meta.json</c>.</summary>
    public BlockMeta Meta { get; }

    /// <summary>The index.</summary>
    public IndexReader Index { get; }

    /// <summary>The chunk segments.</summary>
    public ChunkSegmentReader Chunks { get; }

    /// <summary>Deleted ranges; query results exclude them.</summary>
    public Tombstones Tombstones { get; }

    /// <summary>Opens the block in <paramref name="directory"/>.</summary>
    /// <exception cref="BlockFormatException">A file is missing, or its header, TOC or tables are corrupt.</exception>
    public static BlockReader Open(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var metaPath = Path.Combine(directory, BlockMeta.FileName);
        var indexPath = Path.Combine(directory, "index");
        var chunksPath = Path.Combine(directory, "chunks");
        foreach (var required in (string[])[metaPath, indexPath])
        {
            if (!File.Exists(required))
            {
                throw new BlockFormatException(required, "file", 0, "missing: not a complete block directory");
            }
        }
        if (!System.IO.Directory.Exists(chunksPath))
        {
            throw new BlockFormatException(chunksPath, "directory", 0, "missing: not a complete block directory");
        }
        var meta = BlockMeta.Read(directory);
        var tombstones = Tombstones.Read(directory);
        var index = IndexReader.Open(indexPath);
        try
        {
            return new BlockReader(directory, meta, index, ChunkSegmentReader.Open(chunksPath), tombstones);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>A querier over samples with <paramref name="minTimeMs"/> ≤ t ≤ <paramref name="maxTimeMs"/>, minus tombstones.</summary>
    public IQuerier Querier(long minTimeMs, long maxTimeMs) => new BlockQuerier(this, minTimeMs, maxTimeMs);

    /// <inheritdoc/>
    public void Dispose()
    {
        Index.Dispose();
        Chunks.Dispose();
    }
}
