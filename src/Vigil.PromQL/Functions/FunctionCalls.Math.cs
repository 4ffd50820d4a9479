using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;

namespace Vigil.PromQL.Functions;

// Per-sample math (Prometheus's simpleFunc family), clamp, round, sgn, deg/rad and pi. Every one drops the metric
// name. Transcendental functions use GoMath, so results are Go's bits, not glibc's.
public static partial class FunctionCalls
{
    private static List<VectorSample> SimpleFunc(QueryValue[] vals, EvalNodeHelper enh, Func<double, double> f)
    {
        var vec = VectorArg(vals, 0);
        for (var i = 0; i < vec.Count; i++)
        {
            var el = vec[i];
            enh.Out.Add(new VectorSample(enh.DropMetricName(el.Metric), enh.Ts, f(el.Value)));
        }
        return enh.Out;
    }

    private static List<VectorSample> Abs(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, Math.Abs);

    private static List<VectorSample> Ceil(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, Math.Ceiling);

    private static List<VectorSample> Floor(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, Math.Floor);

    private static List<VectorSample> Exp(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Exp);

    private static List<VectorSample> Sqrt(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, Math.Sqrt);

    private static List<VectorSample> Ln(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Log);

    private static List<VectorSample> Log2(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Log2);

    private static List<VectorSample> Log10(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Log10);

    private static List<VectorSample> Sin(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Sin);

    private static List<VectorSample> Cos(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Cos);

    private static List<VectorSample> Tan(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Tan);

    private static List<VectorSample> Asin(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Asin);

    private static List<VectorSample> Acos(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Acos);

    private static List<VectorSample> Atan(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Atan);

    private static List<VectorSample> Sinh(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Sinh);

    private static List<VectorSample> Cosh(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Cosh);

    private static List<VectorSample> Tanh(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Tanh);

    private static List<VectorSample> Asinh(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Asinh);

    private static List<VectorSample> Acosh(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Acosh);

    private static List<VectorSample> Atanh(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) => SimpleFunc(vals, enh, GoMath.Atanh);

    private static List<VectorSample> Rad(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        SimpleFunc(vals, enh, static v => v * Math.PI / 180);

    private static List<VectorSample> Deg(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        SimpleFunc(vals, enh, static v => v * 180 / Math.PI);

    private static List<VectorSample> Sgn(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        SimpleFunc(vals, enh, static v => v < 0 ? -1 : v > 0 ? 1 : v);

    private static List<VectorSample> Pi(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        enh.Out.Add(new VectorSample(Vigil.Model.Labels.Empty, enh.Ts, Math.PI));
        return enh.Out;
    }

    private static List<VectorSample> Clamp(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var vec = VectorArg(vals, 0);
        var min = ScalarArg(vals, 1);
        var max = ScalarArg(vals, 2);
        if (max < min)
        {
            return enh.Out;
        }
        for (var i = 0; i < vec.Count; i++)
        {
            var el = vec[i];
            enh.Out.Add(new VectorSample(enh.DropMetricName(el.Metric), enh.Ts, GoMath.Max(min, GoMath.Min(max, el.Value))));
        }
        return enh.Out;
    }

    private static List<VectorSample> ClampMax(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var vec = VectorArg(vals, 0);
        var max = ScalarArg(vals, 1);
        for (var i = 0; i < vec.Count; i++)
        {
            var el = vec[i];
            enh.Out.Add(new VectorSample(enh.DropMetricName(el.Metric), enh.Ts, GoMath.Min(max, el.Value)));
        }
        return enh.Out;
    }

    private static List<VectorSample> ClampMin(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var vec = VectorArg(vals, 0);
        var min = ScalarArg(vals, 1);
        for (var i = 0; i < vec.Count; i++)
        {
            var el = vec[i];
            enh.Out.Add(new VectorSample(enh.DropMetricName(el.Metric), enh.Ts, GoMath.Max(min, el.Value)));
        }
        return enh.Out;
    }

    // round(v, to_nearest=1): ties round up; dividing by the inverse causes fewer accuracy issues than multiplying.
    private static List<VectorSample> Round(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var vec = VectorArg(vals, 0);
        var toNearest = args.Count >= 2 ? ScalarArg(vals, 1) : 1.0;
        var toNearestInverse = 1.0 / toNearest;
        for (var i = 0; i < vec.Count; i++)
        {
            var el = vec[i];
            var v = Math.Floor((el.Value * toNearestInverse) + 0.5) / toNearestInverse;
            enh.Out.Add(new VectorSample(enh.DropMetricName(el.Metric), enh.Ts, v));
        }
        return enh.Out;
    }
}
