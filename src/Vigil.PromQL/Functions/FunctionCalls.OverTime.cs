using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;

namespace Vigil.PromQL.Functions;

// The *_over_time functions, changes and resets, and the quantile shared with the quantile aggregation.
public static partial class FunctionCalls
{
    private static List<VectorSample> AvgOverTime(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var points = MatrixArg(vals, 0);
        if (points.Count == 0)
        {
            return enh.Out;
        }
        double mean = 0, count = 0, c = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var v = points[i].Value;
            count++;
            if (double.IsInfinity(mean))
            {
                if (double.IsInfinity(v) && (mean > 0) == (v > 0))
                {
                    // Infinities of the same sign cannot be subtracted, but the mean is already right.
                    continue;
                }
                if (!double.IsInfinity(v) && !double.IsNaN(v))
                {
                    // An infinite mean stays infinite when a finite value arrives (the update would give Inf - Inf).
                    continue;
                }
            }
            (mean, c) = KahanSumInc((v / count) - (mean / count), mean, c);
        }
        return AppendValue(enh, double.IsInfinity(mean) ? mean : mean + c);
    }

    private static List<VectorSample> CountOverTime(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var points = MatrixArg(vals, 0);
        return points.Count == 0 ? enh.Out : AppendValue(enh, points.Count);
    }

    // last_over_time keeps the metric name: the engine attaches the series' full labels for this function.
    private static List<VectorSample> LastOverTime(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var series = ((Matrix)vals[0]).Series[0];
        if (series.Points.Count == 0)
        {
            return enh.Out;
        }
        enh.Out.Add(new VectorSample(series.Metric, enh.Ts, series.Points[^1].Value));
        return enh.Out;
    }

    private static List<VectorSample> MaxOverTime(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var points = MatrixArg(vals, 0);
        if (points.Count == 0)
        {
            return enh.Out;
        }
        var max = points[0].Value;
        for (var i = 0; i < points.Count; i++)
        {
            var v = points[i].Value;
            if (v > max || double.IsNaN(max))
            {
                max = v;
            }
        }
        return AppendValue(enh, max);
    }

    private static List<VectorSample> MinOverTime(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var points = MatrixArg(vals, 0);
        if (points.Count == 0)
        {
            return enh.Out;
        }
        var min = points[0].Value;
        for (var i = 0; i < points.Count; i++)
        {
            var v = points[i].Value;
            if (v < min || double.IsNaN(min))
            {
                min = v;
            }
        }
        return AppendValue(enh, min);
    }

    private static List<VectorSample> SumOverTime(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var points = MatrixArg(vals, 0);
        if (points.Count == 0)
        {
            return enh.Out;
        }
        double sum = 0, c = 0;
        for (var i = 0; i < points.Count; i++)
        {
            (sum, c) = KahanSumInc(points[i].Value, sum, c);
        }
        return AppendValue(enh, double.IsInfinity(sum) ? sum : sum + c);
    }

    private static List<VectorSample> QuantileOverTime(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var q = ScalarArg(vals, 0);
        var points = MatrixArg(vals, 1);
        if (points.Count == 0)
        {
            return enh.Out;
        }
        var values = new List<double>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            values.Add(points[i].Value);
        }
        return AppendValue(enh, Quantile(q, values));
    }

    private static List<VectorSample> StddevOverTime(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var points = MatrixArg(vals, 0);
        return points.Count == 0 ? enh.Out : AppendValue(enh, Math.Sqrt(Variance(points)));
    }

    private static List<VectorSample> StdvarOverTime(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var points = MatrixArg(vals, 0);
        return points.Count == 0 ? enh.Out : AppendValue(enh, Variance(points));
    }

    // Welford's online variance with Kahan-compensated mean and sum of squares.
    private static double Variance(List<Sample> points)
    {
        double count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var v = points[i].Value;
            count++;
            var delta = v - (mean + cMean);
            (mean, cMean) = KahanSumInc(delta / count, mean, cMean);
            (aux, cAux) = KahanSumInc(delta * (v - (mean + cMean)), aux, cAux);
        }
        return (aux + cAux) / count;
    }

    private static List<VectorSample> PresentOverTime(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var points = MatrixArg(vals, 0);
        return points.Count == 0 ? enh.Out : AppendValue(enh, 1);
    }

    private static List<VectorSample> Changes(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var points = MatrixArg(vals, 0);
        if (points.Count == 0)
        {
            return enh.Out;
        }
        var changes = 0;
        var prev = points[0].Value;
        for (var i = 1; i < points.Count; i++)
        {
            var current = points[i].Value;
            if (current != prev && !(double.IsNaN(current) && double.IsNaN(prev)))
            {
                changes++;
            }
            prev = current;
        }
        return AppendValue(enh, changes);
    }

    private static List<VectorSample> Resets(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var points = MatrixArg(vals, 0);
        if (points.Count == 0)
        {
            return enh.Out;
        }
        var resets = 0;
        var prev = points[0].Value;
        for (var i = 1; i < points.Count; i++)
        {
            var current = points[i].Value;
            if (current < prev)
            {
                resets++;
            }
            prev = current;
        }
        return AppendValue(enh, resets);
    }

    /// <summary>
    /// Prometheus's <c>quantile</c>, shared by <c>quantile_over_time</c> and the <c>quantile</c> aggregation: the
    /// φ-quantile by linear interpolation between the two nearest ranks. NaN for no values or a NaN φ; -Inf for
    /// φ &lt; 0 and +Inf for φ &gt; 1. Sorts <paramref name="values"/> in place (NaN first, as Prometheus's
    /// <c>vectorByValueHeap</c> orders them).
    /// </summary>
    /// <param name="q">The quantile, 0 ≤ φ ≤ 1.</param>
    /// <param name="values">The values; reordered.</param>
    /// <returns>The quantile.</returns>
    public static double Quantile(double q, List<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0 || double.IsNaN(q))
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
        values.Sort(CompareNaNFirst);
        var n = (double)values.Count;
        // When the quantile lies between two samples, use a weighted average of the two.
        var rank = q * (n - 1);
        var lowerIndex = Math.Max(0, Math.Floor(rank));
        var upperIndex = Math.Min(n - 1, lowerIndex + 1);
        var weight = rank - Math.Floor(rank);
        return (values[(int)lowerIndex] * (1 - weight)) + (values[(int)upperIndex] * weight);
    }

    // Ascending, NaN before everything (Prometheus's vectorByValueHeap.Less).
    private static int CompareNaNFirst(double a, double b)
    {
        if (double.IsNaN(a))
        {
            return double.IsNaN(b) ? 0 : -1;
        }
        if (double.IsNaN(b))
        {
            return 1;
        }
        return a.CompareTo(b);
    }
}
