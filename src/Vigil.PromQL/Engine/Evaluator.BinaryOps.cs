using System.Text;
using Vigil.Model;
using Vigil.Model.Exposition;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Functions;
using ValueType = Vigil.PromQL.Ast.ValueType;

namespace Vigil.PromQL.Engine;

internal sealed partial class Evaluator
{
    private Matrix EvalBinary(BinaryExpr e)
    {
        var lt = e.Lhs.Type;
        var rt = e.Rhs.Type;
        if (lt == ValueType.Scalar && rt == ValueType.Scalar)
        {
            return RangeEval(null, (v, _, enh) =>
            {
                var value = ScalarBinop(e.Op, First(v[0]), First(v[1]));
                enh.Out.Add(new VectorSample(Labels.Empty, 0, value));
                return enh.Out;
            }, e.Lhs, e.Rhs);
        }
        if (lt == ValueType.Vector && rt == ValueType.Vector)
        {
            var matching = e.Matching ?? new VectorMatching
            {
                Card = e.Op.IsSetOperator() ? MatchCardinality.ManyToMany : MatchCardinality.OneToOne,
            };
            var signature = SignatureFunction(matching.On, matching.MatchingLabels);
            var state = new BinopState();
            return e.Op switch
            {
                BinaryOp.And => RangeEval(signature, (v, h, enh) => VectorAnd(Samples(v[0]), Samples(v[1]), h[0]!, h[1]!, enh), e.Lhs, e.Rhs),
                BinaryOp.Or => RangeEval(signature, (v, h, enh) => VectorOr(Samples(v[0]), Samples(v[1]), h[0]!, h[1]!, enh), e.Lhs, e.Rhs),
                BinaryOp.Unless => RangeEval(signature, (v, h, enh) => VectorUnless(Samples(v[0]), Samples(v[1]), h[0]!, h[1]!, enh), e.Lhs, e.Rhs),
                _ => RangeEval(signature, (v, h, enh) => VectorBinop(e.Op, Samples(v[0]), Samples(v[1]), matching, e.ReturnBool, h[0]!, h[1]!, enh, state), e.Lhs, e.Rhs),
            };
        }
        if (lt == ValueType.Vector && rt == ValueType.Scalar)
        {
            return RangeEval(null, (v, _, enh) => VectorScalarBinop(e.Op, Samples(v[0]), First(v[1]), swap: false, e.ReturnBool, enh), e.Lhs, e.Rhs);
        }
        return RangeEval(null, (v, _, enh) => VectorScalarBinop(e.Op, Samples(v[1]), First(v[0]), swap: true, e.ReturnBool, enh), e.Lhs, e.Rhs);
    }

    private static List<VectorSample> Samples(QueryValue value) => ((Vector)value).Samples;

    private static double First(QueryValue value) => ((Vector)value).Samples[0].Value;

    /// <summary>The join signature of a series: the <c>on</c> labels, or all but the <c>ignoring</c> labels and the name.</summary>
    private static Func<Labels, string> SignatureFunction(bool on, IReadOnlyList<string> names)
    {
        var set = new HashSet<string>(names, StringComparer.Ordinal);
        if (!on)
        {
            set.Add(Label.MetricName);
        }
        // Signatures are interned, so the per-step matching hashes references only.
        var interned = new Dictionary<string, string>(StringComparer.Ordinal);
        return labels =>
        {
            var sb = new StringBuilder();
            foreach (var label in labels.AsSpan())
            {
                if (set.Contains(label.Name) == on)
                {
                    sb.Append(label.Name).Append('\xff').Append(label.Value).Append('\xff');
                }
            }
            var key = sb.ToString();
            if (!interned.TryGetValue(key, out var same))
            {
                interned[key] = same = key;
            }
            return same;
        };
    }

    private static List<VectorSample> VectorAnd(List<VectorSample> lhs, List<VectorSample> rhs, List<string> lhsh, List<string> rhsh, EvalNodeHelper enh)
    {
        if (lhs.Count == 0 || rhs.Count == 0)
        {
            return enh.Out;
        }
        var rightSigs = new HashSet<string>(rhsh, ReferenceKeyComparer.Instance);
        for (var i = 0; i < lhs.Count; i++)
        {
            if (rightSigs.Contains(lhsh[i]))
            {
                enh.Out.Add(lhs[i]);
            }
        }
        return enh.Out;
    }

    private static List<VectorSample> VectorOr(List<VectorSample> lhs, List<VectorSample> rhs, List<string> lhsh, List<string> rhsh, EvalNodeHelper enh)
    {
        if (lhs.Count == 0)
        {
            enh.Out.AddRange(rhs);
            return enh.Out;
        }
        if (rhs.Count == 0)
        {
            enh.Out.AddRange(lhs);
            return enh.Out;
        }
        var leftSigs = new HashSet<string>(ReferenceKeyComparer.Instance);
        for (var i = 0; i < lhs.Count; i++)
        {
            leftSigs.Add(lhsh[i]);
            enh.Out.Add(lhs[i]);
        }
        for (var j = 0; j < rhs.Count; j++)
        {
            if (!leftSigs.Contains(rhsh[j]))
            {
                enh.Out.Add(rhs[j]);
            }
        }
        return enh.Out;
    }

