using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Vigil.Instrumentation.Bridge;

/// <summary>
/// The listener-side state of one instrument, handed to <see cref="MeterListener.EnableMeasurementEvents"/>
/// so each measurement reaches it without a lookup by instrument.
/// </summary>
/// <remarks>
/// Hot path: a measurement finds its series with one lock-free <see cref="ConcurrentDictionary{TKey, TValue}"/>
/// probe keyed by the measurement's own tag span (an alternate lookup), then updates it with interlocked
/// operations. Nothing is allocated for a tag combination seen before, whatever the number of tags (the
/// <c>Add(value, tag1, tag2, tag3)</c> overloads of System.Diagnostics.Metrics themselves do not allocate
/// for up to three tags; more tags go through a <c>TagList</c> or array at the caller). The first
/// measurement of a new combination takes the family lock, builds its labels and copies the tags.
/// </remarks>
internal sealed class InstrumentState
{
    private readonly ConcurrentDictionary<TagSet, Series> _series;
    private readonly ConcurrentDictionary<TagSet, Series>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _lookup;
    private readonly CollectionEpoch _epoch;
    private readonly double _scale;
    private readonly bool _monotonic;
    private Series? _untagged;

    public InstrumentState(Instrument instrument, FamilyState family, CollectionEpoch epoch, double scale, bool monotonic)
    {
        Instrument = instrument;
        Family = family;
        _epoch = epoch;
        _scale = scale;
        _monotonic = monotonic;
        _series = new ConcurrentDictionary<TagSet, Series>(TagSetComparer.Instance);
        _lookup = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
    }

    public Instrument Instrument { get; }

    public FamilyState Family { get; }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Family.Aggregation != Aggregation.LastValue && (double.IsNaN(value) || (_monotonic && value < 0)))
        {
            // A counter cannot go down; NaN would poison a sum or a histogram's _sum forever.
            return;
        }
        var series = tags.IsEmpty
            ? Volatile.Read(ref _untagged) ?? Create(tags)
            : _lookup.TryGetValue(tags, out var found) ? found : Create(tags);

        value *= _scale;
        switch (Family.Aggregation)
        {
            case Aggregation.Sum:
                series.Add(value);
                break;
            case Aggregation.LastValue:
                series.Set(value, _epoch.Value);
                break;
            default:
                series.Observe(value, Family.Bounds);
                break;
        }
    }

    private Series Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (Family.Gate)
        {
            if (tags.IsEmpty && _untagged is { } untagged)
            {
                return untagged;
            }
            if (_lookup.TryGetValue(tags, out var existing))
            {
                return existing;
            }
            var series = Family.GetOrAddSeries(tags);
            _lookup.TryAdd(tags, series);
            if (tags.IsEmpty)
            {
                Volatile.Write(ref _untagged, series);
            }
            return series;
        }
    }
}
