using Vigil.Model;

namespace Vigil.Storage;

/// <summary>
/// A simple, thread-safe, in-memory store implementing both sides of the seam, with the same
/// per-sample rejection rules as the TSDB head (no out-of-order, duplicate timestamps only with
/// the same value). For tests and tools, not for production volumes.
/// </summary>
public sealed class MemoryStorage : IAppendable, IQueryableStorage
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Labels, Entry> _byLabels = [];
    private readonly List<Entry> _byRef = [];

    /// <summary>The number of series stored.</summary>
    public int SeriesCount
    {
        get
        {
            lock (_lock)
            {
                return _byRef.Count;
            }
        }
    }

    /// <inheritdoc/>
    public IAppender Appender() => new MemoryAppender(this);

    /// <inheritdoc/>
    public IQuerier Querier(long minTimeMs, long maxTimeMs) => new MemoryQuerier(this, minTimeMs, maxTimeMs);

    private sealed class Entry(Labels labels, ulong id)
    {
        public Labels Labels { get; } = labels;

        public ulong Id { get; } = id;

        public List<Sample> Samples { get; } = [];
    }

    private sealed class MemoryAppender(MemoryStorage storage) : IAppender
    {
        private readonly List<(Labels Labels, ulong Ref, Sample Sample)> _pending = [];
        private readonly Dictionary<ulong, long> _pendingMax = [];

        public AppendStatus Append(ref SeriesRef series, Labels? labels, long timestampMs, double value)
        {
            lock (storage._lock)
            {
                Entry? entry = null;
                if (series.IsSet && series.Value <= (ulong)storage._byRef.Count)
                {
                    entry = storage._byRef[(int)series.Value - 1];
                }
                else if (labels is null || labels.Count == 0 || labels.MetricName.Length == 0)
                {
                    return AppendStatus.InvalidLabels;
                }
                else if (!storage._byLabels.TryGetValue(labels, out entry))
                {
                    entry = new Entry(labels, (ulong)storage._byRef.Count + 1);
                    storage._byLabels.Add(labels, entry);
                    storage._byRef.Add(entry);
                }
                var last = entry.Samples.Count > 0 ? entry.Samples[^1] : (Sample?)null;
                var maxT = _pendingMax.TryGetValue(entry.Id, out var pendingMax) ? pendingMax : last?.TimestampMs ?? long.MinValue;
                if (timestampMs < maxT)
                {
                    return AppendStatus.OutOfOrder;
                }
                if (timestampMs == maxT)
                {
                    var same = last is { } l && l.TimestampMs == timestampMs && BitConverter.DoubleToInt64Bits(l.Value) == BitConverter.DoubleToInt64Bits(value);
                    return same ? AppendStatus.Ok : AppendStatus.DuplicateTimestamp;
                }
                _pendingMax[entry.Id] = timestampMs;
                _pending.Add((entry.Labels, entry.Id, new Sample(timestampMs, value)));
                series = new SeriesRef(entry.Id);
                return AppendStatus.Ok;
            }
        }

        public void Commit()
        {
            lock (storage._lock)
            {
                foreach (var (_, id, sample) in _pending)
                {
                    storage._byRef[(int)id - 1].Samples.Add(sample);
                }
            }
            _pending.Clear();
            _pendingMax.Clear();
        }

        public void Rollback()
        {
            _pending.Clear();
            _pendingMax.Clear();
        }
    }

    private sealed class MemoryQuerier(MemoryStorage storage, long minTimeMs, long maxTimeMs) : IQuerier
    {
        public ISeriesSet Select(bool sorted, IReadOnlyList<LabelMatcher> matchers)
        {
            var result = new List<ISeries>();
            lock (storage._lock)
            {
                foreach (var entry in storage._byRef)
                {
                    if (!MatchesAll(entry.Labels, matchers))
                    {
                        continue;
                    }
                    var samples = entry.Samples.FindAll(s => s.TimestampMs >= minTimeMs && s.TimestampMs <= maxTimeMs).ToArray();
                    if (samples.Length > 0)
                    {
                        result.Add(new MemorySeries(entry.Labels, samples));
                    }
                }
            }
            if (sorted)
            {
                result.Sort(static (a, b) => a.Labels.CompareTo(b.Labels));
            }
            return new ListSeriesSet(result);
        }

        public IReadOnlyList<string> LabelNames(IReadOnlyList<LabelMatcher> matchers) => SeriesSetLabels.Names(Select(false, matchers));

        public IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers) => SeriesSetLabels.Values(Select(false, matchers), name);

        public void Dispose()
        {
        }

        private static bool MatchesAll(Labels labels, IReadOnlyList<LabelMatcher> matchers)
        {
            foreach (var m in matchers)
            {
                if (!m.Matches(labels.Get(m.Name)))
                {
                    return false;
                }
            }
            return true;
        }
    }

    private sealed class MemorySeries(Labels labels, Sample[] samples) : ISeries
    {
        public Labels Labels { get; } = labels;

        public ISampleIterator Iterator(ISampleIterator? reuse = null)
        {
            if (reuse is ArraySampleIterator it)
            {
                it.Reset(samples);
                return it;
            }
            return new ArraySampleIterator(samples);
        }
    }
}
