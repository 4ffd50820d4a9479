using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;

namespace Vigil.PromQL.Functions;

// absent, absent_over_time, scalar, vector, sort, sort_desc.
public static partial class FunctionCalls
{
    private static List<VectorSample> Absent(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        if (VectorArg(vals, 0).Count > 0)
        {
            return enh.Out;
        }
        enh.Out.Add(new VectorSample(LabelsForAbsent(args[0]), enh.Ts, 1));
        return enh.Out;
    }

    // As in Prometheus, called only for a series that has samples in the window, and returns 1: the engine evaluates
    // absent_over_time itself, reporting 1 with LabelsForAbsent(args[0]) at the steps where no series had a sample.
    private static List<VectorSample> AbsentOverTime(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh) =>
        AppendValue(enh, 1);

    /// <summary>
    /// The labels of <c>absent</c>/<c>absent_over_time</c>'s result (Prometheus's
    /// <c>createLabelsForAbsentFunction</c>): for a vector or matrix selector argument, the labels of its equality
    /// matchers other than <c>__name__</c>, except labels matched more than once or also by another matcher type;
    /// for any other expression, no labels (Prometheus's engine unwraps parentheses around arguments first, so
    /// <c>absent((x{job="a"}))</c> has <c>job="a"</c>).
    /// </summary>
    /// <param name="arg">The function's argument.</param>
    /// <returns>The result's labels.</returns>
    public static Labels LabelsForAbsent(Expr arg)
    {
        var vs = arg switch
        {
            VectorSelector v => v,
            MatrixSelector m => m.Selector,
            _ => null,
        };
        if (vs is null)
        {
            return Labels.Empty;
        }
        var b = new LabelsBuilder();
        List<string>? empty = null;
        foreach (var ma in vs.Matchers)
        {
            if (ma.Name == Label.MetricName)
            {
                continue;
            }
            if (ma.Type == LabelMatchType.Equal && b.Get(ma.Name).Length == 0)
            {
                b.Set(ma.Name, ma.Value);
            }
            else
            {
                (empty ??= []).Add(ma.Name);
            }
        }
        if (empty is not null)
        {
            foreach (var name in empty)
            {
                b.Remove(name);
            }
        }
        return b.ToLabels();
    }

    // scalar(v): the single element's value, or NaN when v does not have exactly one element.
    private static List<VectorSample> Scalar(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var v = VectorArg(vals, 0);
        enh.Out.Add(new VectorSample(Labels.Empty, enh.Ts, v.Count != 1 ? double.NaN : v[0].Value));
        return enh.Out;
    }

    private static List<VectorSample> VectorFunc(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        enh.Out.Add(new VectorSample(Labels.Empty, enh.Ts, ScalarArg(vals, 0)));
        return enh.Out;
    }

    // sort keeps the labels (including the metric name): ascending, NaN last.
    private static List<VectorSample> Sort(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        enh.Out.AddRange(VectorArg(vals, 0));
        SortStable(enh.Out, descending: false);
        return enh.Out;
    }

    // sort_desc: descending, NaN last.
    private static List<VectorSample> SortDesc(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        enh.Out.AddRange(VectorArg(vals, 0));
        SortStable(enh.Out, descending: true);
        return enh.Out;
    }

    // Stable: equal values keep their input order, as Go's pdqsort does for the vectors of up to 12 elements it
    // insertion-sorts (for longer ones Go's order of ties is an artefact of its algorithm).
    private static void SortStable(List<VectorSample> samples, bool descending)
    {
        if (samples.Count < 2)
        {
            return;
        }
        var keyed = new (VectorSample Sample, int Index)[samples.Count];
        for (var i = 0; i < keyed.Length; i++)
        {
            keyed[i] = (samples[i], i);
        }
        Array.Sort(keyed, (a, b) =>
        {
            var c = CompareForSort(a.Sample.Value, b.Sample.Value, descending);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        });
        for (var i = 0; i < keyed.Length; i++)
        {
            samples[i] = keyed[i].Sample;
        }
    }

    private static int CompareForSort(double a, double b, bool descending)
    {
        if (double.IsNaN(a))
        {
            return double.IsNaN(b) ? 0 : 1;
        }
        if (double.IsNaN(b))
        {
            return -1;
        }
        var c = a < b ? -1 : a > b ? 1 : 0;
        return descending ? -c : c;
    }
}
