using System.Buffers.Binary;
using System.Text;

using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Blocks;

/// <summary>Opening (header, TOC, symbols, postings offset table) and full verification.</summary>
public sealed partial class IndexReader
{
    private const string HeaderSection = "header";
    private const string TocSection = "TOC";

    private static IndexReader Load(MappedFile file)
    {
        if (file.Length < IndexFormat.HeaderSize + IndexFormat.TocSize)
        {
            Throw(file, HeaderSection, 0, $"truncated: {file.Length} bytes, an index has at least {IndexFormat.HeaderSize + IndexFormat.TocSize}");
        }
        var header = file.Span(0, IndexFormat.HeaderSize);
        var magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (magic != IndexFormat.Magic)
        {
            Throw(file, HeaderSection, 0, $"bad magic {magic:x8}, expected {IndexFormat.Magic:x8}");
        }
        if (header[4] != IndexFormat.Version)
        {
            Throw(file, HeaderSection, 4, $"index format version {header[4]} is not supported (only {IndexFormat.Version})");
        }

        var tocStart = file.Length - IndexFormat.TocSize;
        var tocBytes = file.Span(tocStart, IndexFormat.TocSize);
        var storedCrc = BinaryPrimitives.ReadUInt32BigEndian(tocBytes[48..]);
        var computedCrc = Crc32C.Compute(tocBytes[..48]);
        if (storedCrc != computedCrc)
        {
            Throw(file, TocSection, tocStart, $"CRC32C mismatch: stored {storedCrc:x8}, computed {computedCrc:x8} (a truncated file ends here too)");
        }
        var d = new SpanDecoder(tocBytes);
        var toc = new IndexToc(d.Be64(), d.Be64(), d.Be64(), d.Be64(), d.Be64(), d.Be64());
        if (toc.LabelIndicesTable == 0)
        {
            toc = toc with { LabelIndicesTable = toc.PostingsTable };
        }
        // Sections follow each other in this order (index.md); anything else is corruption.
        if (!(toc.Symbols >= IndexFormat.HeaderSize && toc.Symbols < toc.Series && toc.Series <= toc.LabelIndices
              && toc.LabelIndices <= toc.Postings && toc.Postings <= toc.LabelIndicesTable
              && toc.LabelIndicesTable <= toc.PostingsTable && toc.PostingsTable < (ulong)tocStart))
        {
            Throw(file, TocSection, tocStart, $"section offsets out of order or outside the file: {toc}");
        }

        var symbols = ReadSymbols(file, toc);
        var (table, names, allOffset) = ReadPostingsTable(file, toc, tocStart);
        return new IndexReader(file, toc, symbols, table, names, allOffset);
    }

    private static string[] ReadSymbols(MappedFile file, IndexToc toc)
    {
        var offset = (long)toc.Symbols;
        if (!TryBE32Section(file, SymbolsSection, offset, (long)toc.Series, out var content, out var error))
        {
            throw error.ToException();
        }
        var d = new SpanDecoder(content.Span);
        var count = d.Be32();
        if (count > (uint)d.Remaining)
        {
            Throw(file, SymbolsSection, offset, $"symbol count {count} exceeds the section's {content.Length} bytes");
        }
        var symbols = new string[count];
        for (var i = 0; i < symbols.Length; i++)
        {
            var bytes = d.UvarintBytes();
            if (d.Failed)
            {
                Throw(file, SymbolsSection, offset, $"symbol {i} of {count} runs past the section's end");
            }
            symbols[i] = Encoding.UTF8.GetString(bytes);
            if (i > 0 && Utf8Order.Compare(symbols[i - 1], symbols[i]) >= 0)
            {
                Throw(file, SymbolsSection, offset, $"symbols not sorted: \"{symbols[i - 1]}\" before \"{symbols[i]}\"");
            }
        }
        return symbols;
    }

    private static (Dictionary<string, PostingsOffsets> Table, string[] Names, long AllOffset) ReadPostingsTable(MappedFile file, IndexToc toc, long tocStart)
    {
        var offset = (long)toc.PostingsTable;
        if (!TryBE32Section(file, PostingsTableSection, offset, tocStart, out var content, out var error))
        {
            throw error.ToException();
        }
        var d = new SpanDecoder(content.Span);
        var count = d.Be32();
        if (count > (uint)d.Remaining)
        {
            Throw(file, PostingsTableSection, offset, $"entry count {count} exceeds the section's {content.Length} bytes");
        }
        var table = new Dictionary<string, PostingsOffsets>(StringComparer.Ordinal);
        var names = new List<string>();
        var values = new List<string>();
        var offsets = new List<long>();
        string? currentName = null;
        long allOffset = -1;
        for (var i = 0; i < count; i++)
        {
            var keys = d.Uvarint();
            var name = d.UvarintString();
            var value = d.UvarintString();
            var listOffset = d.Uvarint();
            if (d.Failed)
            {
                Throw(file, PostingsTableSection, offset, $"entry {i} of {count} runs past the section's end");
            }
            if (keys != 2)
            {
                Throw(file, PostingsTableSection, offset, $"entry {i} has {keys} keys, expected 2 (name, value)");
            }
            if (listOffset < toc.Postings || listOffset >= toc.LabelIndicesTable)
            {
                Throw(file, PostingsTableSection, offset, $"entry {i} ({name}=\"{value}\") points at {listOffset}, outside the postings section [{toc.Postings}, {toc.LabelIndicesTable})");
            }
            if (name.Length == 0)
            {
                allOffset = (long)listOffset;
                continue;
            }
            if (!string.Equals(name, currentName, StringComparison.Ordinal))
            {
                if (currentName is not null)
                {
                    if (Utf8Order.Compare(currentName, name) >= 0)
                    {
                        Throw(file, PostingsTableSection, offset, $"label names not sorted: \"{currentName}\" before \"{name}\"");
                    }
                    table.Add(currentName, new PostingsOffsets([.. values], [.. offsets]));
                    values.Clear();
                    offsets.Clear();
                }
                currentName = name;
                names.Add(name);
            }
            else if (Utf8Order.Compare(values[^1], value) >= 0)
            {
                Throw(file, PostingsTableSection, offset, $"values of \"{name}\" not sorted: \"{values[^1]}\" before \"{value}\"");
            }
            values.Add(value);
            offsets.Add((long)listOffset);
        }
        if (currentName is not null)
        {
            table.Add(currentName, new PostingsOffsets([.. values], [.. offsets]));
        }
        return (table, [.. names], allOffset);
    }

