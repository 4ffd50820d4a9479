using Vigil.Model;
using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// Writes a block's <c>index</c> file in Prometheus's format v2, laid out byte for byte as Prometheus 2.42's
/// index writer does (tsdb/docs/format/index.md): header, symbol table, 16-byte aligned series, label
/// indices, postings (the all-series list first), label offset table, postings offset table, TOC; each
/// section with its CRC32C.
/// </summary>
/// <remarks>
/// Use: construct with every symbol, <see cref="AddSeries"/> in <see cref="Utf8Order"/> label order, then
/// <see cref="Complete"/>. Postings are collected in memory (4 bytes per label per series) rather than
/// re-read from the file as Prometheus does: simpler, and the same bytes. Not thread-safe.
/// </remarks>
public sealed class IndexWriter : IDisposable
{
    private readonly BufferedFile _file;
    private readonly EncodeBuffer _buffer = new(4096);
    private readonly Dictionary<string, uint> _symbolIndex = new(StringComparer.Ordinal);
    private readonly string[] _symbols;
    private readonly List<uint> _all = [];
    // name symbol → value symbol → series refs. Symbol order is string order, so sorting keys sorts strings.
    private readonly Dictionary<uint, Dictionary<uint, List<uint>>> _postings = [];
    private IndexToc _toc;
    private Labels? _lastSeries;
    private bool _completed;

    /// <summary>
    /// Creates <paramref name="path"/> and writes the header and symbol table: every distinct string in the
    /// series' labels (any order, duplicates allowed). The empty string is always included, as Prometheus does.
    /// </summary>
    public IndexWriter(string path, IEnumerable<string> symbols, IFileSystem? fileSystem = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(symbols);
        var fs = fileSystem ?? PhysicalFileSystem.Instance;
        var set = new HashSet<string>(symbols, StringComparer.Ordinal) { "" };
        _symbols = [.. set];
        Array.Sort(_symbols, Utf8Order.Strings);
        for (var i = 0; i < _symbols.Length; i++)
        {
            _symbolIndex.Add(_symbols[i], (uint)i);
        }
        if (fs.FileExists(path))
        {
            fs.DeleteFile(path);
        }
        _file = new BufferedFile(fs.OpenAppend(path, create: true));
        try
        {
            _buffer.PutBE32(IndexFormat.Magic);
            _buffer.PutByte(IndexFormat.Version);
            _file.Write(_buffer.WrittenSpan);
            WriteSymbols();
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>The number of series added.</summary>
    public int SeriesCount => _all.Count;

    /// <summary>
    /// Adds a series with its chunks (time-ordered, non-overlapping, refs not decreasing); returns its
    /// reference (offset / 16). Series must come in strictly increasing <see cref="Utf8Order"/> label order.
    /// </summary>
    public ulong AddSeries(Labels labels, ReadOnlySpan<ChunkMeta> chunks)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ObjectDisposedException.ThrowIf(_completed, this);
        if (labels.Count == 0)
        {
            throw new ArgumentException("a series needs at least one label", nameof(labels));
        }
        if (_lastSeries is not null && Utf8Order.Compare(labels, _lastSeries) <= 0)
        {
            throw new ArgumentException($"series out of order: {labels} after {_lastSeries} (sort with Utf8Order.LabelSets)", nameof(labels));
        }
        for (var i = 0; i < chunks.Length; i++)
        {
            var c = chunks[i];
            if (c.MaxTime < c.MinTime)
            {
                throw new ArgumentException($"chunk {i} of {labels}: maxTime {c.MaxTime} < minTime {c.MinTime}", nameof(chunks));
            }
            if (i > 0 && (c.MinTime <= chunks[i - 1].MaxTime || c.Ref < chunks[i - 1].Ref))
            {
                throw new ArgumentException($"chunk {i} of {labels} overlaps or precedes chunk {i - 1}", nameof(chunks));
            }
        }

        // Series entries are 16-byte aligned so 32-bit references address 64 GiB (index.md, "Series").
        _file.PadTo(IndexFormat.SeriesAlignment);
        var offset = _file.Position;
        var seriesRef = (ulong)offset / IndexFormat.SeriesAlignment;
        if (seriesRef > uint.MaxValue)
        {
            throw new InvalidOperationException("index exceeds 64 GiB: series references no longer fit 32 bits");
        }

        _buffer.Clear();
        _buffer.PutUvarint((ulong)labels.Count);
        foreach (var l in labels.AsSpan())
        {
            var name = Symbol(l.Name);
            var value = Symbol(l.Value);
            _buffer.PutUvarint(name);
            _buffer.PutUvarint(value);
            if (!_postings.TryGetValue(name, out var byValue))
            {
                byValue = [];
                _postings.Add(name, byValue);
            }
            if (!byValue.TryGetValue(value, out var refs))
            {
                refs = [];
                byValue.Add(value, refs);
            }
            refs.Add((uint)seriesRef);
        }
        _buffer.PutUvarint((ulong)chunks.Length);
        if (chunks.Length > 0)
        {
            // First chunk: mint, maxt - mint, ref; then mint - previous maxt, maxt - mint, ref delta (signed).
            var c = chunks[0];
            _buffer.PutVarint(c.MinTime);
            _buffer.PutUvarint((ulong)(c.MaxTime - c.MinTime));
            _buffer.PutUvarint(c.Ref);
            var t0 = c.MaxTime;
            var ref0 = (long)c.Ref;
            for (var i = 1; i < chunks.Length; i++)
            {
                c = chunks[i];
                _buffer.PutUvarint((ulong)(c.MinTime - t0));
                _buffer.PutUvarint((ulong)(c.MaxTime - c.MinTime));
                t0 = c.MaxTime;
                _buffer.PutVarint((long)c.Ref - ref0);
                ref0 = (long)c.Ref;
            }
        }
        WriteUvarintLengthSection();
        _all.Add((uint)seriesRef);
        _lastSeries = labels;
        return seriesRef;
    }

    /// <summary>Writes postings, tables and TOC, fsyncs and closes the file.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var names = new List<uint>(_postings.Keys);
        names.Sort();

        // Label indices (legacy, unused by readers, but Prometheus 2.42 writes them): per name, its values.
        _toc = _toc with { LabelIndices = (ulong)_file.Position };
        var labelIndexOffsets = new List<(uint Name, long Offset)>(names.Count);
        foreach (var name in names)
        {
            var values = SortedKeys(_postings[name]);
            _file.PadTo(4);
            labelIndexOffsets.Add((name, _file.Position));
            _buffer.Clear();
            _buffer.PutBE32(0); // len, patched below
            _buffer.PutBE32(1); // number of names
            _buffer.PutBE32((uint)values.Count);
            foreach (var v in values)
            {
                _buffer.PutBE32(v);
            }
            WriteBE32LengthSection();
        }

        // Postings: the all-series list under ("", ""), then each name's values in order, each 4-byte aligned.
        _toc = _toc with { Postings = (ulong)_file.Position };
        _file.PadTo(4);
        var postingsOffsets = new List<(string Name, string Value, long Offset)>();
        postingsOffsets.Add(("", "", _file.Position));
        WritePostingsList(_all);
        foreach (var name in names)
        {
            var byValue = _postings[name];
            foreach (var value in SortedKeys(byValue))
            {
                _file.PadTo(4);
                postingsOffsets.Add((_symbols[name], _symbols[value], _file.Position));
                WritePostingsList(byValue[value]);
            }
        }

        // Label offset table: (1, name, offset) per label index.
        _toc = _toc with { LabelIndicesTable = (ulong)_file.Position };
        _buffer.Clear();
        _buffer.PutBE32(0);
        _buffer.PutBE32((uint)labelIndexOffsets.Count);
        foreach (var (name, offset) in labelIndexOffsets)
        {
            _buffer.PutUvarint(1);
            _buffer.PutUvarintString(_symbols[name]);
            _buffer.PutUvarint((ulong)offset);
        }
        WriteBE32LengthSection();

        // Postings offset table: (2, name, value, offset) per list, sorted by name then value.
        _toc = _toc with { PostingsTable = (ulong)_file.Position };
        _buffer.Clear();
        _buffer.PutBE32(0);
        _buffer.PutBE32((uint)postingsOffsets.Count);
        foreach (var (name, value, offset) in postingsOffsets)
        {
            _buffer.PutUvarint(2);
            _buffer.PutUvarintString(name);
            _buffer.PutUvarintString(value);
            _buffer.PutUvarint((ulong)offset);
        }
        WriteBE32LengthSection();

        _buffer.Clear();
        _buffer.PutBE64(_toc.Symbols);
        _buffer.PutBE64(_toc.Series);
        _buffer.PutBE64(_toc.LabelIndices);
        _buffer.PutBE64(_toc.LabelIndicesTable);
        _buffer.PutBE64(_toc.Postings);
        _buffer.PutBE64(_toc.PostingsTable);
        _buffer.PutBE32(Crc32C.Compute(_buffer.WrittenSpan));
        _file.Write(_buffer.WrittenSpan);

        _file.Sync();
        _file.Dispose();
        _completed = true;
    }

