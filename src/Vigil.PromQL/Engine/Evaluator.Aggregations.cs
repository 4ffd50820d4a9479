using System.Text;
using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Functions;

namespace Vigil.PromQL.Engine;

internal sealed partial class Evaluator
{
    private Matrix EvalAggregate(AggregateExpr e)
    {
        var grouping = new List<string>(e.Grouping);
        grouping.Sort(StringComparer.Ordinal);
        var without = e.Without;

        // Keys are computed once per input series and interned, so the per-step grouping hashes references only.
        var interned = new Dictionary<string, string>(StringComparer.Ordinal);
        Func<Labels, string> groupingKey = labels =>
        {
            var key = GroupingKey(labels, grouping, without);
            if (!interned.TryGetValue(key, out var same))
            {
                interned[key] = same = key;
            }
            return same;
        };
        var groups = new Dictionary<string, Group>(ReferenceKeyComparer.Instance);

        if (e.Param is { } param && Unparen(param) is StringLiteral label)
        {
            // count_values changes the labels per sample, so its keys are compared by value.
            var byValue = new Dictionary<string, Group>(StringComparer.Ordinal);
            return RangeEval(groupingKey, (v, h, enh) => Aggregation(e.Op, grouping, without, 0, label.Value, Samples(v[0]), h[0]!, enh, byValue), e.Body);
        }
        return RangeEval(groupingKey, (v, h, enh) =>
        {
            var p = e.Param is not null ? First(v[0]) : 0;
            return Aggregation(e.Op, grouping, without, p, null, Samples(v[1]), h[1]!, enh, groups);
        }, e.Param, e.Body);
    }

    /// <summary>Compares interned keys by reference.</summary>
    private sealed class ReferenceKeyComparer : IEqualityComparer<string>
    {
        public static readonly ReferenceKeyComparer Instance = new();

        public bool Equals(string? x, string? y) => ReferenceEquals(x, y);

        public int GetHashCode(string obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }

    /// <summary>The key a series is grouped by: its <c>by</c> labels, or all but its <c>without</c> labels and the name.</summary>
    private static string GroupingKey(Labels labels, List<string> grouping, bool without)
    {
        if (!without && grouping.Count == 0)
        {
            return string.Empty;
        }
        var sb = new StringBuilder();
        foreach (var l in labels.AsSpan())
        {
            var listed = grouping.BinarySearch(l.Name, StringComparer.Ordinal) >= 0;
            var include = without ? !listed && l.Name != Label.MetricName : listed;
            if (include)
            {
                sb.Append(l.Name).Append('\xff').Append(l.Value).Append('\xff');
            }
        }
        return sb.ToString();
    }

    private sealed class Group
    {
        public required Labels Labels { get; init; }

        public double Value { get; set; }

        public double Mean { get; set; }

        public long GroupCount { get; set; }

        public List<VectorSample>? Heap { get; set; }

        public List<double>? Values { get; set; }
    }

