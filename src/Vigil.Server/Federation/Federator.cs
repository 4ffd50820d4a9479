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
/// is a stale marker are left out (the exposition formats cannot carry one). The result is ordered by metric name
/// and, within a name, by labels.
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
        // Series sets come sorted by labels; Prometheus then sorts by metric name alone (sort.Sort(byName)), which
        // leaves that order as it is whenever __name__ is each series' first label (see docs/long-term-storage.md).
        samples.Sort(static (a, b) => a.Labels.CompareTo(b.Labels));
        var byName = samples.OrderBy(s => s.Labels.MetricName, StringComparer.Ordinal).ToList();
        return byName;
    }
}