    /// <summary>
    /// Reads and checks every section, including the legacy label indices and the padding between entries
    /// (which Prometheus never reads): for <c>vigil tsdb verify</c> and tests. Returns the number of series.
    /// </summary>
    /// <exception cref="BlockFormatException">The first problem found.</exception>
    public int Verify()
    {
        // Series: 16-byte aligned entries, zero padding between them.
        var series = 0;
        var pos = (long)Toc.Series;
        var end = (long)Toc.LabelIndices;
        while (true)
        {
            pos = SkipPadding(SeriesSection, pos, end, IndexFormat.SeriesAlignment);
            if (pos >= end)
            {
                break;
            }
            if (!TrySeries((ulong)pos / IndexFormat.SeriesAlignment, out _, out var error))
            {
                throw error.ToException();
            }
            var n = Varint.ReadUvarint(_file.Span(pos, (int)Math.Min(Varint.MaxLength32, end - pos)), out var length);
            pos += n + (long)length + 4;
            series++;
        }

        // Label indices: #names, #entries, then symbol references.
        pos = (long)Toc.LabelIndices;
        end = (long)Toc.Postings;
        while ((pos = SkipPadding(LabelIndexSection, pos, end, 4)) < end)
        {
            if (!TryBE32Section(LabelIndexSection, pos, end, out var content, out var error))
            {
                throw error.ToException();
            }
            var d = new SpanDecoder(content.Span);
            var names = d.Be32();
            var entries = d.Be32();
            if (d.Failed || names == 0 || (ulong)content.Length != 8 + (4UL * entries) || entries % names != 0)
            {
                Throw(_file, LabelIndexSection, pos, $"{names} names and {entries} entries do not fit {content.Length} bytes");
            }
            for (var i = 0; i < entries; i++)
            {
                if (d.Be32() >= _symbols.Length)
                {
                    Throw(_file, LabelIndexSection, pos, $"entry {i} refers to an unknown symbol");
                }
            }
            pos += 4 + content.Length + 4;
        }

        // Postings lists.
        pos = (long)Toc.Postings;
        end = (long)Toc.LabelIndicesTable;
        while ((pos = SkipPadding(PostingsSection, pos, end, 4)) < end)
        {
            var refs = ReadPostings(pos);
            pos += 4 + 4 + (4L * refs.Length) + 4;
        }

        if (Toc.LabelIndicesTable < Toc.PostingsTable)
        {
            var tableOffset = (long)Toc.LabelIndicesTable;
            if (!TryBE32Section(LabelTableSection, tableOffset, (long)Toc.PostingsTable, out var content, out var error))
            {
                throw error.ToException();
            }
            var d = new SpanDecoder(content.Span);
            var count = d.Be32();
            for (var i = 0; i < count && !d.Failed; i++)
            {
                var keys = d.Uvarint();
                for (ulong k = 0; k < keys && !d.Failed; k++)
                {
                    d.UvarintBytes();
                }
                var at = d.Uvarint();
                if (!d.Failed && (at < Toc.LabelIndices || at >= Toc.Postings))
                {
                    Throw(_file, LabelTableSection, tableOffset, $"entry {i} points at {at}, outside the label indices");
                }
            }
            if (d.Failed || d.Remaining != 0)
            {
                Throw(_file, LabelTableSection, tableOffset, "entries do not fill the section exactly");
            }
        }
        return series;
    }

    /// <summary>Skips zero bytes up to the next multiple of <paramref name="alignment"/>; non-zero padding is corruption.</summary>
    private long SkipPadding(string section, long pos, long end, int alignment)
    {
        var aligned = Math.Min(end, (pos + alignment - 1) / alignment * alignment);
        if (aligned > pos && _file.Span(pos, (int)(aligned - pos)).ContainsAnyExcept((byte)0))
        {
            Throw(_file, section, pos, "non-zero bytes in alignment padding");
        }
        return aligned;
    }
}