    private static List<VectorSample> Aggregation(
        AggregateOp op, List<string> grouping, bool without, double param, string? valueLabel,
        List<VectorSample> vec, List<string> seriesHelper, EvalNodeHelper enh, Dictionary<string, Group> result)
    {
        result.Clear();
        var ordered = new List<Group>();
        long k = 0;
        if (op is AggregateOp.TopK or AggregateOp.BottomK)
        {
            if (!(param <= 9223372036854774784.0 && param >= -9223372036854775808.0))
            {
                throw new QueryException(QueryErrorType.Execution, $"Scalar value {FormatScalar(param)} overflows int64");
            }
            k = (long)param;
            if (k < 1)
            {
                return enh.Out;
            }
        }
        var q = op == AggregateOp.Quantile ? param : 0;
        var recomputeGroupingKey = false;
        if (op == AggregateOp.CountValues)
        {
            if (!LabelText.IsValidLabelName(valueLabel!))
            {
                throw new QueryException(QueryErrorType.Execution, $"invalid label name {LabelText.Quote(valueLabel!)}");
            }
            if (!without)
            {
                grouping = [.. grouping, valueLabel!];
                grouping.Sort(StringComparer.Ordinal);
            }
            recomputeGroupingKey = true;
        }

        var builder = new LabelsBuilder();
        for (var si = 0; si < vec.Count; si++)
        {
            var s = vec[si];
            var metric = s.Metric;
            if (op == AggregateOp.CountValues)
            {
                metric = builder.Reset(metric).Set(valueLabel!, Model.Exposition.GoFloat.FormatFixed(s.Value)).ToLabels();
            }
            var key = recomputeGroupingKey ? GroupingKey(metric, grouping, without) : seriesHelper[si];
            if (!result.TryGetValue(key, out var group))
            {
                Labels m;
                if (without)
                {
                    builder.Reset(metric);
                    foreach (var name in grouping)
                    {
                        builder.Remove(name);
                    }
                    builder.Remove(Label.MetricName);
                    m = builder.ToLabels();
                }
                else if (grouping.Count > 0)
                {
                    builder.Reset(metric);
                    builder.RemoveWhere(l => grouping.BinarySearch(l.Name, StringComparer.Ordinal) < 0);
                    m = builder.ToLabels();
                }
                else
                {
                    m = Labels.Empty;
                }
                group = new Group { Labels = m, Value = s.Value, Mean = s.Value, GroupCount = 1 };
                result[key] = group;
                ordered.Add(group);
                switch (op)
                {
                    case AggregateOp.Stdvar or AggregateOp.Stddev:
                        group.Value = 0;
                        break;
                    case AggregateOp.TopK or AggregateOp.BottomK:
                        group.Heap = [s];
                        break;
                    case AggregateOp.Quantile:
                        group.Values = [s.Value];
                        break;
                    case AggregateOp.Group:
                        group.Value = 1;
                        break;
                }
                continue;
            }

            switch (op)
            {
                case AggregateOp.Sum:
                    group.Value += s.Value;
                    break;
                case AggregateOp.Avg:
                    group.GroupCount++;
                    if (double.IsInfinity(group.Mean))
                    {
                        if (double.IsInfinity(s.Value) && (group.Mean > 0) == (s.Value > 0))
                        {
                            // Infinities of the same sign: the mean is already right and subtracting would give NaN.
                            break;
                        }
                        if (!double.IsInfinity(s.Value) && !double.IsNaN(s.Value))
                        {
                            // An infinite mean stays infinite when a finite value is added.
                            break;
                        }
                    }
                    // Divide each side of the subtraction by the count to avoid overflow.
                    group.Mean += (s.Value / group.GroupCount) - (group.Mean / group.GroupCount);
                    break;
                case AggregateOp.Group:
                    break;
                case AggregateOp.Max:
                    if (group.Value < s.Value || double.IsNaN(group.Value))
                    {
                        group.Value = s.Value;
                    }
                    break;
                case AggregateOp.Min:
                    if (group.Value > s.Value || double.IsNaN(group.Value))
                    {
                        group.Value = s.Value;
                    }
                    break;
                case AggregateOp.Count or AggregateOp.CountValues:
                    group.GroupCount++;
                    break;
                case AggregateOp.Stdvar or AggregateOp.Stddev:
                    {
                        group.GroupCount++;
                        var delta = s.Value - group.Mean;
                        group.Mean += delta / group.GroupCount;
                        group.Value += delta * (s.Value - group.Mean);
                        break;
                    }
                case AggregateOp.TopK:
                    PushBounded(group.Heap!, s, k, TopKLess);
                    break;
                case AggregateOp.BottomK:
                    PushBounded(group.Heap!, s, k, BottomKLess);
                    break;
                case AggregateOp.Quantile:
                    group.Values!.Add(s.Value);
                    break;
            }
        }

        foreach (var group in ordered)
        {
            switch (op)
            {
                case AggregateOp.Avg:
                    group.Value = group.Mean;
                    break;
                case AggregateOp.Count or AggregateOp.CountValues:
                    group.Value = group.GroupCount;
                    break;
                case AggregateOp.Stdvar:
                    group.Value /= group.GroupCount;
                    break;
                case AggregateOp.Stddev:
                    group.Value = Math.Sqrt(group.Value / group.GroupCount);
                    break;
                case AggregateOp.TopK or AggregateOp.BottomK:
                    {
                        // The heap keeps the weakest element on top; output strongest first.
                        var less = op == AggregateOp.TopK ? TopKLess : BottomKLess;
                        var heap = group.Heap!;
                        heap.Sort((a, b) =>
                        {
                            bool ab = less(a, b), ba = less(b, a);
                            return ba && !ab ? -1 : ab && !ba ? 1 : 0;
                        });
                        foreach (var v in heap)
                        {
                            enh.Out.Add(new VectorSample(v.Metric, 0, v.Value));
                        }
                        continue;
                    }
                case AggregateOp.Quantile:
                    group.Value = FunctionCalls.Quantile(q, group.Values!);
                    break;
            }
            enh.Out.Add(new VectorSample(group.Labels, 0, group.Value));
        }
        return enh.Out;
    }

    private static readonly Func<VectorSample, VectorSample, bool> TopKLess = (a, b) => double.IsNaN(a.Value) || a.Value < b.Value;

    private static readonly Func<VectorSample, VectorSample, bool> BottomKLess = (a, b) => double.IsNaN(a.Value) || a.Value > b.Value;

    /// <summary>Keeps the <paramref name="k"/> strongest samples in a Go-style binary heap whose root is the weakest.</summary>
    private static void PushBounded(List<VectorSample> heap, VectorSample s, long k, Func<VectorSample, VectorSample, bool> less)
    {
        if (heap.Count < k || less(heap[0], s) || double.IsNaN(heap[0].Value))
        {
            if (heap.Count == k)
            {
                if (k == 1)
                {
                    heap[0] = s;
                    return;
                }
                HeapPop(heap, less);
            }
            heap.Add(s);
            HeapUp(heap, heap.Count - 1, less);
        }
    }

    private static void HeapPop(List<VectorSample> h, Func<VectorSample, VectorSample, bool> less)
    {
        var n = h.Count - 1;
        (h[0], h[n]) = (h[n], h[0]);
        HeapDown(h, 0, n, less);
        h.RemoveAt(n);
    }

    private static void HeapUp(List<VectorSample> h, int j, Func<VectorSample, VectorSample, bool> less)
    {
        while (true)
        {
            var i = (j - 1) / 2;
            if (i == j || !less(h[j], h[i]))
            {
                break;
            }
            (h[i], h[j]) = (h[j], h[i]);
            j = i;
        }
    }

    private static void HeapDown(List<VectorSample> h, int i0, int n, Func<VectorSample, VectorSample, bool> less)
    {
        var i = i0;
        while (true)
        {
            var j1 = (2 * i) + 1;
            if (j1 >= n || j1 < 0)
            {
                break;
            }
            var j = j1;
            var j2 = j1 + 1;
            if (j2 < n && less(h[j2], h[j1]))
            {
                j = j2;
            }
            if (!less(h[j], h[i]))
            {
                break;
            }
            (h[i], h[j]) = (h[j], h[i]);
            i = j;
        }
    }
}
