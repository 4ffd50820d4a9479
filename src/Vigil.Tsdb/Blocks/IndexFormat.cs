namespace Vigil.Tsdb.Blocks;

/// <summary>Constants of the index file, format v2 (Prometheus tsdb/docs/format/index.md).</summary>
public static class IndexFormat
{
    /// <summary>The magic number opening the file (big-endian).</summary>
    public const uint Magic = 0xBAAAD700;

    /// <summary>The format version Vigil writes and reads (Prometheus's <c>FormatV2</c>).</summary>
    public const byte Version = 2;

    /// <summary>Magic and version.</summary>
    public const int HeaderSize = 5;

    /// <summary>Series entries start at multiples of this; a series reference is its offset divided by it.</summary>
    public const int SeriesAlignment = 16;

    /// <summary>The TOC: six 8-byte section offsets and a CRC32C.</summary>
    public const int TocSize = (6 * 8) + 4;
}

/// <summary>The table of contents at the end of an index file: where each section starts (0 = absent).</summary>
/// <param name="Symbols">The symbol table.</param>
/// <param name="Series">The first series entry (before its alignment padding).</param>
/// <param name="LabelIndices">The first label index (legacy; written for compatibility, never read).</param>
/// <param name="LabelIndicesTable">The label offset table (legacy).</param>
/// <param name="Postings">The first postings list (before its alignment padding).</param>
/// <param name="PostingsTable">The postings offset table.</param>
public readonly record struct IndexToc(ulong Symbols, ulong Series, ulong LabelIndices, ulong LabelIndicesTable, ulong Postings, ulong PostingsTable);

/// <summary>A chunk's entry in the index: its time range (both ends inclusive) and its reference in the chunk segments.</summary>
/// <param name="MinTime">The first sample's timestamp, ms.</param>
/// <param name="MaxTime">The last sample's timestamp, ms.</param>
/// <param name="Ref">The chunk reference (<see cref="ChunkSegments.PackRef"/>).</param>
public readonly record struct ChunkMeta(long MinTime, long MaxTime, ulong Ref);

/// <summary>One series read from the index: its labels and its chunks in time order.</summary>
/// <param name="Labels">The label set.</param>
/// <param name="Chunks">The chunk entries.</param>
public readonly record struct IndexSeries(Vigil.Model.Labels Labels, ChunkMeta[] Chunks);
