using Vigil.Model;
using Vigil.PromQL.Ast;

namespace Vigil.PromQL.Parser;

/// <summary>Parses PromQL as Prometheus 2.42 does: the same language, the same AST shape, the same error messages and positions.</summary>
public static class PromQLParser
{
    /// <summary>Parses and type-checks an expression; throws <see cref="ParseException"/> with Prometheus's position and wording.</summary>
    public static Expr ParseExpr(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new ExprParser(query).ParseWholeExpr();
    }

    /// <summary>
    /// Parses a series selector (<c>match[]</c>): <c>up</c>, <c>{job="x"}</c>, <c>up{a=~"b"}</c>. The matchers come in
    /// written order with the metric name's matcher last. Like Prometheus, no type check runs, so <c>{}</c> parses.
    /// </summary>
    public static IReadOnlyList<LabelMatcher> ParseMetricSelector(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return new ExprParser(selector).ParseWholeSelector();
    }
}
