using Vigil.Model;
using Vigil.PromQL.Ast;
using ValueType = Vigil.PromQL.Ast.ValueType;

namespace Vigil.PromQL.Parser;

/// <summary>Prometheus 2.42's <c>checkAST</c>: types and operator rules, in its order (children first), with its wording.</summary>
internal sealed partial class ExprParser
{
    private ValueType CheckAst(Expr node)
    {
        var type = node.Type;
        switch (node)
        {
            case AggregateExpr a:
                ExpectType(a.Body, ValueType.Vector, "aggregation expression");
                if (a.Op is AggregateOp.TopK or AggregateOp.BottomK or AggregateOp.Quantile)
                {
                    ExpectType(a.Param!, ValueType.Scalar, "aggregation parameter");
                }
                if (a.Op == AggregateOp.CountValues)
                {
                    ExpectType(a.Param!, ValueType.String, "aggregation parameter");
                }
                break;
            case BinaryExpr b:
                CheckBinary(b);
                break;
            case Call c:
                CheckCall(c);
                break;
            case ParenExpr p:
                CheckAst(p.Inner);
                break;
            case UnaryExpr u:
            {
                var t = CheckAst(u.Operand);
                if (t is not (ValueType.Scalar or ValueType.Vector))
                {
                    throw Fail(u.Position, $"unary expression only allowed on expressions of type scalar or instant vector, got {GoText.Quote(t.DocumentedName())}");
                }
                break;
            }
            case SubqueryExpr s:
            {
                var t = CheckAst(s.Inner);
                if (t != ValueType.Vector)
                {
                    // Prometheus formats the ValueType itself here ("string", "scalar", "matrix", "vector").
                    throw Fail(s.Position, $"subquery is only allowed on instant vector, got {t.ApiName()} instead");
                }
                break;
            }
            case MatrixSelector m:
                CheckAst(m.Selector);
                break;
            case VectorSelector v:
                CheckSelector(v);
                break;
        }
        return type;
    }

    private void ExpectType(Expr node, ValueType want, string context)
    {
        var t = CheckAst(node);
        if (t != want)
        {
            throw Fail(node.Position, $"expected type {want.DocumentedName()} in {context}, got {t.DocumentedName()}");
        }
    }

    private void CheckBinary(BinaryExpr b)
    {
        var lt = CheckAst(b.Lhs);
        var rt = CheckAst(b.Rhs);
        var vm = b.Matching!;

        if (b.ReturnBool && !b.Op.IsComparison())
        {
            throw Fail(OperatorRange(b), "bool modifier can only be used on comparison operators");
        }
        if (b.Op.IsComparison() && !b.ReturnBool && b.Rhs.Type == ValueType.Scalar && b.Lhs.Type == ValueType.Scalar)
        {
            throw Fail(OperatorRange(b), "comparisons between scalars must use BOOL modifier");
        }
        if (b.Op.IsSetOperator() && vm.Card == MatchCardinality.OneToOne)
        {
            vm.Card = MatchCardinality.ManyToMany;
        }
        foreach (var l1 in vm.MatchingLabels)
        {
            foreach (var l2 in vm.Include)
            {
                if (l1 == l2 && vm.On)
                {
                    throw Fail(OperatorRange(b), $"label {GoText.Quote(l1)} must not occur in ON and GROUP clause at once");
                }
            }
        }
        if (lt is not (ValueType.Scalar or ValueType.Vector))
        {
            throw Fail(b.Lhs.Position, "binary expression must contain only scalar and instant vector types");
        }
        if (rt is not (ValueType.Scalar or ValueType.Vector))
        {
            throw Fail(b.Rhs.Position, "binary expression must contain only scalar and instant vector types");
        }
        if (lt != ValueType.Vector || rt != ValueType.Vector)
        {
            if (vm.MatchingLabels.Count > 0)
            {
                throw Fail(b.Position, "vector matching only allowed between instant vectors");
            }
            b.Matching = null;
        }
        else if (b.Op.IsSetOperator())
        {
            if (vm.Card is MatchCardinality.OneToMany or MatchCardinality.ManyToOne)
            {
                throw Fail(b.Position, $"no grouping allowed for {GoText.Quote(b.Op.Text())} operation");
            }
        }
        if ((lt == ValueType.Scalar || rt == ValueType.Scalar) && b.Op.IsSetOperator())
        {
            throw Fail(b.Position, $"set operator {GoText.Quote(b.Op.Text())} not allowed in binary scalar expression");
        }
    }

    /// <summary>The operator between the operands, spaces trimmed (Prometheus's <c>opRange</c>).</summary>
    private PositionRange OperatorRange(BinaryExpr b)
    {
        var start = b.Lhs.Position.End;
        while (start < _query.Length && Lexer.IsSpace(_query[start]))
        {
            start++;
        }
        var end = b.Rhs.Position.Start - 1;
        while (end > 0 && Lexer.IsSpace(_query[end]))
        {
            end--;
        }
        return new PositionRange(start, end);
    }

    private void CheckCall(Call c)
    {
        var f = c.Function;
        var nargs = f.ArgTypes.Length;
        if (f.Variadic == 0)
        {
            if (nargs != c.Args.Count)
            {
                throw Fail(c.Position, $"expected {nargs} argument(s) in call to {GoText.Quote(f.Name)}, got {c.Args.Count}");
            }
        }
        else
        {
            var na = nargs - 1;
            if (na > c.Args.Count)
            {
                throw Fail(c.Position, $"expected at least {na} argument(s) in call to {GoText.Quote(f.Name)}, got {c.Args.Count}");
            }
            var max = na + f.Variadic;
            if (f.Variadic > 0 && max < c.Args.Count)
            {
                throw Fail(c.Position, $"expected at most {max} argument(s) in call to {GoText.Quote(f.Name)}, got {c.Args.Count}");
            }
        }
        for (var i = 0; i < c.Args.Count; i++)
        {
            var index = i;
            if (index >= nargs)
            {
                if (f.Variadic == 0)
                {
                    break;
                }
                index = nargs - 1;
            }
            var arg = c.Args[i];
            var t = CheckAst(arg);
            if (t != f.ArgTypes[index])
            {
                throw Fail(arg.Position, $"expected type {f.ArgTypes[index].DocumentedName()} in call to function {GoText.Quote(f.Name)}, got {t.DocumentedName()}");
            }
        }
    }

    private void CheckSelector(VectorSelector v)
    {
        if (!string.IsNullOrEmpty(v.Name))
        {
            for (var i = 0; i < v.Matchers.Count - 1; i++)
            {
                var m = v.Matchers[i];
                if (m.Name == Label.MetricName)
                {
                    throw Fail(v.Position, $"metric name must not be set twice: {GoText.Quote(v.Name)} or {GoText.Quote(m.Value)}");
                }
            }
            return;
        }
        foreach (var m in v.Matchers)
        {
            if (!m.MatchesEmpty)
            {
                return;
            }
        }
        throw Fail(v.Position, "vector selector must contain at least one non-empty matcher");
    }
}
