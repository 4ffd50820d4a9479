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

    /// <summary>
    /// The time-ordered union of several iterators; on equal timestamps the earliest-listed wins. Blocks rarely
    /// overlap, so the iterator that supplied the last sample usually supplies the next too: while its next sample
    /// is still before every other iterator's, it is taken without looking at the others (O(1) a sample).
    /// </summary>
    private sealed class MergedIterator : ISampleIterator
    {
        private readonly ISampleIterator[] _its;
        private readonly long[] _heads;
        private bool _started;
        private int _current = -1;
        private long _second = long.MaxValue;

        public MergedIterator(ISampleIterator[] iterators)
        {
            _its = iterators;
            _heads = new long[iterators.Length];
        }

        public Exception? Error { get; private set; }

        public bool Next()
        {
            if (!_started)
            {
                _started = true;
                for (var i = 0; i < _its.Length; i++)
                {
                    Advance(i);
                }
                return Pick();
            }
            if (_current < 0)
            {
                return false;
            }
            var t = _heads[_current];
            if (_second > t)
            {
                // Only the current iterator is at t: move it alone, and keep it while it stays in front.
                Advance(_current);
                if (_heads[_current] < _second)
                {
                    return true;
                }
                return Pick();
            }
            // Several iterators hold a sample at t: step all of them past it.
            for (var i = 0; i < _its.Length; i++)
            {
                if (_heads[i] == t)
                {
                    Advance(i);
                }
            }
            return Pick();
        }

        public bool Seek(long timestampMs)
        {
            // The current head is the smallest, so every iterator is already at or past the target.
            if (_started && _current >= 0 && _heads[_current] >= timestampMs)
            {
                return true;
            }
            if (_started && _current < 0)
            {
                return false;
            }
            var wasStarted = _started;
            _started = true;
            for (var i = 0; i < _its.Length; i++)
            {
                if (wasStarted && _heads[i] == long.MaxValue)
                {
                    continue;
                }
                _heads[i] = _its[i].Seek(timestampMs) ? _its[i].At().TimestampMs : Exhausted(i);
            }
            return Pick();
        }

        private void Advance(int i) => _heads[i] = _its[i].Next() ? _its[i].At().TimestampMs : Exhausted(i);

        private long Exhausted(int i)
        {
            Error ??= _its[i].Error;
            return long.MaxValue;
        }

        /// <summary>Finds the earliest head (first-listed on ties) and the earliest among the others.</summary>
        private bool Pick()
        {
            _current = -1;
            var best = long.MaxValue;
            var second = long.MaxValue;
            for (var i = 0; i < _heads.Length; i++)
            {
                var h = _heads[i];
                if (h == long.MaxValue)
                {
                    continue;
                }
                if (_current < 0 || h < best)
                {
                    if (_current >= 0)
                    {
                        second = Math.Min(second, best);
                    }
                    best = h;
                    _current = i;
                }
                else
                {
                    second = Math.Min(second, h);
                }
            }
            _second = second;
            return _current >= 0;
        }

        public Sample At() => _its[_current].At();
    }
}