    private static List<VectorSample> VectorUnless(List<VectorSample> lhs, List<VectorSample> rhs, List<string> lhsh, List<string> rhsh, EvalNodeHelper enh)
    {
        if (lhs.Count == 0 || rhs.Count == 0)
        {
            enh.Out.AddRange(lhs);
            return enh.Out;
        }
        var rightSigs = new HashSet<string>(rhsh, ReferenceKeyComparer.Instance);
        for (var i = 0; i < lhs.Count; i++)
        {
            if (!rightSigs.Contains(lhsh[i]))
            {
                enh.Out.Add(lhs[i]);
            }
        }
        return enh.Out;
    }

    /// <summary>Per-node state of a vector/vector operation reused across steps (Prometheus keeps it on the EvalNodeHelper).</summary>
    private sealed class BinopState
    {
        public Dictionary<string, VectorSample> RightSigs { get; } = new(ReferenceKeyComparer.Instance);

        public Dictionary<string, HashSet<Labels>?> MatchedSigs { get; } = new(ReferenceKeyComparer.Instance);

        /// <summary>Sets of result labels reused across steps (many-to-one matching).</summary>
        public Stack<HashSet<Labels>> FreeSets { get; } = new();

        /// <summary>Returns every set in <see cref="MatchedSigs"/> for reuse and clears it.</summary>
        public void ResetMatched()
        {
            foreach (var set in MatchedSigs.Values)
            {
                if (set is not null)
                {
                    set.Clear();
                    FreeSets.Push(set);
                }
            }
            MatchedSigs.Clear();
        }

        public Dictionary<(Labels, Labels), Labels> ResultMetric { get; } = [];
    }

