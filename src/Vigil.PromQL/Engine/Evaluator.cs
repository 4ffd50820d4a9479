using System.Runtime.InteropServices;
using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.Storage;
using ValueType = Vigil.PromQL.Ast.ValueType;

namespace Vigil.PromQL.Engine;

/// <summary>
/// Evaluates an expression over the steps <c>start, start+interval, …, end</c>, the way Prometheus 2.42's
/// <c>evaluator</c> does: every node yields a <see cref="Matrix"/> of per-step points (or a <see cref="StringResult"/>),
/// and <see cref="RangeEval"/> feeds per-step vectors to operators and functions. Split by concern over partial files.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary>The environment string Prometheus puts in "too many samples" errors.</summary>
    private const string Env = "query execution";

    private readonly EvaluationContext _context;
    private readonly long _start;
    private readonly long _end;
    private readonly long _interval;
    private long _currentSamples;

    public Evaluator(EvaluationContext context, long startMs, long endMs, long intervalMs)
    {
        _context = context;
        _start = startMs;
        _end = endMs;
        _interval = intervalMs;
    }

    private Evaluator Child(long startMs, long endMs, long intervalMs) =>
        new(_context, startMs, endMs, intervalMs) { _currentSamples = _currentSamples };

    /// <summary>Evaluates <paramref name="expr"/>: a <see cref="Matrix"/> (one point per step where there is a value) or a <see cref="StringResult"/>.</summary>
    public QueryValue Eval(Expr expr)
    {
        _context.ThrowIfCancelled();
        if (_context.StepInvariant.Contains(expr) && expr is not (NumberLiteral or StringLiteral))
        {
            return EvalStepInvariant(expr);
        }
        return EvalNode(expr);
    }

    private QueryValue EvalNode(Expr expr) => expr switch
    {
        AggregateExpr a => EvalAggregate(a),
        BinaryExpr b => EvalBinary(b),
        Call c => EvalCall(c),
        ParenExpr p => Eval(p.Inner),
        UnaryExpr u => EvalUnary(u),
        StringLiteral s => new StringResult(_start, s.Value),
        NumberLiteral n => EvalNumber(n.Value),
        VectorSelector vs => EvalVectorSelector(vs),
        MatrixSelector ms => EvalMatrixSelector(ms),
        SubqueryExpr q => EvalSubquery(q),
        StepInvariantExpr s => EvalStepInvariant(s.Inner),
        _ => throw new QueryException(QueryErrorType.Internal, $"unhandled expression of type {expr.GetType().Name}"),
    };

    private Matrix EvalNumber(double value) =>
        RangeEval(null, (_, _, enh) =>
        {
            enh.Out.Add(new VectorSample(Labels.Empty, 0, value));
            return enh.Out;
        });

    private QueryValue EvalStepInvariant(Expr expr)
    {
        var child = Child(_start, _start, _interval);
        var result = child.EvalNode(expr);
        _currentSamples = child._currentSamples;
        if (Unparen(expr) is MatrixSelector or SubqueryExpr || result is not Matrix matrix)
        {
            // A range's result does not depend on the step; strings neither.
            return result;
        }
        // The value stays the same at every step; only its timestamp moves.
        foreach (var series in matrix.Series)
        {
            if (series.Points.Count != 1)
            {
                throw new QueryException(QueryErrorType.Internal, $"step-invariant series has {series.Points.Count} points, expected 1");
            }
            var value = series.Points[0].Value;
            for (var ts = _start + _interval; ts <= _end; ts += _interval)
            {
                series.Points.Add(new Sample(ts, value));
            }
            _currentSamples += series.Points.Count - 1;
            CheckSampleLimit();
        }
        return matrix;
    }

    private Matrix EvalUnary(UnaryExpr u)
    {
        var matrix = (Matrix)Eval(u.Operand);
        if (!u.Negate)
        {
            return matrix;
        }
        var series = matrix.Series;
        for (var i = 0; i < series.Count; i++)
        {
            var points = series[i].Points;
            var span = CollectionsMarshal.AsSpan(points);
            for (var j = 0; j < span.Length; j++)
            {
                span[j] = new Sample(span[j].TimestampMs, -span[j].Value);
            }
            series[i] = new Series(series[i].Metric.WithoutMetricName(), points);
        }
        if (ContainsSameLabelset(series))
        {
            throw SameLabelset();
        }
        return matrix;
    }

    /// <summary>Per-step function for <see cref="RangeEval"/>: the step's argument values, per-sample helper keys, and the node helper.</summary>
    private delegate List<VectorSample> StepFunction(QueryValue[] vals, List<string>?[] helpers, EvalNodeHelper enh);

    /// <summary>
    /// Prometheus's <c>rangeEval</c>: evaluates <paramref name="exprs"/> to matrices, then at every step gathers each
    /// one's samples at that step into a vector and calls <paramref name="function"/>; collects the outputs into series.
    /// <paramref name="prepareSeries"/> computes a key per input series once (join signatures, grouping keys).
    /// </summary>
    private Matrix RangeEval(Func<Labels, string>? prepareSeries, StepFunction function, params Expr?[] exprs)
    {
        var count = exprs.Length;
        var matrixes = new Matrix?[count];
        var vals = new QueryValue[count];
        var vectors = new List<VectorSample>[count];
        var positions = new int[count][];
        var originalNumSamples = _currentSamples;
        var biggest = 1;
        for (var i = 0; i < count; i++)
        {
            var e = exprs[i];
            if (e is not null && e.Type == ValueType.String)
            {
                vals[i] = Eval(e);
                vectors[i] = [];
                positions[i] = [];
                continue;
            }
            if (e is not null)
            {
                matrixes[i] = (Matrix)Eval(e);
                biggest = Math.Max(biggest, matrixes[i]!.Series.Count);
            }
            vectors[i] = new List<VectorSample>(matrixes[i]?.Series.Count ?? 0);
            positions[i] = new int[matrixes[i]?.Series.Count ?? 0];
            vals[i] = new Vector(vectors[i]);
        }

        string[]?[]? seriesHelpers = null;
        var bufHelpers = new List<string>?[count];
        if (prepareSeries is not null)
        {
            seriesHelpers = new string[]?[count];
            for (var i = 0; i < count; i++)
            {
                if (matrixes[i] is not { } m)
                {
                    continue;
                }
                var keys = new string[m.Series.Count];
                for (var s = 0; s < keys.Length; s++)
                {
                    keys[s] = prepareSeries(m.Series[s].Metric);
                }
                seriesHelpers[i] = keys;
                bufHelpers[i] = new List<string>(keys.Length);
            }
        }

        var output = new List<VectorSample>(biggest);
        var enh = new EvalNodeHelper { Out = output };
        var seriess = new Dictionary<Labels, List<Sample>>();
        var order = new List<Labels>();
        var tempNumSamples = _currentSamples;
        for (var ts = _start; ts <= _end; ts += _interval)
        {
            _context.ThrowIfCancelled();
            _currentSamples = tempNumSamples;
            for (var i = 0; i < count; i++)
            {
                if (matrixes[i] is not { } m)
                {
                    continue;
                }
                var vector = vectors[i];
                vector.Clear();
                bufHelpers[i]?.Clear();
                var pos = positions[i];
                for (var s = 0; s < m.Series.Count; s++)
                {
                    var series = m.Series[s];
                    var p = pos[s];
                    if (p < series.Points.Count && series.Points[p].TimestampMs == ts)
                    {
                        if (_currentSamples >= _context.MaxSamples)
                        {
                            throw TooManySamples();
                        }
                        vector.Add(new VectorSample(series.Metric, ts, series.Points[p].Value));
                        bufHelpers[i]?.Add(seriesHelpers![i]![s]);
                        pos[s] = p + 1;
                        _currentSamples++;
                    }
                }
            }

            enh.Ts = ts;
            output.Clear();
            enh.Out = output;
            var result = function(vals, bufHelpers, enh);
            if (ContainsSameLabelset(result))
            {
                throw SameLabelset();
            }
            _currentSamples += result.Count;
            tempNumSamples += result.Count;
            CheckSampleLimit();

            if (_start == _end)
            {
                // An instant evaluation keeps the function's order (sort() depends on it).
                var instant = new List<Series>(result.Count);
                foreach (var sample in result)
                {
                    instant.Add(new Series(sample.Metric, [new Sample(ts, sample.Value)]));
                }
                _currentSamples = originalNumSamples + instant.Count;
                return new Matrix(instant);
            }

            foreach (var sample in result)
            {
                ref var points = ref CollectionsMarshal.GetValueRefOrAddDefault(seriess, sample.Metric, out var exists);
                if (!exists)
                {
                    points = [];
                    order.Add(sample.Metric);
                }
                points!.Add(new Sample(ts, sample.Value));
            }
        }

        var matrix = new List<Series>(order.Count);
        foreach (var metric in order)
        {
            matrix.Add(new Series(metric, seriess[metric]));
        }
        return new Matrix(matrix);
    }

    private void CheckSampleLimit()
    {
        if (_currentSamples > _context.MaxSamples)
        {
            throw TooManySamples();
        }
    }

    private static QueryException TooManySamples() =>
        new(QueryErrorType.Execution, $"query processing would load too many samples into memory in {Env}");

    private static QueryException SameLabelset() =>
        new(QueryErrorType.Execution, "vector cannot contain metrics with the same labelset");

    private static bool ContainsSameLabelset(List<VectorSample> vector)
    {
        switch (vector.Count)
        {
            case 0 or 1:
                return false;
            case 2:
                return vector[0].Metric.Equals(vector[1].Metric);
            default:
                var seen = new HashSet<Labels>(vector.Count);
                foreach (var s in vector)
                {
                    if (!seen.Add(s.Metric))
                    {
                        return true;
                    }
                }
                return false;
        }
    }

    private static bool ContainsSameLabelset(List<Series> matrix)
    {
        if (matrix.Count < 2)
        {
            return false;
        }
        var seen = new HashSet<Labels>(matrix.Count);
        foreach (var s in matrix)
        {
            if (!seen.Add(s.Metric))
            {
                return true;
            }
        }
        return false;
    }

    private static Expr Unparen(Expr expr)
    {
        while (true)
        {
            switch (expr)
            {
                case ParenExpr p:
                    expr = p.Inner;
                    break;
                case StepInvariantExpr s:
                    expr = s.Inner;
                    break;
                default:
                    return expr;
            }
        }
    }
}