    /// <summary>Closes the file; without <see cref="Complete"/> it is left incomplete for the caller to delete.</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _file.Dispose();
        }
    }

    private void WriteSymbols()
    {
        _toc = _toc with { Symbols = (ulong)_file.Position };
        _buffer.Clear();
        _buffer.PutBE32(0);
        _buffer.PutBE32((uint)_symbols.Length);
        foreach (var s in _symbols)
        {
            _buffer.PutUvarintString(s);
        }
        WriteBE32LengthSection();
        _toc = _toc with { Series = (ulong)_file.Position };
    }

    private void WritePostingsList(List<uint> refs)
    {
        _buffer.Clear();
        _buffer.PutBE32(0);
        _buffer.PutBE32((uint)refs.Count);
        foreach (var r in refs)
        {
            _buffer.PutBE32(r);
        }
        WriteBE32LengthSection();
    }

    /// <summary>The buffer holds a 4-byte length placeholder then the content: patch the length, append the CRC, write.</summary>
    private void WriteBE32LengthSection()
    {
        var contentLength = _buffer.Length - 4;
        _buffer.PatchBE32(0, (uint)contentLength);
        _buffer.PutBE32(Crc32C.Compute(_buffer.WrittenSpan[4..]));
        _file.Write(_buffer.WrittenSpan);
    }

    /// <summary>The buffer holds a series entry's content: write uvarint length, content, CRC.</summary>
    private void WriteUvarintLengthSection()
    {
        Span<byte> prefix = stackalloc byte[Varint.MaxLength];
        var n = Varint.WriteUvarint(prefix, (ulong)_buffer.Length);
        var crc = Crc32C.Compute(_buffer.WrittenSpan);
        _buffer.PutBE32(crc);
        _file.Write(prefix[..n]);
        _file.Write(_buffer.WrittenSpan);
    }

    private uint Symbol(string s)
        => _symbolIndex.TryGetValue(s, out var i) ? i : throw new ArgumentException($"\"{s}\" is not in the symbol table given to the IndexWriter");

    private static List<uint> SortedKeys(Dictionary<uint, List<uint>> byValue)
    {
        var keys = new List<uint>(byValue.Keys);
        keys.Sort();
        return keys;
    }
}
