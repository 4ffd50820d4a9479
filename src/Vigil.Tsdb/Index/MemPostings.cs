using Vigil.Model;

namespace Vigil.Tsdb.Index;

/// <summary>
/// The head's inverted index: for each label name and value, the sorted refs of the series carrying it,
/// plus the list of all refs. Refs are handed out in increasing order, so adding appends at the end.
/// Thread-safe: many readers, one writer at a time.
/// </summary>
public sealed class MemPostings
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, Dictionary<string, List<ulong>>> _byName = new(StringComparer.Ordinal);
    private readonly List<ulong> _all = [];

    /// <summary>Indexes a series.</summary>
    public void Add(ulong seriesRef, Labels labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _lock.EnterWriteLock();
        try
        {
            Insert(_all, seriesRef);
            foreach (var l in labels.AsSpan())
            {
                if (!_byName.TryGetValue(l.Name, out var values))
                {
                    values = new Dictionary<string, List<ulong>>(StringComparer.Ordinal);
                    _byName.Add(l.Name, values);
                }
                if (!values.TryGetValue(l.Value, out var refs))
                {
                    refs = [];
                    values.Add(l.Value, refs);
                }
                Insert(refs, seriesRef);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes series (after head truncation), dropping names and values left with no series.</summary>
    public void Delete(IReadOnlyCollection<(ulong Ref, Labels Labels)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        _lock.EnterWriteLock();
        try
        {
            foreach (var (seriesRef, labels) in series)
            {
                Remove(_all, seriesRef);
                foreach (var l in labels.AsSpan())
                {
                    if (_byName.TryGetValue(l.Name, out var values) && values.TryGetValue(l.Value, out var refs))
                    {
                        Remove(refs, seriesRef);
                        if (refs.Count == 0)
                        {
                            values.Remove(l.Value);
                            if (values.Count == 0)
                            {
                                _byName.Remove(l.Name);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>A copy of the refs carrying <paramref name="name"/>=<paramref name="value"/>.</summary>
    public ulong[] Get(string name, string value)
    {
        _lock.EnterReadLock();
        try
        {
            return _byName.TryGetValue(name, out var values) && values.TryGetValue(value, out var refs) ? [.. refs] : [];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>A copy of every ref.</summary>
    public ulong[] All()
    {
        _lock.EnterReadLock();
        try
        {
            return [.. _all];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The union of the refs of every value of <paramref name="name"/> for which <paramref name="predicate"/> holds.</summary>
    public ulong[] GetMatching(string name, Func<string, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var lists = new List<ulong[]>();
        _lock.EnterReadLock();
        try
        {
            if (_byName.TryGetValue(name, out var values))
            {
                foreach (var (value, refs) in values)
                {
                    if (predicate(value))
                    {
                        lists.Add([.. refs]);
                    }
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
        return Postings.Union(lists);
    }

    /// <summary>All label names, sorted.</summary>
    public string[] LabelNames()
    {
        _lock.EnterReadLock();
        try
        {
            var names = _byName.Keys.ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            return names;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>All values of <paramref name="name"/>, sorted.</summary>
    public string[] LabelValues(string name)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_byName.TryGetValue(name, out var values))
            {
                return [];
            }
            var result = values.Keys.ToArray();
            Array.Sort(result, StringComparer.Ordinal);
            return result;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>(name, value, series count) for every label pair, for cardinality reports.</summary>
    public List<(string Name, string Value, int Count)> Cardinalities()
    {
        var result = new List<(string, string, int)>();
        _lock.EnterReadLock();
        try
        {
            foreach (var (name, values) in _byName)
            {
                foreach (var (value, refs) in values)
                {
                    result.Add((name, value, refs.Count));
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
        return result;
    }

    /// <summary>
    /// The refs of the series that satisfy every matcher. A matcher that does not match "" selects the
    /// values it matches; one that matches "" (e.g. <c>foo!="bar"</c>, <c>foo=""</c>) removes the series
    /// whose value it rejects, so series without the label are kept, as in Prometheus.
    /// </summary>
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
                    ? Get(m.Name, m.Value)
                    : m.SetMatches is { } set ? Postings.Union(set.Select(v => Get(m.Name, v)).ToList()) : GetMatching(m.Name, m.Matches);
                if (refs.Length == 0)
                {
                    return [];
                }
                intersect.Add(refs);
            }
            else
            {
                subtract.Add(GetMatching(m.Name, v => !m.Matches(v)));
            }
        }
        var result = intersect.Count == 0 ? All() : Postings.Intersect(intersect);
        foreach (var s in subtract)
        {
            result = Postings.Without(result, s);
        }
        return result;
    }

    private static void Insert(List<ulong> refs, ulong value)
    {
        if (refs.Count == 0 || refs[^1] < value)
        {
            refs.Add(value);
            return;
        }
        var i = refs.BinarySearch(value);
        if (i < 0)
        {
            refs.Insert(~i, value);
        }
    }

    private static void Remove(List<ulong> refs, ulong value)
    {
        var i = refs.BinarySearch(value);
        if (i >= 0)
        {
            refs.RemoveAt(i);
        }
    }
}
