using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;

namespace Vigil.PromQL.Functions;

// Date functions (Prometheus's dateWrapper) and time()/timestamp().
public static partial class FunctionCalls
{
    // With no argument, the function applies to the step's time (whole seconds); otherwise to each sample's value read
    // as Unix seconds (Go's int64 conversion, so NaN/±Inf/huge become math.MinInt64), dropping the metric name.
    private static List<VectorSample> DateWrapper(QueryValue[] vals, EvalNodeHelper enh, Func<GoTime, double> f)
    {
        if (vals.Length == 0)
        {
            enh.Out.Add(new VectorSample(Labels.Empty, enh.Ts, f(GoTime.FromUnix(enh.Ts / 1000))));
            return enh.Out;
        }
        var vec = VectorArg(vals, 0);
        for (var i = 0; i < vec.Count; i++)
        {
            var el = vec[i];
            var t = GoTime.FromUnix(GoMath.ToInt64(el.Value));
            enh.Out.Add(new VectorSample(enh.DropMetricName(el.Metric), enh.Ts, f(t)));
        }
        return enh.Out;
    }

    private static List<VectorSample> DaysInMonth(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        DateWrapper(vals, enh, static t => t.DaysInMonth);

    private static List<VectorSample> DayOfMonth(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        DateWrapper(vals, enh, static t => t.Day);

    private static List<VectorSample> DayOfWeek(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        DateWrapper(vals, enh, static t => t.Weekday);

    private static List<VectorSample> DayOfYear(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        DateWrapper(vals, enh, static t => t.YearDay);

    private static List<VectorSample> Hour(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        DateWrapper(vals, enh, static t => t.Hour);

    private static List<VectorSample> Minute(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        DateWrapper(vals, enh, static t => t.Minute);

    private static List<VectorSample> Month(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        DateWrapper(vals, enh, static t => t.Month);

    private static List<VectorSample> Year(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        DateWrapper(vals, enh, static t => t.Year);

    private static List<VectorSample> Time(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        enh.Out.Add(new VectorSample(Labels.Empty, enh.Ts, enh.Ts / 1000.0));
        return enh.Out;
    }

    // The samples' own timestamps in seconds. For timestamp(selector) the engine must pass the selected samples with
    // their original timestamps (Prometheus evaluates the selector specially); for other arguments they are the step's.
    private static List<VectorSample> Timestamp(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var vec = VectorArg(vals, 0);
        for (var i = 0; i < vec.Count; i++)
        {
            var el = vec[i];
            enh.Out.Add(new VectorSample(enh.DropMetricName(el.Metric), enh.Ts, el.TimestampMs / 1000.0));
        }
        return enh.Out;
    }
}
