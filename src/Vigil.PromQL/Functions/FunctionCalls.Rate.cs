using System.Globalization;
using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;

namespace Vigil.PromQL.Functions;

// rate, increase, delta (extrapolatedRate), irate, idelta (instantValue), deriv, predict_linear (linearRegression),
// holt_winters.
public static partial class FunctionCalls
{
    private static List<VectorSample> Rate(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        ExtrapolatedRate(vals, args, enh, isCounter: true, isRate: true);

    private static List<VectorSample> Increase(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        ExtrapolatedRate(vals, args, enh, isCounter: true, isRate: false);

    private static List<VectorSample> Delta(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        ExtrapolatedRate(vals, args, enh, isCounter: false, isRate: false);

    private static List<VectorSample> Irate(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        InstantValue(vals, enh, isRate: true);

    private static List<VectorSample> Idelta(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        InstantValue(vals, enh, isRate: false);

    /// <summary>
    /// The range and offset of a range-vector argument, as <c>extrapolatedRate</c> reads them from the
    /// <see cref="MatrixSelector"/> (the engine substitutes an equivalent selector for a subquery).
    /// </summary>
    private static MatrixSelector MatrixSelectorArg(IReadOnlyList<Expr> args, int i)
    {
        var e = args[i];
        while (true)
        {
            switch (e)
            {
                case MatrixSelector m:
                    return m;
                case StepInvariantExpr s:
                    e = s.Inner;
                    continue;
                case ParenExpr p:
                    e = p.Inner;
                    continue;
                default:
                    throw new InvalidOperationException($"argument {i} is not a matrix selector: {e}");
            }
        }
    }

    /// <summary>Go's <c>time.Duration.Seconds()</c> for a duration given in milliseconds.</summary>
    internal static double DurationSeconds(long ms)
    {
        var ns = ms * 1_000_000;
        var sec = ns / 1_000_000_000;
        var nsec = ns % 1_000_000_000;
        return sec + (nsec / 1e9);
    }

    // Prometheus's extrapolatedRate: the increase between the first and last sample (with counter resets
    // compensated), extrapolated towards the window's ends when samples are close enough to them.
    private static List<VectorSample> ExtrapolatedRate(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh, bool isCounter, bool isRate)
    {
        var ms = MatrixSelectorArg(args, 0);
        var points = MatrixArg(vals, 0);
        var rangeStart = enh.Ts - (ms.RangeMs + ms.Selector.OffsetMs);
        var rangeEnd = enh.Ts - ms.Selector.OffsetMs;

        // No sense in trying to compute a rate without at least two points.
        if (points.Count < 2)
        {
            return enh.Out;
        }
        var first = points[0];
        var last = points[^1];
        var resultValue = last.Value - first.Value;
        if (isCounter)
        {
            var prev = first.Value;
            for (var i = 1; i < points.Count; i++)
            {
                var cur = points[i].Value;
                if (cur < prev)
                {
                    resultValue += prev;
                }
                prev = cur;
            }
        }

        // Duration between first/last samples and boundary of range.
        var durationToStart = (first.TimestampMs - rangeStart) / 1000.0;
        var durationToEnd = (rangeEnd - last.TimestampMs) / 1000.0;
        var sampledInterval = (last.TimestampMs - first.TimestampMs) / 1000.0;
        var averageDurationBetweenSamples = sampledInterval / (points.Count - 1);

        if (isCounter && resultValue > 0 && first.Value >= 0)
        {
            // Counters cannot be negative: when the zero point is closer than the range start, extrapolate only to it.
            var durationToZero = sampledInterval * (first.Value / resultValue);
            if (durationToZero < durationToStart)
            {
                durationToStart = durationToZero;
            }
        }

        // Extrapolate to a boundary only when the first/last sample is within 110% of the average interval of it;
        // otherwise assume the series starts/ends half an interval beyond the samples.
        var extrapolationThreshold = averageDurationBetweenSamples * 1.1;
        var extrapolateToInterval = sampledInterval;
        extrapolateToInterval += durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
        extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
        // One factor, then one multiplication (Prometheus 2.40+): rate = increase * (factor / range), not increase / range.
        var factor = extrapolateToInterval / sampledInterval;
        if (isRate)
        {
            factor /= DurationSeconds(ms.RangeMs);
        }
        return AppendValue(enh, resultValue * factor);
    }

    // Prometheus's instantValue: irate/idelta from the last two samples.
    private static List<VectorSample> InstantValue(QueryValue[] vals, EvalNodeHelper enh, bool isRate)
    {
        var points = MatrixArg(vals, 0);
        if (points.Count < 2)
        {
            return enh.Out;
        }
        var lastSample = points[^1];
        var previousSample = points[^2];
        var resultValue = isRate && lastSample.Value < previousSample.Value
            ? lastSample.Value // Counter reset.
            : lastSample.Value - previousSample.Value;
        var sampledInterval = lastSample.TimestampMs - previousSample.TimestampMs;
        if (sampledInterval == 0)
        {
            return enh.Out;
        }
        if (isRate)
        {
            resultValue /= sampledInterval / 1000.0;
        }
        return AppendValue(enh, resultValue);
    }

    private static List<VectorSample> Deriv(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var points = MatrixArg(vals, 0);
        if (points.Count < 2)
        {
            return enh.Out;
        }
        // An intercept time near the samples avoids floating-point accuracy issues (prometheus#2674).
        var (slope, _) = LinearRegression(points, points[0].TimestampMs);
        return AppendValue(enh, slope);
    }

    private static List<VectorSample> PredictLinear(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var points = MatrixArg(vals, 0);
        var duration = ScalarArg(vals, 1);
        if (points.Count < 2)
        {
            return enh.Out;
        }
        var (slope, intercept) = LinearRegression(points, enh.Ts);
        return AppendValue(enh, (slope * duration) + intercept);
    }

    // Least-squares regression with Kahan-compensated sums; returns the slope and the value at interceptTime.
    private static (double Slope, double Intercept) LinearRegression(List<Sample> samples, long interceptTime)
    {
        double n = 0, sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
        var initY = samples[0].Value;
        var constY = true;
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            if (constY && i > 0 && sample.Value != initY)
            {
                constY = false;
            }
            n += 1.0;
            var x = (sample.TimestampMs - interceptTime) / 1e3;
            (sumX, cX) = KahanSumInc(x, sumX, cX);
            (sumY, cY) = KahanSumInc(sample.Value, sumY, cY);
            (sumXY, cXY) = KahanSumInc(x * sample.Value, sumXY, cXY);
            (sumX2, cX2) = KahanSumInc(x * x, sumX2, cX2);
        }
        if (constY)
        {
            return double.IsInfinity(initY) ? (double.NaN, double.NaN) : (0, initY);
        }
        sumX += cX;
        sumY += cY;
        sumXY += cXY;
        sumX2 += cX2;
        var covXY = sumXY - (sumX * sumY / n);
        var varX = sumX2 - (sumX * sumX / n);
        var slope = covXY / varX;
        var intercept = (sumY / n) - (slope * sumX / n);
        return (slope, intercept);
    }

    /// <summary>
    /// One step of Prometheus's Neumaier-improved Kahan summation (<c>kahanSumInc</c>): adds <paramref name="inc"/> to
    /// <paramref name="sum"/> and accumulates the lost low-order bits in <paramref name="c"/>. The final value is
    /// <c>sum + c</c> (or just <c>sum</c> when it is infinite).
    /// </summary>
    /// <param name="inc">The value to add.</param>
    /// <param name="sum">The running sum.</param>
    /// <param name="c">The running compensation.</param>
    /// <returns>The new sum and compensation.</returns>
    public static (double Sum, double C) KahanSumInc(double inc, double sum, double c)
    {
        var t = sum + inc;
        // Neumaier: compensate with whichever of sum and inc is larger in magnitude.
        if (Math.Abs(sum) >= Math.Abs(inc))
        {
            c += (sum - t) + inc;
        }
        else
        {
            c += (inc - t) + sum;
        }
        return (t, c);
    }

    // Double exponential smoothing ("Holt-Winters" in PromQL): sf smooths the level, tf the trend.
    private static List<VectorSample> HoltWinters(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var points = MatrixArg(vals, 0);
        var sf = ScalarArg(vals, 1);
        var tf = ScalarArg(vals, 2);
        if (sf <= 0 || sf >= 1)
        {
            throw new QueryException(QueryErrorType.Execution, "invalid smoothing factor. Expected: 0 < sf < 1, got: " + GoFormatF(sf));
        }
        if (tf <= 0 || tf >= 1)
        {
            throw new QueryException(QueryErrorType.Execution, "invalid trend factor. Expected: 0 < tf < 1, got: " + GoFormatF(tf));
        }
        var l = points.Count;
        if (l < 2)
        {
            return enh.Out;
        }
        double s0 = 0;
        var s1 = points[0].Value;
        var b = points[1].Value - points[0].Value;
        for (var i = 1; i < l; i++)
        {
            var x = sf * points[i].Value;
            // calcTrendValue(i-1, tf, s0, s1, b): the initial trend stands for the first step.
            if (i - 1 != 0)
            {
                b = (tf * (s1 - s0)) + ((1 - tf) * b);
            }
            var y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        return AppendValue(enh, s1);
    }

    // Go's fmt %f: six decimals, and "+Inf", "-Inf", "NaN" for the non-finite values.
    private static string GoFormatF(double v) => v switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(v) => "NaN",
        _ => v.ToString("F6", CultureInfo.InvariantCulture),
    };
}
