using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Vigil.Model;
using Vigil.Tsdb.Index;

using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// Reads a block's <c>index</c> file (format v2; tsdb/docs/format/index.md), memory-mapped. Opening checks
/// the header, the TOC and the CRCs of the symbol table and postings offset table, and loads both; series
/// entries and postings lists are checked (bounds and CRC) each time they are read. Every inconsistency is a
/// <see cref="BlockFormatException"/> naming the file, section and offset. Thread-safe for reads.
/// </summary>
/// <remarks>
/// Unlike Prometheus, which keeps every 32nd symbol and postings-table entry and scans from there, this
/// reader keeps all symbols as strings and the whole postings table: more memory, no re-decoding of strings
/// when series are read.
/// </remarks>
public sealed partial class IndexReader : IDisposable
{
    private const string SymbolsSection = "symbol table";
    private const string SeriesSection = "series";
    private const string PostingsSection = "postings";
    private const string PostingsTableSection = "postings offset table";
    private const string LabelIndexSection = "label index";
    private const string LabelTableSection = "label offset table";

    private readonly MappedFile _file;
    private readonly string[] _symbols;
    // Label name → its values (sorted, Utf8Order) and the offsets of their postings lists.
    private readonly Dictionary<string, PostingsOffsets> _postingsTable;
    private readonly string[] _labelNames;
    private readonly long _allPostingsOffset;

    private IndexReader(MappedFile file, IndexToc toc, string[] symbols, Dictionary<string, PostingsOffsets> postingsTable, string[] labelNames, long allPostingsOffset)
    {
        _file = file;
        Toc = toc;
        _symbols = symbols;
        _postingsTable = postingsTable;
        _labelNames = labelNames;
        _allPostingsOffset = allPostingsOffset;
    }

    /// <summary>The index file's path.</summary>
    public string Path => _file.Path;

    /// <summary>The file's size in bytes.</summary>
    public long Size => _file.Length;

    /// <summary>The table of contents.</summary>
    public IndexToc Toc { get; }

    /// <summary>The symbol table, sorted (<see cref="Utf8Order"/>); a series' labels refer to it by position.</summary>
    public IReadOnlyList<string> Symbols => _symbols;

    /// <summary>Opens and checks <paramref name="path"/>.</summary>
    /// <exception cref="BlockFormatException">The header, TOC, symbol table or postings offset table is corrupt or truncated.</exception>
    public static IndexReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = MappedFile.Open(path);
        try
        {
            return Load(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The symbol at position <paramref name="symbolRef"/>.</summary>
    public string Symbol(uint symbolRef)
        => symbolRef < _symbols.Length ? _symbols[symbolRef] : throw new ArgumentOutOfRangeException(nameof(symbolRef), $"symbol {symbolRef} out of range: {_symbols.Length} symbols");

    /// <summary>All label names, sorted.</summary>
    public IReadOnlyList<string> LabelNames() => _labelNames;

    /// <summary>All values of <paramref name="name"/>, sorted (<see cref="Utf8Order"/>); empty for an unknown name.</summary>
    public IReadOnlyList<string> SortedLabelValues(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length > 0 && _postingsTable.TryGetValue(name, out var entry) ? entry.Values : [];
    }

    /// <summary>Every series reference in the block, ascending (the all-series postings list under ("", ""); empty when the table has none).</summary>
    /// <exception cref="BlockFormatException">The list is corrupt.</exception>
    public ulong[] AllPostings() => _allPostingsOffset < 0 ? [] : ReadPostings(_allPostingsOffset);

    /// <summary>The union of the series carrying <paramref name="name"/>=v for each given v, ascending.</summary>
    /// <exception cref="BlockFormatException">A postings list is corrupt.</exception>
    public ulong[] Postings(string name, params ReadOnlySpan<string> values)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || !_postingsTable.TryGetValue(name, out var entry))
        {
            return [];
        }
        var lists = new List<ulong[]>(values.Length);
        foreach (var v in values)
        {
            var i = Array.BinarySearch(entry.Values, v, Utf8Order.Strings);
            if (i >= 0)
            {
                lists.Add(ReadPostings(entry.Offsets[i]));
            }
        }
        return Index.Postings.Union(lists);
    }