    private static List<VectorSample> VectorBinop(
        BinaryOp op,
        List<VectorSample> lhs,
        List<VectorSample> rhs,
        VectorMatching matching,
        bool returnBool,
        List<string> lhsh,
        List<string> rhsh,
        EvalNodeHelper enh,
        BinopState state)
    {
        if (lhs.Count == 0 || rhs.Count == 0)
        {
            return enh.Out;
        }
        if (matching.Card == MatchCardinality.OneToMany)
        {
            (lhs, rhs) = (rhs, lhs);
            (lhsh, rhsh) = (rhsh, lhsh);
        }

        var rightSigs = state.RightSigs;
        rightSigs.Clear();
        for (var i = 0; i < rhs.Count; i++)
        {
            var rs = rhs[i];
            var sig = rhsh[i];
            if (rightSigs.TryGetValue(sig, out var duplicate))
            {
                var oneSide = matching.Card == MatchCardinality.OneToMany ? "left" : "right";
                var matched = MatchLabels(rs.Metric, matching.On, matching.MatchingLabels);
                throw new QueryException(
                    QueryErrorType.Execution,
                    $"found duplicate series for the match group {matched} on the {oneSide} hand-side of the operation: [{rs.Metric}, {duplicate.Metric}];many-to-many matching not allowed: matching labels must be unique on one side");
            }
            rightSigs[sig] = rs;
        }

        state.ResetMatched();
        var matchedSigs = state.MatchedSigs;
        for (var i = 0; i < lhs.Count; i++)
        {
            var ls = lhs[i];
            var sig = lhsh[i];
            if (!rightSigs.TryGetValue(sig, out var rs))
            {
                continue;
            }
            double vl = ls.Value, vr = rs.Value;
            if (matching.Card == MatchCardinality.OneToMany)
            {
                (vl, vr) = (vr, vl);
            }
            var (value, keep) = VectorElemBinop(op, vl, vr);
            if (returnBool)
            {
                value = keep ? 1.0 : 0.0;
            }
            else if (!keep)
            {
                continue;
            }
            var metric = ResultMetric(ls.Metric, rs.Metric, op, matching, state);
            if (returnBool)
            {
                metric = enh.DropMetricName(metric);
            }
            var exists = matchedSigs.TryGetValue(sig, out var inserted);
            if (matching.Card == MatchCardinality.OneToOne)
            {
                if (exists)
                {
                    throw new QueryException(QueryErrorType.Execution, "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                }
                matchedSigs[sig] = null;
            }
            else
            {
                if (!exists)
                {
                    inserted = state.FreeSets.Count > 0 ? state.FreeSets.Pop() : [];
                    matchedSigs[sig] = inserted;
                }
                else if (inserted!.Contains(metric))
                {
                    throw new QueryException(QueryErrorType.Execution, "multiple matches for labels: grouping labels must ensure unique matches");
                }
                inserted!.Add(metric);
            }
            enh.Out.Add(new VectorSample(metric, 0, value));
        }
        return enh.Out;
    }

    private static Labels MatchLabels(Labels metric, bool on, IReadOnlyList<string> names)
    {
        var set = new HashSet<string>(names, StringComparer.Ordinal);
        if (!on)
        {
            set.Add(Label.MetricName);
        }
        var b = new LabelsBuilder(metric);
        b.RemoveWhere(l => set.Contains(l.Name) != on);
        return b.ToLabels();
    }

    private static Labels ResultMetric(Labels lhs, Labels rhs, BinaryOp op, VectorMatching matching, BinopState state)
    {
        if (state.ResultMetric.TryGetValue((lhs, rhs), out var cached))
        {
            return cached;
        }
        var b = new LabelsBuilder(lhs);
        if (ShouldDropMetricName(op))
        {
            b.Remove(Label.MetricName);
        }
        if (matching.Card == MatchCardinality.OneToOne)
        {
            var names = new HashSet<string>(matching.MatchingLabels, StringComparer.Ordinal);
            if (matching.On)
            {
                b.RemoveWhere(l => !names.Contains(l.Name));
            }
            else
            {
                b.RemoveWhere(l => names.Contains(l.Name));
            }
        }
        foreach (var name in matching.Include)
        {
            // group_x labels come from the "one" side.
            var value = rhs.Get(name);
            if (value.Length > 0)
            {
                b.Set(name, value);
            }
            else
            {
                b.Remove(name);
            }
        }
        var result = b.ToLabels();
        state.ResultMetric[(lhs, rhs)] = result;
        return result;
    }

    private static bool ShouldDropMetricName(BinaryOp op) =>
        op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Div or BinaryOp.Mul or BinaryOp.Pow or BinaryOp.Mod;

    private static List<VectorSample> VectorScalarBinop(BinaryOp op, List<VectorSample> lhs, double scalar, bool swap, bool returnBool, EvalNodeHelper enh)
    {
        foreach (var sample in lhs)
        {
            double lv = sample.Value, rv = scalar;
            if (swap)
            {
                (lv, rv) = (rv, lv);
            }
            var (value, keep) = VectorElemBinop(op, lv, rv);
            // A comparison keeps the vector's value even when the scalar is on the left.
            if (op.IsComparison() && swap)
            {
                value = rv;
            }
            if (returnBool)
            {
                value = keep ? 1.0 : 0.0;
                keep = true;
            }
            if (keep)
            {
                var metric = ShouldDropMetricName(op) || returnBool ? enh.DropMetricName(sample.Metric) : sample.Metric;
                enh.Out.Add(new VectorSample(metric, sample.TimestampMs, value));
            }
        }
        return enh.Out;
    }

    /// <summary>Prometheus's <c>scalarBinop</c>: comparisons give 1 or 0.</summary>
    private static double ScalarBinop(BinaryOp op, double lhs, double rhs) => op switch
    {
        BinaryOp.Add => lhs + rhs,
        BinaryOp.Sub => lhs - rhs,
        BinaryOp.Mul => lhs * rhs,
        BinaryOp.Div => lhs / rhs,
        BinaryOp.Pow => GoMath.Pow(lhs, rhs),
        BinaryOp.Mod => GoMod(lhs, rhs),
        BinaryOp.Eql => lhs == rhs ? 1 : 0,
        BinaryOp.Neq => lhs != rhs ? 1 : 0,
        BinaryOp.Gtr => lhs > rhs ? 1 : 0,
        BinaryOp.Lss => lhs < rhs ? 1 : 0,
        BinaryOp.Gte => lhs >= rhs ? 1 : 0,
        BinaryOp.Lte => lhs <= rhs ? 1 : 0,
        BinaryOp.Atan2 => GoMath.Atan2(lhs, rhs),
        _ => throw new QueryException(QueryErrorType.Internal, $"operator \"{op.Text()}\" not allowed for scalar operations"),
    };

    /// <summary>Prometheus's <c>vectorElemBinop</c>: the value, and whether a comparison keeps the element.</summary>
    private static (double Value, bool Keep) VectorElemBinop(BinaryOp op, double lhs, double rhs) => op switch
    {
        BinaryOp.Add => (lhs + rhs, true),
        BinaryOp.Sub => (lhs - rhs, true),
        BinaryOp.Mul => (lhs * rhs, true),
        BinaryOp.Div => (lhs / rhs, true),
        BinaryOp.Pow => (GoMath.Pow(lhs, rhs), true),
        BinaryOp.Mod => (GoMod(lhs, rhs), true),
        BinaryOp.Eql => (lhs, lhs == rhs),
        BinaryOp.Neq => (lhs, lhs != rhs),
        BinaryOp.Gtr => (lhs, lhs > rhs),
        BinaryOp.Lss => (lhs, lhs < rhs),
        BinaryOp.Gte => (lhs, lhs >= rhs),
        BinaryOp.Lte => (lhs, lhs <= rhs),
        BinaryOp.Atan2 => (GoMath.Atan2(lhs, rhs), true),
        _ => throw new QueryException(QueryErrorType.Internal, $"operator \"{op.Text()}\" not allowed for operations between vectors"),
    };

    /// <summary>Go's <c>math.Mod</c>: the remainder of truncated division, with the sign of <paramref name="x"/> (C#'s <c>%</c> on doubles is the same).</summary>
    private static double GoMod(double x, double y) => x % y;

    private static string FormatScalar(double value) => GoFloat.Format(value);
}
