using Vigil.PromQL.Ast;

namespace Vigil.PromQL.Engine;

/// <summary>
/// What Prometheus's engine does to an expression before evaluating it: resolve <c>@ start()</c>/<c>@ end()</c>,
/// mark step-invariant subtrees (evaluated once, then repeated), turn <c>@</c> into offsets relative to the
/// evaluation start (<c>setOffsetForAtModifier</c>), and find the time range the query reads (<c>FindMinMaxTime</c>).
/// </summary>
internal static class QueryPreparation
{
    // Functions whose result depends on the step time, so a call is never step-invariant (Prometheus's AtModifierUnsafeFunctions).
    private static readonly HashSet<string> s_atModifierUnsafe = new(StringComparer.Ordinal)
    {
        "days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour", "minute", "month", "year",
        "predict_linear", "time", "timestamp",
    };

    /// <summary>Resolves start()/end(), sets offsets for <c>@</c>, and returns the nodes to evaluate as step-invariant.</summary>
    public static HashSet<Expr> Prepare(Expr expr, long startMs, long endMs)
    {
        var invariant = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        if (MarkStepInvariant(expr, startMs, endMs, invariant))
        {
            invariant.Add(expr);
        }
        SetOffsetForAtModifier(startMs, expr);
        return invariant;
    }

    private static bool MarkStepInvariant(Expr expr, long start, long end, HashSet<Expr> invariant)
    {
        switch (expr)
        {
            case VectorSelector vs:
                ResolveStartOrEnd(vs, start, end);
                return vs.TimestampMs is not null;
            case AggregateExpr a:
                // Like Prometheus, only the body is looked at; the parameter is evaluated per step as written.
                return MarkStepInvariant(a.Body, start, end, invariant);
            case BinaryExpr b:
                {
                    var left = MarkStepInvariant(b.Lhs, start, end, invariant);
                    var right = MarkStepInvariant(b.Rhs, start, end, invariant);
                    if (left && right)
                    {
                        return true;
                    }
                    if (left)
                    {
                        invariant.Add(b.Lhs);
                    }
                    if (right)
                    {
                        invariant.Add(b.Rhs);
                    }
                    return false;
                }
            case Call c:
                {
                    var all = !s_atModifierUnsafe.Contains(c.Function.Name);
                    var each = new bool[c.Args.Count];
                    for (var i = 0; i < c.Args.Count; i++)
                    {
                        each[i] = MarkStepInvariant(c.Args[i], start, end, invariant);
                        all &= each[i];
                    }
                    if (all)
                    {
                        return true;
                    }
                    for (var i = 0; i < each.Length; i++)
                    {
                        if (each[i])
                        {
                            invariant.Add(c.Args[i]);
                        }
                    }
                    return false;
                }
            case MatrixSelector m:
                return MarkStepInvariant(m.Selector, start, end, invariant);
            case SubqueryExpr q:
                if (MarkStepInvariant(q.Inner, start, end, invariant))
                {
                    invariant.Add(q.Inner);
                }
                ResolveStartOrEnd(q, start, end);
                return q.TimestampMs is not null;
            case ParenExpr p:
                return MarkStepInvariant(p.Inner, start, end, invariant);
            case UnaryExpr u:
                return MarkStepInvariant(u.Operand, start, end, invariant);
            case StringLiteral or NumberLiteral:
                return true;
            case StepInvariantExpr s:
                return MarkStepInvariant(s.Inner, start, end, invariant);
            default:
                throw new QueryException(QueryErrorType.Internal, $"unexpected expression node {expr.GetType().Name}");
        }
    }

    private static void ResolveStartOrEnd(VectorSelector vs, long start, long end)
    {
        if (vs.StartOrEnd == AtModifier.Start)
        {
            vs.TimestampMs = start;
        }
        else if (vs.StartOrEnd == AtModifier.End)
        {
            vs.TimestampMs = end;
        }
    }

    private static void ResolveStartOrEnd(SubqueryExpr q, long start, long end)
    {
        if (q.StartOrEnd == AtModifier.Start)
        {
            q.TimestampMs = start;
        }
        else if (q.StartOrEnd == AtModifier.End)
        {
            q.TimestampMs = end;
        }
    }

