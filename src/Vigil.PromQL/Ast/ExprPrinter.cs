using System.Globalization;
using System.Text;
using Vigil.Model;
using Vigil.Model.Exposition;

namespace Vigil.PromQL.Ast;

/// <summary>Prints an expression the way Prometheus 2.42's <c>Expr.String()</c> does (the text of <c>/api/v1/format_query</c>).</summary>
public static class ExprPrinter
{
    /// <summary>The expression as Prometheus prints it.</summary>
    public static string Print(Expr expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        var sb = new StringBuilder();
        Append(sb, expr);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Expr expr)
    {
        switch (expr)
        {
            case NumberLiteral n:
                sb.Append(GoFloat.Format(n.Value));
                break;
            case StringLiteral s:
                sb.Append(Parser.GoText.Quote(s.Value));
                break;
            case ParenExpr p:
                sb.Append('(');
                Append(sb, p.Inner);
                sb.Append(')');
                break;
            case UnaryExpr u:
                sb.Append(u.Negate ? '-' : '+');
                Append(sb, u.Operand);
                break;
            case BinaryExpr b:
                AppendBinary(sb, b);
                break;
            case AggregateExpr a:
                AppendAggregate(sb, a);
                break;
            case Call c:
                sb.Append(c.Function.Name).Append('(');
                for (var i = 0; i < c.Args.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }
                    Append(sb, c.Args[i]);
                }
                sb.Append(')');
                break;
            case VectorSelector v:
                AppendSelector(sb, v);
                AppendAt(sb, v.TimestampMs, v.StartOrEnd);
                AppendOffset(sb, v.OriginalOffsetMs);
                break;
            case MatrixSelector m:
                AppendSelector(sb, m.Selector);
                sb.Append('[').Append(Duration(m.RangeMs)).Append(']');
                AppendAt(sb, m.Selector.TimestampMs, m.Selector.StartOrEnd);
                AppendOffset(sb, m.Selector.OriginalOffsetMs);
                break;
            case SubqueryExpr q:
                Append(sb, q.Inner);
                sb.Append('[').Append(Duration(q.RangeMs)).Append(':');
                if (q.StepMs != 0)
                {
                    sb.Append(Duration(q.StepMs));
                }
                sb.Append(']');
                AppendAt(sb, q.TimestampMs, q.StartOrEnd);
                AppendOffset(sb, q.OriginalOffsetMs);
                break;
            case StepInvariantExpr s:
                Append(sb, s.Inner);
                break;
            default:
                throw new ArgumentException($"unknown expression node {expr.GetType().Name}", nameof(expr));
        }
    }

    private static void AppendBinary(StringBuilder sb, BinaryExpr b)
    {
        Append(sb, b.Lhs);
        sb.Append(' ').Append(b.Op.Text());
        if (b.ReturnBool)
        {
            sb.Append(" bool");
        }
        var vm = b.Matching;
        if (vm is not null && (vm.MatchingLabels.Count > 0 || vm.On))
        {
            sb.Append(vm.On ? " on (" : " ignoring (");
            AppendList(sb, vm.MatchingLabels);
            sb.Append(')');
            if (vm.Card is MatchCardinality.ManyToOne or MatchCardinality.OneToMany)
            {
                sb.Append(vm.Card == MatchCardinality.ManyToOne ? " group_left (" : " group_right (");
                AppendList(sb, vm.Include);
                sb.Append(')');
            }
        }
        sb.Append(' ');
        Append(sb, b.Rhs);
    }

    private static void AppendAggregate(StringBuilder sb, AggregateExpr a)
    {
        sb.Append(a.Op.Text());
        if (a.Without)
        {
            sb.Append(" without (");
            AppendList(sb, a.Grouping);
            sb.Append(") ");
        }
        else if (a.Grouping.Count > 0)
        {
            sb.Append(" by (");
            AppendList(sb, a.Grouping);
            sb.Append(") ");
        }
        sb.Append('(');
        if (a.Param is not null)
        {
            Append(sb, a.Param);
            sb.Append(", ");
        }
        Append(sb, a.Body);
        sb.Append(')');
    }

    private static void AppendSelector(StringBuilder sb, VectorSelector v)
    {
        var rest = new List<string>(v.Matchers.Count);
        foreach (var m in v.Matchers)
        {
            if (m.Name == Label.MetricName && m.Type == LabelMatchType.Equal && m.Value == (v.Name ?? ""))
            {
                continue;
            }
            var op = m.Type switch
            {
                LabelMatchType.Equal => "=",
                LabelMatchType.NotEqual => "!=",
                LabelMatchType.Regex => "=~",
                _ => "!~",
            };
            rest.Add(m.Name + op + Parser.GoText.Quote(m.Value));
        }
        sb.Append(v.Name);
        if (rest.Count > 0)
        {
            // Go's sort.Strings: byte order of the UTF-8 text.
            rest.Sort(LabelText.CompareUtf8);
            sb.Append('{').AppendJoin(',', rest).Append('}');
        }
    }

    private static void AppendAt(StringBuilder sb, long? timestampMs, AtModifier startOrEnd)
    {
        if (timestampMs is { } ts)
        {
            sb.Append(" @ ").Append((ts / 1000.0).ToString("F3", CultureInfo.InvariantCulture));
        }
        else if (startOrEnd == AtModifier.Start)
        {
            sb.Append(" @ start()");
        }
        else if (startOrEnd == AtModifier.End)
        {
            sb.Append(" @ end()");
        }
    }

    private static void AppendOffset(StringBuilder sb, long offsetMs)
    {
        if (offsetMs > 0)
        {
            sb.Append(" offset ").Append(Duration(offsetMs));
        }
        else if (offsetMs < 0)
        {
            sb.Append(" offset -").Append(Duration(-offsetMs));
        }
    }

    private static void AppendList(StringBuilder sb, IReadOnlyList<string> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }
            sb.Append(items[i]);
        }
    }

    private static string Duration(long ms) => PromDuration.Format(TimeSpan.FromMilliseconds(ms));
}
