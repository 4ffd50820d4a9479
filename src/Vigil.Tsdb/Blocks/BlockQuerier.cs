using Vigil.Model;
using Vigil.Storage;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// <see cref="IQuerier"/> over one block: postings select series, chunk metas outside the range or wholly
/// deleted are dropped without reading them, and samples are decoded lazily. Corruption met while
/// iterating ends the set or iterator with a <see cref="BlockFormatException"/> in <c>Error</c>.
/// Series come in the block's order (<see cref="Utf8Order"/>), so always sorted.
/// </summary>
internal sealed class BlockQuerier(BlockReader block, long minTime, long maxTime) : IQuerier
{
    public ISeriesSet Select(bool sorted, IReadOnlyList<LabelMatcher> matchers)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        ulong[] refs;
        try
        {
            refs = block.Index.PostingsForMatchers(matchers);
        }
        catch (BlockFormatException e)
        {
            return new BlockSeriesSet(block, [], minTime, maxTime, e);
        }
        return new BlockSeriesSet(block, refs, minTime, maxTime, null);
    }

    public IReadOnlyList<string> LabelNames(IReadOnlyList<LabelMatcher> matchers)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        if (matchers.Count == 0)
        {
            return block.Index.LabelNames();
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in block.Index.PostingsForMatchers(matchers))
        {
            foreach (var l in block.Index.Series(r).Labels.AsSpan())
            {
                names.Add(l.Name);
            }
        }
        var result = names.ToArray();
        Array.Sort(result, Utf8Order.Strings);
        return result;
    }

    public IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(matchers);
        if (matchers.Count == 0)
        {
            return block.Index.SortedLabelValues(name);
        }
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in block.Index.PostingsForMatchers(matchers))
        {
            var v = block.Index.Series(r).Labels.Get(name);
            if (v.Length > 0)
            {
                values.Add(v);
            }
        }
        var result = values.ToArray();
        Array.Sort(result, Utf8Order.Strings);
        return result;
    }

    public void Dispose()
    {
        // The block reader owns the files; a querier pins nothing of its own.
    }
}

/// <summary>The series of a postings list, read one at a time, skipping those with no chunk left in range.</summary>
internal sealed class BlockSeriesSet(BlockReader block, ulong[] refs, long minTime, long maxTime, Exception? error) : ISeriesSet
{
    private readonly List<ChunkMeta> _kept = [];
    private int _index = -1;
    private ISeries? _current;

    public Exception? Error { get; private set; } = error;

    public bool Next()
    {
        if (Error is not null)
        {
            return false;
        }
        while (++_index < refs.Length)
        {
            var seriesRef = refs[_index];
            if (!block.Index.TrySeries(seriesRef, out var series, out var formatError))
            {
                Error = formatError.ToException();
                return false;
            }
            var deleted = block.Tombstones.Get(seriesRef);
            _kept.Clear();
            foreach (var c in series.Chunks)
            {
                if (c.MaxTime < minTime || c.MinTime > maxTime || IsWhollyDeleted(c, deleted))
                {
                    continue;
                }
                _kept.Add(c);
            }
            if (_kept.Count == 0)
            {
                continue;
            }
            _current = new BlockQuerySeries(block, series.Labels, [.. _kept], deleted, minTime, maxTime);
            return true;
        }
        return false;
    }

    public ISeries At() => _current ?? throw new InvalidOperationException("Next() has not returned true");

    private static bool IsWhollyDeleted(ChunkMeta c, IReadOnlyList<TimeInterval> deleted)
    {
        foreach (var iv in deleted)
        {
            if (iv.Contains(c.MinTime) && iv.Contains(c.MaxTime))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>One selected series: labels plus the chunk metas to decode.</summary>
internal sealed class BlockQuerySeries(BlockReader block, Labels labels, ChunkMeta[] chunks, IReadOnlyList<TimeInterval> deleted, long minTime, long maxTime) : ISeries
{
    public Labels Labels => labels;

    public ISampleIterator Iterator(ISampleIterator? reuse = null)
    {
        var it = reuse as BlockSampleIterator ?? new BlockSampleIterator();
        it.Reset(block.Chunks, chunks, deleted, minTime, maxTime);
        return it;
    }
}
