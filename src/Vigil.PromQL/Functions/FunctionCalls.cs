using System.Collections.Frozen;
using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;

namespace Vigil.PromQL.Functions;

/// <summary>
/// The implementations of every PromQL function of Prometheus 2.42 (<c>promql/functions.go</c>), keyed by name:
/// same floating-point operations in the same order, same special cases, same label handling. Split by concern:
/// rates and regressions (<c>FunctionCalls.Rate.cs</c>), <c>*_over_time</c> (<c>.OverTime.cs</c>), per-sample math
/// (<c>.Math.cs</c>), dates (<c>.Time.cs</c>), label rewriting (<c>.Labels.cs</c>), histograms (<c>.Histogram.cs</c>)
/// and the rest (<c>.Vector.cs</c>).
/// </summary>
public static partial class FunctionCalls
{
    private static readonly FrozenDictionary<string, FunctionCall> s_calls = new Dictionary<string, FunctionCall>(StringComparer.Ordinal)
    {
        ["abs"] = Abs,
        ["absent"] = Absent,
        ["absent_over_time"] = AbsentOverTime,
        ["acos"] = Acos,
        ["acosh"] = Acosh,
        ["asin"] = Asin,
        ["asinh"] = Asinh,
        ["atan"] = Atan,
        ["atanh"] = Atanh,
        ["avg_over_time"] = AvgOverTime,
        ["ceil"] = Ceil,
        ["changes"] = Changes,
        ["clamp"] = Clamp,
        ["clamp_max"] = ClampMax,
        ["clamp_min"] = ClampMin,
        ["cos"] = Cos,
        ["cosh"] = Cosh,
        ["count_over_time"] = CountOverTime,
        ["days_in_month"] = DaysInMonth,
        ["day_of_month"] = DayOfMonth,
        ["day_of_week"] = DayOfWeek,
        ["day_of_year"] = DayOfYear,
        ["deg"] = Deg,
        ["delta"] = Delta,
        ["deriv"] = Deriv,
        ["exp"] = Exp,
        ["floor"] = Floor,
        ["histogram_count"] = HistogramCount,
        ["histogram_sum"] = HistogramSum,
        ["histogram_fraction"] = HistogramFraction,
        ["histogram_quantile"] = HistogramQuantile,
        ["holt_winters"] = HoltWinters,
        ["hour"] = Hour,
        ["idelta"] = Idelta,
        ["increase"] = Increase,
        ["irate"] = Irate,
        ["label_replace"] = LabelReplace,
        ["label_join"] = LabelJoin,
        ["last_over_time"] = LastOverTime,
        ["ln"] = Ln,
        ["log10"] = Log10,
        ["log2"] = Log2,
        ["max_over_time"] = MaxOverTime,
        ["min_over_time"] = MinOverTime,
        ["minute"] = Minute,
        ["month"] = Month,
        ["pi"] = Pi,
        ["predict_linear"] = PredictLinear,
        ["present_over_time"] = PresentOverTime,
        ["quantile_over_time"] = QuantileOverTime,
        ["rad"] = Rad,
        ["rate"] = Rate,
        ["resets"] = Resets,
        ["round"] = Round,
        ["scalar"] = Scalar,
        ["sgn"] = Sgn,
        ["sin"] = Sin,
        ["sinh"] = Sinh,
        ["sort"] = Sort,
        ["sort_desc"] = SortDesc,
        ["sqrt"] = Sqrt,
        ["stddev_over_time"] = StddevOverTime,
        ["stdvar_over_time"] = StdvarOverTime,
        ["sum_over_time"] = SumOverTime,
        ["tan"] = Tan,
        ["tanh"] = Tanh,
        ["time"] = Time,
        ["timestamp"] = Timestamp,
        ["vector"] = VectorFunc,
        ["year"] = Year,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every implemented function name.</summary>
    public static IEnumerable<string> Names => s_calls.Keys;

    /// <summary>Looks up the implementation of a function by its exact name.</summary>
    /// <param name="name">The function name, as in <see cref="Ast.Functions"/>.</param>
    /// <param name="call">The implementation, when found.</param>
    /// <returns>Whether the function exists.</returns>
    public static bool TryGet(string name, out FunctionCall call) => s_calls.TryGetValue(name, out call!);

    // The instant vector of argument i.
    private static List<VectorSample> VectorArg(QueryValue[] vals, int i) => ((Vector)vals[i]).Samples;

    // The scalar of argument i: a one-sample vector, as Prometheus passes it (a ScalarResult is accepted too).
    private static double ScalarArg(QueryValue[] vals, int i) => vals[i] switch
    {
        Vector v => v.Samples[0].Value,
        ScalarResult s => s.Value,
        _ => throw new InvalidOperationException($"argument {i} is {vals[i].Type}, not a scalar"),
    };

    // The samples of the single series of the range-vector argument i.
    private static List<Sample> MatrixArg(QueryValue[] vals, int i) => ((Matrix)vals[i]).Series[0].Points;

    // Prometheus's stringFromArg: the literal, looking through step-invariant and parenthesis wrappers.
    private static string StringArg(IReadOnlyList<Expr> args, int i)
    {
        var e = args[i];
        while (true)
        {
            switch (e)
            {
                case StepInvariantExpr s:
                    e = s.Inner;
                    continue;
                case ParenExpr p:
                    e = p.Inner;
                    continue;
                case StringLiteral l:
                    return l.Value;
                default:
                    throw new InvalidOperationException($"argument {i} is not a string literal: {e}");
            }
        }
    }

    // A range function's result: one sample without labels (the engine attaches the series' labels).
    private static List<VectorSample> AppendValue(EvalNodeHelper enh, double value)
    {
        enh.Out.Add(new VectorSample(Labels.Empty, enh.Ts, value));
        return enh.Out;
    }
}