    /// <summary>
    /// The series satisfying every matcher, with <see cref="MemPostings.PostingsForMatchers"/>'s semantics: a
    /// matcher that does not match "" intersects the series of the values it matches; one that matches ""
    /// subtracts the series whose value it rejects (so series without the label stay). No matchers: all series.
    /// </summary>
    /// <exception cref="BlockFormatException">A postings list is corrupt.</exception>
    public ulong[] PostingsForMatchers(IReadOnlyList<LabelMatcher> matchers)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        var intersect = new List<ulong[]>();
        var subtract = new List<ulong[]>();
        foreach (var m in matchers)
        {
            if (!m.MatchesEmpty)
            {
                var refs = m.Type == LabelMatchType.Equal
                    ? Postings(m.Name, m.Value)
                    : m.SetMatches is { } set ? Postings(m.Name, [.. set]) : PostingsMatching(m.Name, m, negate: false);
                if (refs.Length == 0)
                {
                    return [];
                }
                intersect.Add(refs);
            }
            else
            {
                subtract.Add(PostingsMatching(m.Name, m, negate: true));
            }
        }
        var result = intersect.Count == 0 ? AllPostings() : Index.Postings.Intersect(intersect);
        foreach (var s in subtract)
        {
            result = Index.Postings.Without(result, s);
        }
        return result;
    }

    /// <summary>The series at <paramref name="seriesRef"/> (a reference from a postings list).</summary>
    /// <exception cref="BlockFormatException">The entry is outside the series section, truncated, corrupt, or refers to unknown symbols.</exception>
    public IndexSeries Series(ulong seriesRef)
        => TrySeries(seriesRef, out var series, out var error) ? series : throw error.ToException();

    /// <summary>The series at <paramref name="seriesRef"/>, or why it cannot be read.</summary>
    public bool TrySeries(ulong seriesRef, out IndexSeries series, out BlockFormatError error)
    {
        series = default;
        var offset = seriesRef * IndexFormat.SeriesAlignment;
        if (seriesRef > long.MaxValue / IndexFormat.SeriesAlignment || offset < Toc.Series || offset >= Toc.LabelIndices)
        {
            error = Error(SeriesSection, (long)Math.Min(offset, long.MaxValue), $"series reference {seriesRef} points outside the series section [{Toc.Series}, {Toc.LabelIndices})");
            return false;
        }
        if (!TryUvarintSection(SeriesSection, (long)offset, (long)Toc.LabelIndices, out var content, out error))
        {
            return false;
        }
        var d = new SpanDecoder(content.Span);
        var labelCount = d.Uvarint();
        if (labelCount > (ulong)d.Remaining / 2)
        {
            error = Error(SeriesSection, (long)offset, $"label count {labelCount} exceeds the entry's length");
            return false;
        }
        var labels = new Label[labelCount];
        for (var i = 0; i < labels.Length; i++)
        {
            var name = d.Uvarint32();
            var value = d.Uvarint32();
            if (d.Failed)
            {
                break;
            }
            if (name >= _symbols.Length || value >= _symbols.Length)
            {
                error = Error(SeriesSection, (long)offset, $"label {i} refers to symbol {Math.Max(name, value)}, but there are {_symbols.Length} symbols");
                return false;
            }
            labels[i] = new Label(_symbols[name], _symbols[value]);
            if (i > 0 && Utf8Order.Compare(labels[i - 1].Name, labels[i].Name) >= 0)
            {
                error = Error(SeriesSection, (long)offset, $"label names not strictly increasing: \"{labels[i - 1].Name}\", \"{labels[i].Name}\"");
                return false;
            }
        }
        var chunkCount = d.Uvarint();
        if (!d.Failed && chunkCount > (ulong)d.Remaining / 3)
        {
            error = Error(SeriesSection, (long)offset, $"chunk count {chunkCount} exceeds the entry's length");
            return false;
        }
        var chunks = new ChunkMeta[d.Failed ? 0 : (int)chunkCount];
        if (chunks.Length > 0)
        {
            var mint = d.Varint();
            var maxt = mint + (long)d.Uvarint();
            var chunkRef = d.Uvarint();
            chunks[0] = new ChunkMeta(mint, maxt, chunkRef);
            for (var i = 1; i < chunks.Length && !d.Failed; i++)
            {
                mint = maxt + (long)d.Uvarint();
                maxt = mint + (long)d.Uvarint();
                chunkRef = (ulong)((long)chunkRef + d.Varint());
                chunks[i] = new ChunkMeta(mint, maxt, chunkRef);
            }
        }
        if (d.Failed)
        {
            error = Error(SeriesSection, (long)offset, $"entry ends early (decoding stopped at byte {d.FailedAt} of {content.Length})");
            return false;
        }
        series = new IndexSeries(Labels.From(labels), chunks);
        return true;
    }

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();

    private ulong[] PostingsMatching(string name, LabelMatcher matcher, bool negate)
    {
        if (name.Length == 0 || !_postingsTable.TryGetValue(name, out var entry))
        {
            return [];
        }
        var lists = new List<ulong[]>();
        for (var i = 0; i < entry.Values.Length; i++)
        {
            if (matcher.Matches(entry.Values[i]) != negate)
            {
                lists.Add(ReadPostings(entry.Offsets[i]));
            }
        }
        return Index.Postings.Union(lists);
    }

    private ulong[] ReadPostings(long offset)
    {
        if (!TryBE32Section(PostingsSection, offset, (long)Toc.LabelIndicesTable, out var content, out var error))
        {
            throw error.ToException();
        }
        var span = content.Span;
        var count = span.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(span) : uint.MaxValue;
        if ((ulong)span.Length != 4 + (4 * (ulong)count))
        {
            throw new BlockFormatException(Path, PostingsSection, offset, $"length {span.Length} does not hold the {count} entries it announces");
        }
        var refs = new ulong[count];
        ulong previous = 0;
        for (var i = 0; i < refs.Length; i++)
        {
            refs[i] = BinaryPrimitives.ReadUInt32BigEndian(span[(4 + (4 * i))..]);
            if (i > 0 && refs[i] <= previous)
            {
                throw new BlockFormatException(Path, PostingsSection, offset, $"series references not increasing at entry {i}");
            }
            previous = refs[i];
        }
        return refs;
    }

    private BlockFormatError Error(string section, long offset, string reason) => new(_file.Path, section, offset, reason);

    /// <summary>A section <c>len BE32 | content | CRC32C(content)</c> at <paramref name="offset"/>, ending by <paramref name="limit"/>.</summary>
    private bool TryBE32Section(string section, long offset, long limit, out ReadOnlyMemory<byte> content, out BlockFormatError error)
        => TryBE32Section(_file, section, offset, limit, out content, out error);

    private static bool TryBE32Section(MappedFile file, string section, long offset, long limit, out ReadOnlyMemory<byte> content, out BlockFormatError error)
    {
        content = default;
        limit = Math.Min(limit, file.Length);
        if (offset < 0 || offset + 4 > limit)
        {
            error = new BlockFormatError(file.Path, section, offset, $"truncated: the length field needs bytes up to {offset + 4}, the section ends at {limit}");
            return false;
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(file.Span(offset, 4));
        return TryChecked(file, section, offset, offset + 4, length, limit, out content, out error);
    }

    /// <summary>A section <c>len uvarint | content | CRC32C(content)</c> (a series entry).</summary>
    private bool TryUvarintSection(string section, long offset, long limit, out ReadOnlyMemory<byte> content, out BlockFormatError error)
    {
        content = default;
        limit = Math.Min(limit, _file.Length);
        var head = _file.Span(offset, (int)Math.Min(Varint.MaxLength32, limit - offset));
        var n = Varint.ReadUvarint(head, out var length);
        if (n <= 0 || length > uint.MaxValue)
        {
            error = Error(section, offset, n == 0 ? "truncated in the length field" : "malformed length varint");
            return false;
        }
        return TryChecked(_file, section, offset, offset + n, length, limit, out content, out error);
    }

    private static bool TryChecked(MappedFile file, string section, long offset, long contentStart, ulong length, long limit, out ReadOnlyMemory<byte> content, out BlockFormatError error)
    {
        content = default;
        var end = contentStart + (long)length + 4;
        if (length > int.MaxValue || end > limit)
        {
            error = new BlockFormatError(file.Path, section, offset, $"truncated: {length} bytes of content and a CRC need bytes up to {end}, the section ends at {limit}");
            return false;
        }
        var bytes = file.Span(contentStart, (int)length);
        var stored = BinaryPrimitives.ReadUInt32BigEndian(file.Span(end - 4, 4));
        var computed = Crc32C.Compute(bytes);
        if (stored != computed)
        {
            error = new BlockFormatError(file.Path, section, offset, $"CRC32C mismatch: stored {stored:x8}, computed {computed:x8}");
            return false;
        }
        content = file.Memory(contentStart, (int)length);
        error = default;
        return true;
    }

    [DoesNotReturn]
    private static void Throw(MappedFile file, string section, long offset, string reason) => throw new BlockFormatException(file.Path, section, offset, reason);

    private sealed class PostingsOffsets(string[] values, long[] offsets)
    {
        public string[] Values { get; } = values;

        public long[] Offsets { get; } = offsets;
    }
}
