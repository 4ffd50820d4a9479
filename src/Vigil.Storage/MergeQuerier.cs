using Vigil.Model;

namespace Vigil.Storage;

/// <summary>
/// Queries several queriers (blocks and the head) as one: series with equal labels are merged into
/// one series whose samples are the time-ordered union of theirs (a timestamp present in several
/// sources is returned once, from the first source listed). Disposing disposes every querier.
/// </summary>
public sealed class MergeQuerier : IQuerier
{
    private readonly IReadOnlyList<IQuerier> _queriers;

    /// <summary>Merges <paramref name="queriers"/>, which should be ordered oldest data first.</summary>
    public MergeQuerier(IReadOnlyList<IQuerier> queriers) => _queriers = queriers ?? throw new ArgumentNullException(nameof(queriers));

    /// <inheritdoc/>
    public ISeriesSet Select(bool sorted, IReadOnlyList<LabelMatcher> matchers)
    {
        if (_queriers.Count == 1)
        {
            return _queriers[0].Select(sorted, matchers);
        }
        // Merging needs each input sorted; the merged output is then sorted too.
        var sets = new List<ISeriesSet>(_queriers.Count);
        foreach (var q in _queriers)
        {
            sets.Add(q.Select(true, matchers));
        }
        return new MergedSeriesSet(sets);
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> LabelNames(IReadOnlyList<LabelMatcher> matchers) => MergeSorted(q => q.LabelNames(matchers));

    /// <inheritdoc/>
    public IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers) => MergeSorted(q => q.LabelValues(name, matchers));

    private IReadOnlyList<string> MergeSorted(Func<IQuerier, IReadOnlyList<string>> get)
    {
        var all = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var q in _queriers)
        {
            all.UnionWith(get(q));
        }
        return [.. all];
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var q in _queriers)
        {
            q.Dispose();
        }
    }

    private sealed class MergedSeriesSet : ISeriesSet
    {
        private readonly List<ISeriesSet> _sets;
        private readonly bool[] _has;
        private ISeries? _current;

        public MergedSeriesSet(List<ISeriesSet> sets)
        {
            _sets = sets;
            _has = new bool[sets.Count];
            for (var i = 0; i < sets.Count; i++)
            {
                _has[i] = sets[i].Next();
            }
        }

        public Exception? Error { get; private set; }

        public bool Next()
        {
            Labels? smallest = null;
            for (var i = 0; i < _sets.Count; i++)
            {
                if (_has[i] && (smallest is null || _sets[i].At().Labels.CompareTo(smallest) < 0))
                {
                    smallest = _sets[i].At().Labels;
                }
            }
            if (smallest is null)
            {
                foreach (var s in _sets)
                {
                    Error ??= s.Error;
                }
                return false;
            }
            var parts = new List<ISeries>();
            for (var i = 0; i < _sets.Count; i++)
            {
                if (_has[i] && _sets[i].At().Labels.Equals(smallest))
                {
                    parts.Add(_sets[i].At());
                    _has[i] = _sets[i].Next();
                }
            }
            _current = parts.Count == 1 ? parts[0] : new MergedSeries(smallest, parts);
            return true;
        }

        public ISeries At() => _current ?? throw new InvalidOperationException("Next() was not called or returned false");
    }

    private sealed class MergedSeries(Labels labels, List<ISeries> parts) : ISeries
    {
        public Labels Labels { get; } = labels;

        public ISampleIterator Iterator(ISampleIterator? reuse = null)
        {
            var iterators = new ISampleIterator[parts.Count];
            for (var i = 0; i < parts.Count; i++)
            {
                iterators[i] = parts[i].Iterator();
            }
            return new MergedIterator(iterators);
        }
    }

    /// <summary>The time-ordered union of several iterators; on equal timestamps the earliest-listed wins.</summary>
    private sealed class MergedIterator : ISampleIterator
    {
        private readonly ISampleIterator[] _its;
        private readonly bool[] _has;
        private bool _started;
        private int _current = -1;

        public MergedIterator(ISampleIterator[] iterators)
        {
            _its = iterators;
            _has = new bool[iterators.Length];
        }

        public Exception? Error { get; private set; }

        public bool Next()
        {
            if (!_started)
            {
                _started = true;
                for (var i = 0; i < _its.Length; i++)
                {
                    _has[i] = _its[i].Next();
                }
            }
            else if (_current >= 0)
            {
                var t = _its[_current].At().TimestampMs;
                // Advance every iterator positioned at the timestamp just returned.
                for (var i = 0; i < _its.Length; i++)
                {
                    if (_has[i] && _its[i].At().TimestampMs == t)
                    {
                        _has[i] = _its[i].Next();
                    }
                }
            }
            return Pick();
        }

        public bool Seek(long timestampMs)
        {
            if (_started && _current >= 0 && _its[_current].At().TimestampMs >= timestampMs)
            {
                return true;
            }
            _started = true;
            for (var i = 0; i < _its.Length; i++)
            {
                _has[i] = _its[i].Seek(timestampMs);
            }
            return Pick();
        }

        private bool Pick()
        {
            _current = -1;
            for (var i = 0; i < _its.Length; i++)
            {
                if (!_has[i])
                {
                    Error ??= _its[i].Error;
                    continue;
                }
                if (_current < 0 || _its[i].At().TimestampMs < _its[_current].At().TimestampMs)
                {
                    _current = i;
                }
            }
            return _current >= 0;
        }

        public Sample At() => _its[_current].At();
    }
}
