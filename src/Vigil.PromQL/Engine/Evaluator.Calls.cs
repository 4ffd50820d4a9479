using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Functions;
using Vigil.Storage;

namespace Vigil.PromQL.Engine;

internal sealed partial class Evaluator
{
    private QueryValue EvalCall(Call e)
    {
        if (!FunctionCalls.TryGet(e.Function.Name, out var call))
        {
            throw new QueryException(QueryErrorType.Internal, $"function {e.Function.Name} is not implemented");
        }

        // Functions see their arguments without parentheses, like Prometheus's unwrapParenExpr.
        var args = new Expr[e.Args.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = Unparen(e.Args[i]);
        }

        if (e.Function.Name == "timestamp" && args[0] is VectorSelector timestamped)
        {
            // Matrix evaluation always carries the step time; timestamp() needs the sample's own.
            return EvalTimestampOfSelector(timestamped);
        }

        var matrixArgIndex = -1;
        List<ISeries>? subquerySeries = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is MatrixSelector)
            {
                matrixArgIndex = i;
                break;
            }
            if (args[i] is SubqueryExpr subquery)
            {
                matrixArgIndex = i;
                (args[i], subquerySeries) = EvalSubqueryAsSelector(subquery);
                break;
            }
        }

        if (matrixArgIndex < 0)
        {
            return RangeEval(null, (vals, _, enh) => call(vals, args, enh), [.. e.Args]);
        }
        return EvalRangeFunction(e, call, args, matrixArgIndex, subquerySeries);
    }

    /// <summary>A function over a range vector: per series, per step, the samples in the step's window.</summary>
    private Matrix EvalRangeFunction(Call e, FunctionCall call, Expr[] args, int matrixArgIndex, List<ISeries>? subquerySeries)
    {
        var selector = (MatrixSelector)args[matrixArgIndex];
        var vs = selector.Selector;
        var selected = subquerySeries ?? _context.SeriesFor(vs);

        // The other arguments are scalars (or strings), evaluated over all steps up front.
        var inArgs = new QueryValue[args.Length];
        var otherArgs = new Matrix?[args.Length];
        var otherIn = new List<VectorSample>?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            if (i == matrixArgIndex)
            {
                continue;
            }
            var value = Eval(e.Args[i]);
            if (value is Matrix m)
            {
                otherArgs[i] = m;
                otherIn[i] = [new VectorSample(Labels.Empty, 0, 0)];
                inArgs[i] = new Vector(otherIn[i]!);
            }
            else
            {
                inArgs[i] = value;
            }
        }

        var window = new List<Sample>(16);
        var inSeries = new Series(Labels.Empty, window);
        inArgs[matrixArgIndex] = new Matrix([inSeries]);

        var offset = vs.OffsetMs;
        var range = selector.RangeMs;
        var keepName = e.Function.Name == "last_over_time";
        var enh = new EvalNodeHelper();
        var output = new List<VectorSample>(1);
        var buffer = _context.SampleBuffer;
        var result = new List<Series>(selected.Count);
        foreach (var series in selected)
        {
            _context.ThrowIfCancelled();
            buffer.Clear();
            _context.Load(series, _start - offset - range, _end - offset, dropStale: true, buffer);
            if (buffer.Count == 0)
            {
                continue;
            }
            inArgs[matrixArgIndex] = new Matrix([inSeries with { Metric = series.Labels }]);
            List<Sample>? points = null;
            int lo = 0, hi = 0, step = -1;
            for (var ts = _start; ts <= _end; ts += _interval)
            {
                step++;
                for (var j = 0; j < args.Length; j++)
                {
                    if (otherArgs[j] is { } m)
                    {
                        otherIn[j]![0] = new VectorSample(Labels.Empty, ts, m.Series[0].Points[step].Value);
                    }
                }
                var maxt = ts - offset;
                var mint = maxt - range;
                while (lo < buffer.Count && buffer[lo].TimestampMs < mint)
                {
                    lo++;
                }
                if (hi < lo)
                {
                    hi = lo;
                }
                while (hi < buffer.Count && buffer[hi].TimestampMs <= maxt)
                {
                    hi++;
                }
                if (hi == lo)
                {
                    continue;
                }
                window.Clear();
                for (var k = lo; k < hi; k++)
                {
                    window.Add(buffer[k]);
                }
                if (_currentSamples + window.Count > _context.MaxSamples)
                {
                    throw TooManySamples();
                }
                enh.Ts = ts;
                output.Clear();
                enh.Out = output;
                var outVec = call(inArgs, args, enh);
                if (outVec.Count > 0)
                {
                    points ??= [];
                    points.Add(new Sample(ts, outVec[0].Value));
                }
            }
            if (points is not null)
            {
                _currentSamples += points.Count;
                CheckSampleLimit();
                result.Add(new Series(keepName ? series.Labels : series.Labels.WithoutMetricName(), points));
            }
        }

        if (e.Function.Name == "absent_over_time")
        {
            return AbsentOverTime(result, args[0]);
        }
        if (ContainsSameLabelset(result))
        {
            throw SameLabelset();
        }
        return new Matrix(result);
    }

    /// <summary>absent_over_time: 1 at the steps where no selected series had a sample in the window.</summary>
    private Matrix AbsentOverTime(List<Series> present, Expr arg)
    {
        var steps = (int)(1 + ((_end - _start) / _interval));
        foreach (var s in present)
        {
            if (s.Points.Count == steps)
            {
                return new Matrix();
            }
        }
        var found = new HashSet<long>();
        for (var i = 0; i < present.Count; i++)
        {
            foreach (var p in present[i].Points)
            {
                found.Add(p.TimestampMs);
            }
            if (i > 0 && found.Count == steps)
            {
                return new Matrix();
            }
        }
        var points = new List<Sample>(steps - found.Count);
        for (var ts = _start; ts <= _end; ts += _interval)
        {
            if (!found.Contains(ts))
            {
                points.Add(new Sample(ts, 1));
            }
        }
        return new Matrix([new Series(FunctionCalls.LabelsForAbsent(arg), points)]);
    }
}
