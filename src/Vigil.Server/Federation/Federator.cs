using Vigil.Model;
using Vigil.Storage;

namespace Vigil.Server.Federation;

/// <summary>One series' sample as <c>/federate</c> exposes it.</summary>
/// <param name="Labels">The series' labels as stored.</param>
/// <param name="TimestampMs">The sample's timestamp.</param>
/// <param name="Value">Its value (never the stale marker).</param>
public readonly record struct FederatedSample(Labels Labels, long TimestampMs, double Value);

/// <summary>
/// What Prometheus 2.42's <c>/federate</c> selects (<c>web/federate.go</c>): every series matching any of the matcher
/// sets (each series once), with its latest sample in <c>[now − lookback delta, now]</c>; series whose latest sample
/// is a stale marker are left out (the exposition formats cannot carry one). The result is ordered by metric name,
/// and within a name as Prometheus leaves it (by labels, unless a label name sorts before <c>__name__</c>).
/// </summary>
public static class Federator
{
    /// <summary>The latest sample of each matching series at <paramref name="nowMs"/>.</summary>
    public static List<FederatedSample> Collect(IQueryableStorage storage, IReadOnlyList<IReadOnlyList<LabelMatcher>> matcherSets, long nowMs, long lookbackMs)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(matcherSets);
        var samples = new List<FederatedSample>();
        if (matcherSets.Count == 0)
        {
            return samples;
        }
        var mint = nowMs - lookbackMs;
        var seen = new HashSet<Labels>();
        using var querier = storage.Querier(mint, nowMs);
        ISampleIterator? iterator = null;
        foreach (var matchers in matcherSets)
        {
            var set = querier.Select(sorted: true, matchers);
            while (set.Next())
            {
                var series = set.At();
                if (!seen.Add(series.Labels))
                {
                    continue;
                }
                iterator = series.Iterator(iterator);
                var found = false;
                var latest = default(Sample);
                if (iterator.Seek(mint))
                {
                    do
                    {
                        var sample = iterator.At();
                        if (sample.TimestampMs > nowMs)
                        {
                            break;
                        }
                        latest = sample;
                        found = true;
                    }
                    while (iterator.Next());
                }
                if (iterator.Error is { } iteratorError)
                {
                    throw new IOException($"reading series {series.Labels}: {iteratorError.Message}", iteratorError);
                }
                if (found && !StaleMarker.IsStale(latest.Value))
                {
                    samples.Add(new FederatedSample(series.Labels, latest.TimestampMs, latest.Value));
                }
            }
            if (set.Error is { } setError)
            {
                throw new IOException(setError.Message, setError);
            }
        }
        // Prometheus merges the sets in label order, then sorts by metric name alone with Go's unstable sort.Sort
        // (byName). Where __name__ is every series' first label that keeps the label order; where a label sorts
        // before __name__ (an uppercase name), GoSort moves equal names exactly as Go does.
        samples.Sort(static (a, b) => a.Labels.CompareTo(b.Labels));
        var names = new string[samples.Count];
        var items = samples.ToArray();
        for (var i = 0; i < items.Length; i++)
        {
            names[i] = items[i].Labels.MetricName;
        }
        GoSort.Sort(names, items);
        return [.. items];
    }
}