    /// <summary>Sets every selector's and subquery's effective offset so that evaluating at <paramref name="evalTimeMs"/> reads their <c>@</c> time.</summary>
    public static void SetOffsetForAtModifier(long evalTimeMs, Expr expr)
    {
        Inspect(expr, [], (node, path) =>
        {
            switch (node)
            {
                case VectorSelector vs:
                    vs.OffsetMs = OffsetFor(evalTimeMs, vs.TimestampMs, vs.OriginalOffsetMs, path);
                    break;
                case MatrixSelector ms:
                    ms.Selector.OffsetMs = OffsetFor(evalTimeMs, ms.Selector.TimestampMs, ms.Selector.OriginalOffsetMs, path);
                    break;
                case SubqueryExpr q:
                    q.OffsetMs = OffsetFor(evalTimeMs, q.TimestampMs, q.OriginalOffsetMs, path);
                    break;
            }
        });
    }

    private static long OffsetFor(long evalTime, long? timestamp, long originalOffset, List<Expr> path)
    {
        if (timestamp is not { } ts)
        {
            return originalOffset;
        }
        var (subqOffset, _, subqTs) = SubqueryTimes(path);
        if (subqTs is { } sts)
        {
            subqOffset += evalTime - sts;
        }
        var offsetForTs = evalTime - ts;
        return originalOffset + (offsetForTs - subqOffset);
    }

    /// <summary>The summed offsets and ranges of the subqueries on <paramref name="path"/>, reset at the innermost one with <c>@</c>.</summary>
    private static (long Offset, long Range, long? Timestamp) SubqueryTimes(List<Expr> path)
    {
        long offset = 0, range = 0;
        long? ts = null;
        foreach (var node in path)
        {
            if (node is SubqueryExpr q)
            {
                offset += q.OriginalOffsetMs;
                range += q.RangeMs;
                if (q.TimestampMs is { } t)
                {
                    offset = q.OriginalOffsetMs;
                    range = q.RangeMs;
                    ts = t;
                }
            }
        }
        return (offset, range, ts);
    }

    /// <summary>The widest time range any selector of <paramref name="expr"/> reads (Prometheus's <c>FindMinMaxTime</c>).</summary>
    public static (long Min, long Max) FindMinMaxTime(Expr expr, long startMs, long endMs, long lookbackMs)
    {
        var min = long.MaxValue;
        var max = long.MinValue;
        long evalRange = 0;
        Inspect(expr, [], (node, path) =>
        {
            switch (node)
            {
                case VectorSelector vs:
                    {
                        var (s, e) = TimeRangeForSelector(vs, path, evalRange, startMs, endMs, lookbackMs);
                        min = Math.Min(min, s);
                        max = Math.Max(max, e);
                        evalRange = 0;
                        break;
                    }
                case MatrixSelector ms:
                    evalRange = ms.RangeMs;
                    break;
            }
        });
        return max == long.MinValue ? (0, 0) : (min, max);
    }

    private static (long Start, long End) TimeRangeForSelector(VectorSelector vs, List<Expr> path, long evalRange, long start, long end, long lookback)
    {
        var (subqOffset, subqRange, subqTs) = SubqueryTimes(path);
        if (subqTs is { } sts)
        {
            start = sts;
            end = sts;
        }
        if (vs.TimestampMs is { } ts)
        {
            start = ts;
            end = ts;
        }
        else
        {
            start = start - subqOffset - subqRange;
            end -= subqOffset;
        }
        start -= evalRange == 0 ? lookback : evalRange;
        start -= vs.OriginalOffsetMs;
        end -= vs.OriginalOffsetMs;
        return (start, end);
    }

    /// <summary>Depth-first walk calling <paramref name="visit"/> with each node and the path of its ancestors.</summary>
    public static void Inspect(Expr expr, List<Expr> path, Action<Expr, List<Expr>> visit)
    {
        visit(expr, path);
        path.Add(expr);
        switch (expr)
        {
            case AggregateExpr a:
                Inspect(a.Body, path, visit);
                if (a.Param is not null)
                {
                    Inspect(a.Param, path, visit);
                }
                break;
            case BinaryExpr b:
                Inspect(b.Lhs, path, visit);
                Inspect(b.Rhs, path, visit);
                break;
            case Call c:
                foreach (var arg in c.Args)
                {
                    Inspect(arg, path, visit);
                }
                break;
            case ParenExpr p:
                Inspect(p.Inner, path, visit);
                break;
            case UnaryExpr u:
                Inspect(u.Operand, path, visit);
                break;
            case MatrixSelector m:
                Inspect(m.Selector, path, visit);
                break;
            case SubqueryExpr q:
                Inspect(q.Inner, path, visit);
                break;
            case StepInvariantExpr s:
                Inspect(s.Inner, path, visit);
                break;
        }
        path.RemoveAt(path.Count - 1);
    }
}
