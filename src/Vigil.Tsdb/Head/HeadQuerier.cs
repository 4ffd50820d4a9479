using Vigil.Model;
using Vigil.Storage;
using Vigil.Tsdb.Chunks;

namespace Vigil.Tsdb;

/// <summary>Reads the head over [min, max]: series through the postings index, samples from copied chunk snapshots.</summary>
internal sealed class HeadQuerier(Head head, long minTime, long maxTime) : IQuerier
{
    public ISeriesSet Select(bool sorted, IReadOnlyList<LabelMatcher> matchers)
    {
        var refs = head.Postings.PostingsForMatchers(matchers);
        var result = new List<ISeries>(refs.Length);
        var chunks = new List<HeadChunk>();
        head.CommitLock.EnterReadLock();
        try
        {
            Snapshot(refs, chunks, result);
        }
        finally
        {
            head.CommitLock.ExitReadLock();
        }
        if (sorted)
        {
            result.Sort(static (a, b) => a.Labels.CompareTo(b.Labels));
        }
        return new ListSeriesSet(result);
    }

    private void Snapshot(ulong[] refs, List<HeadChunk> chunks, List<ISeries> result)
    {
        foreach (var r in refs)
        {
            var s = head.GetByRef(r);
            if (s is null)
            {
                continue;
            }
            chunks.Clear();
            lock (s.Lock)
            {
                s.CollectChunks(minTime, maxTime, chunks);
            }
            if (chunks.Count > 0)
            {
                result.Add(new HeadSeries(s.Labels, [.. chunks], minTime, maxTime, head.DeletedIntervals(r)));
            }
        }
    }

    public IReadOnlyList<string> LabelNames(IReadOnlyList<LabelMatcher> matchers)
    {
        if (matchers.Count == 0)
        {
            return head.Postings.LabelNames();
        }
        return SeriesSetLabels.Names(Select(false, matchers));
    }

    public IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers)
    {
        if (matchers.Count == 0)
        {
            return head.Postings.LabelValues(name);
        }
        return SeriesSetLabels.Values(Select(false, matchers), name);
    }

    public void Dispose()
    {
    }
}

/// <summary>A head series' snapshot: its chunks (copied) limited to the querier's range.</summary>
internal sealed class HeadSeries(Labels labels, HeadChunk[] chunks, long minTime, long maxTime, Blocks.TimeInterval[] deleted) : ISeries
{
    public Labels Labels { get; } = labels;

    public ISampleIterator Iterator(ISampleIterator? reuse = null)
    {
        if (reuse is ChunkSeriesIterator it)
        {
            it.Reset(chunks, minTime, maxTime, deleted);
            return it;
        }
        return new ChunkSeriesIterator(chunks, minTime, maxTime, deleted);
    }
}

/// <summary>Iterates consecutive, non-overlapping XOR chunks of one series, clipped to [min, max].</summary>
internal sealed class ChunkSeriesIterator : ISampleIterator
{
    private readonly XorIterator _chunk = new();
    private HeadChunk[] _chunks = [];
    private int _index;
    private long _minTime;
    private long _maxTime;
    private bool _done;
    private Blocks.TimeInterval[] _deleted = [];

    public ChunkSeriesIterator(HeadChunk[] chunks, long minTime, long maxTime, Blocks.TimeInterval[]? deleted = null) => Reset(chunks, minTime, maxTime, deleted);

    public void Reset(HeadChunk[] chunks, long minTime, long maxTime, Blocks.TimeInterval[]? deleted = null)
    {
        _deleted = deleted ?? [];
        _chunks = chunks;
        _minTime = minTime;
        _maxTime = maxTime;
        _index = -1;
        _done = false;
        Error = null;
        NextChunk();
    }

    public Exception? Error { get; private set; }

    private bool NextChunk()
    {
        _index++;
        if (_index >= _chunks.Length)
        {
            _done = true;
            return false;
        }
        _chunk.Reset(_chunks[_index].Data);
        return true;
    }

    public bool Next()
    {
        while (!_done)
        {
            if (_chunk.Next())
            {
                var t = _chunk.At().TimestampMs;
                if (t < _minTime || (_deleted.Length > 0 && Head.Contains(_deleted, t)))
                {
                    continue;
                }
                if (t > _maxTime)
                {
                    _done = true;
                    return false;
                }
                return true;
            }
            if (_chunk.Error is { } e)
            {
                Error = e;
                _done = true;
                return false;
            }
            NextChunk();
        }
        return false;
    }

    public bool Seek(long timestampMs)
    {
        if (timestampMs < _minTime)
        {
            timestampMs = _minTime;
        }
        // Skip whole chunks that end before the target.
        while (!_done && _chunks[_index].MaxTime < timestampMs)
        {
            NextChunk();
        }
        if (_done)
        {
            return false;
        }
        if (_chunk.Seek(timestampMs))
        {
            var t = _chunk.At().TimestampMs;
            if (t > _maxTime)
            {
                _done = true;
                return false;
            }
            return _deleted.Length == 0 || !Head.Contains(_deleted, t) || Next();
        }
        return Next();
    }

    public Sample At() => _chunk.At();
}
