using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;

namespace Vigil.PromQL.Functions;

// histogram_quantile over classic `le` buckets, and the native-histogram functions (which see no float samples).
public static partial class FunctionCalls
{
    private const string BucketLabel = "le";
    private const string HistogramGroupsKey = "histogram_quantile.groups";

    /// <summary>One classic histogram bucket: its upper bound and cumulative count.</summary>
    /// <param name="UpperBound">The bucket's <c>le</c>.</param>
    /// <param name="Count">The cumulative count of observations ≤ <paramref name="UpperBound"/>.</param>
    public readonly record struct Bucket(double UpperBound, double Count);

    // Per node: the groups in order of first appearance, and each input label set's group, reused across steps.
    private sealed class HistogramGroups
    {
        public readonly Dictionary<Labels, int> ByGroupKey = [];
        public readonly Dictionary<Labels, int> ByInput = [];
        public readonly List<(Labels Metric, List<Bucket> Buckets)> Groups = [];
    }

    private static List<VectorSample> HistogramQuantile(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var q = ScalarArg(vals, 0);
        var inVec = VectorArg(vals, 1);
        if (!enh.Cache.TryGetValue(HistogramGroupsKey, out var cached))
        {
            cached = new HistogramGroups();
            enh.Cache[HistogramGroupsKey] = cached;
        }
        var state = (HistogramGroups)cached;
        foreach (var g in state.Groups)
        {
            g.Buckets.Clear();
        }
        for (var i = 0; i < inVec.Count; i++)
        {
            var el = inVec[i];
            if (!GoParseFloat.TryParse(el.Metric.Get(BucketLabel), out var upperBound))
            {
                // No bucket label or a malformed one: skip the sample.
                continue;
            }
            if (!state.ByInput.TryGetValue(el.Metric, out var group))
            {
                // Grouped by every label but `le`; the metric name stays in the key so that two histograms with the
                // same other labels are not combined (prometheus#9910), but not in the output.
                var key = new LabelsBuilder(el.Metric).Remove(BucketLabel).ToLabels();
                if (!state.ByGroupKey.TryGetValue(key, out group))
                {
                    group = state.Groups.Count;
                    state.Groups.Add((key.WithoutMetricName(), []));
                    state.ByGroupKey[key] = group;
                }
                state.ByInput[el.Metric] = group;
            }
            state.Groups[group].Buckets.Add(new Bucket(upperBound, el.Value));
        }
        foreach (var (metric, buckets) in state.Groups)
        {
            if (buckets.Count > 0)
            {
                enh.Out.Add(new VectorSample(metric, enh.Ts, BucketQuantile(q, buckets)));
            }
        }
        return enh.Out;
    }

    /// <summary>
    /// Prometheus's <c>bucketQuantile</c>: the φ-quantile of a classic histogram by linear interpolation inside the
    /// bucket holding the rank. NaN for a NaN φ, without a +Inf bucket, with fewer than two buckets or no
    /// observations; -Inf for φ &lt; 0 and +Inf for φ &gt; 1. Buckets with the same bound are merged and counts are
    /// made monotonic first. When the rank falls into the +Inf bucket the second-highest bound is returned; when it
    /// falls into the lowest bucket and that bound is ≤ 0, that bound. Sorts and rewrites <paramref name="buckets"/>.
    /// </summary>
    /// <param name="q">The quantile.</param>
    /// <param name="buckets">The buckets in any order; reordered, merged and made monotonic in place.</param>
    /// <returns>The estimated quantile.</returns>
    public static double BucketQuantile(double q, List<Bucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (double.IsNaN(q))
        {
            return double.NaN;
        }
        if (q < 0)
        {
            return double.NegativeInfinity;
        }
        if (q > 1)
        {
            return double.PositiveInfinity;
        }
        buckets.Sort(static (a, b) => a.UpperBound.CompareTo(b.UpperBound));
        if (!double.IsPositiveInfinity(buckets[^1].UpperBound))
        {
            return double.NaN;
        }
        CoalesceBuckets(buckets);
        EnsureMonotonic(buckets);
        if (buckets.Count < 2)
        {
            return double.NaN;
        }
        var observations = buckets[^1].Count;
        if (observations == 0)
        {
            return double.NaN;
        }
        var rank = q * observations;
        // sort.Search over all but the +Inf bucket: the first bucket whose count reaches the rank.
        int lo = 0, hi = buckets.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (!(buckets[mid].Count >= rank))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        var b = lo;
        if (b == buckets.Count - 1)
        {
            return buckets[^2].UpperBound;
        }
        if (b == 0 && buckets[0].UpperBound <= 0)
        {
            return buckets[0].UpperBound;
        }
        double bucketStart = 0;
        var bucketEnd = buckets[b].UpperBound;
        var count = buckets[b].Count;
        if (b > 0)
        {
            bucketStart = buckets[b - 1].UpperBound;
            count -= buckets[b - 1].Count;
            rank -= buckets[b - 1].Count;
        }
        return bucketStart + ((bucketEnd - bucketStart) * (rank / count));
    }

    // Merges buckets with the same upper bound (e.g. `le="1"` and `le="1.0"`) by adding their counts.
    private static void CoalesceBuckets(List<Bucket> buckets)
    {
        var last = buckets[0];
        var i = 0;
        for (var j = 1; j < buckets.Count; j++)
        {
            var b = buckets[j];
            if (b.UpperBound == last.UpperBound)
            {
                last = last with { Count = last.Count + b.Count };
            }
            else
            {
                buckets[i] = last;
                last = b;
                i++;
            }
        }
        buckets[i] = last;
        buckets.RemoveRange(i + 1, buckets.Count - (i + 1));
    }

    // Counts must not decrease with the bound (scrapes are not atomic): lower ones are raised to the maximum so far.
    private static void EnsureMonotonic(List<Bucket> buckets)
    {
        var max = double.NegativeInfinity;
        for (var i = 0; i < buckets.Count; i++)
        {
            if (buckets[i].Count > max)
            {
                max = buckets[i].Count;
            }
            else if (buckets[i].Count < max)
            {
                buckets[i] = buckets[i] with { Count = max };
            }
        }
    }

    // Native histograms do not exist in Vigil (nor in Prometheus 2.42's float samples): these see only floats, which
    // they skip, so they return nothing.
    private static List<VectorSample> HistogramCount(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => enh.Out;

    private static List<VectorSample> HistogramSum(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => enh.Out;

    private static List<VectorSample> HistogramFraction(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => enh.Out;
}
