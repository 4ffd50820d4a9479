using Vigil.Model;
using Vigil.PromQL.Ast;

namespace Vigil.PromQL.Parser;

/// <summary>Parses PromQL as Prometheus 2.42 does.</summary>
public static class PromQLParser
{
    /// <summary>Parses an expression; throws <see cref="ParseException"/> with Prometheus's position and wording.</summary>
    public static Expr ParseExpr(string query) => throw new ParseException(query, new PositionRange(0, 0), "parser not yet written");

    /// <summary>Parses a series selector (<c>match[]</c>): <c>up</c>, <c>{job="x"}</c>, <c>up{a=~"b"}</c>.</summary>
    public static IReadOnlyList<LabelMatcher> ParseMetricSelector(string selector) => throw new ParseException(selector, new PositionRange(0, 0), "parser not yet written");
}
