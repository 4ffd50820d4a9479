using Vigil.Model;

namespace Vigil.PromQL.Ast;

/// <summary>
/// A node of a parsed PromQL expression, shaped like Prometheus's <c>parser.Expr</c>. Nodes are built by
/// <see cref="Parser.PromQLParser"/>; the engine may set <see cref="VectorSelector.OffsetMs"/>-style derived fields
/// while preparing a query, never the original ones. <see cref="object.ToString"/> prints the expression the way
/// Prometheus's <c>String()</c> does (what <c>/api/v1/format_query</c> returns).
/// </summary>
public abstract class Expr
{
    /// <summary>Where the node is in the query text.</summary>
    public PositionRange Position { get; set; }

    /// <summary>The type of the value the node evaluates to.</summary>
    public abstract ValueType Type { get; }

    /// <inheritdoc/>
    public override string ToString() => ExprPrinter.Print(this);
}

/// <summary>A number literal: <c>1</c>, <c>1e3</c>, <c>0x1f</c>, <c>Inf</c>, <c>NaN</c>, and (in 2.42) no duration literals.</summary>
public sealed class NumberLiteral(double value) : Expr
{
    /// <summary>The value.</summary>
    public double Value { get; } = value;

    /// <inheritdoc/>
    public override ValueType Type => ValueType.Scalar;
}

/// <summary>A string literal, already unescaped.</summary>
public sealed class StringLiteral(string value) : Expr
{
    /// <summary>The unescaped value.</summary>
    public string Value { get; } = value;

    /// <inheritdoc/>
    public override ValueType Type => ValueType.String;
}

/// <summary>A parenthesised expression (kept so the printer reproduces the parentheses).</summary>
public sealed class ParenExpr(Expr inner) : Expr
{
    /// <summary>The expression inside the parentheses.</summary>
    public Expr Inner { get; } = inner;

    /// <inheritdoc/>
    public override ValueType Type => Inner.Type;
}

/// <summary>Unary <c>-</c> or <c>+</c>. Unary minus drops the metric name; unary plus keeps it.</summary>
public sealed class UnaryExpr(bool negate, Expr operand) : Expr
{
    /// <summary>True for <c>-</c>, false for <c>+</c>.</summary>
    public bool Negate { get; } = negate;

    /// <summary>The operand.</summary>
    public Expr Operand { get; } = operand;

    /// <inheritdoc/>
    public override ValueType Type => Operand.Type;
}

/// <summary>The cardinality of a vector matching.</summary>
public enum MatchCardinality
{
    /// <summary>One-to-one (default for arithmetic and comparisons).</summary>
    OneToOne,

    /// <summary><c>group_left</c>: many on the left to one on the right.</summary>
    ManyToOne,

    /// <summary><c>group_right</c>: one on the left to many on the right.</summary>
    OneToMany,

    /// <summary>Set operators <c>and</c>, <c>or</c>, <c>unless</c>.</summary>
    ManyToMany,
}

/// <summary>How the two sides of a vector/vector binary operation are matched (<c>on</c>/<c>ignoring</c>, <c>group_left</c>/<c>group_right</c>).</summary>
public sealed class VectorMatching
{
    /// <summary>The cardinality.</summary>
    public MatchCardinality Card { get; set; }

    /// <summary>The labels of <c>on(...)</c> or <c>ignoring(...)</c>, as written.</summary>
    public IReadOnlyList<string> MatchingLabels { get; set; } = [];

    /// <summary>True for <c>on</c>, false for <c>ignoring</c> (and when neither was written).</summary>
    public bool On { get; set; }

    /// <summary>The extra labels of <c>group_left(...)</c>/<c>group_right(...)</c> copied from the "one" side.</summary>
    public IReadOnlyList<string> Include { get; set; } = [];
}

/// <summary>A binary operation. <see cref="Matching"/> is non-null when both sides are instant vectors.</summary>
public sealed class BinaryExpr(BinaryOp op, Expr lhs, Expr rhs) : Expr
{
    /// <summary>The operator.</summary>
    public BinaryOp Op { get; } = op;

    /// <summary>The left operand.</summary>
    public Expr Lhs { get; } = lhs;

    /// <summary>The right operand.</summary>
    public Expr Rhs { get; } = rhs;

    /// <summary>The vector matching, when both sides are instant vectors (set operators always have one, many-to-many).</summary>
    public VectorMatching? Matching { get; set; }

    /// <summary>Whether <c>bool</c> was given (comparisons return 0/1 instead of filtering).</summary>
    public bool ReturnBool { get; set; }

    /// <inheritdoc/>
    public override ValueType Type =>
        Lhs.Type == ValueType.Scalar && Rhs.Type == ValueType.Scalar ? ValueType.Scalar : ValueType.Vector;
}

/// <summary>An aggregation: <c>sum by (job) (x)</c>, <c>topk(3, x)</c>, <c>count_values("v", x)</c>.</summary>
public sealed class AggregateExpr(AggregateOp op, Expr body) : Expr
{
    /// <summary>The operator.</summary>
    public AggregateOp Op { get; } = op;

    /// <summary>The aggregated expression.</summary>
    public Expr Body { get; } = body;

    /// <summary>The parameter of <c>topk</c>, <c>bottomk</c>, <c>quantile</c> (scalar) or <c>count_values</c> (string).</summary>
    public Expr? Param { get; set; }

    /// <summary>The labels of <c>by (...)</c> or <c>without (...)</c>, as written.</summary>
    public IReadOnlyList<string> Grouping { get; set; } = [];

    /// <summary>True for <c>without</c>.</summary>
    public bool Without { get; set; }

    /// <summary>Whether a <c>by</c>/<c>without</c> clause was written at all (<c>sum by () (x)</c> prints differently from <c>sum(x)</c>).</summary>
    public bool HasGrouping { get; set; }

    /// <inheritdoc/>
    public override ValueType Type => ValueType.Vector;
}

/// <summary>A function call, e.g. <c>rate(x[5m])</c>.</summary>
public sealed class Call(FunctionSignature function, IReadOnlyList<Expr> args) : Expr
{
    /// <summary>The function called.</summary>
    public FunctionSignature Function { get; } = function;

    /// <summary>The arguments.</summary>
    public IReadOnlyList<Expr> Args { get; } = args;

    /// <inheritdoc/>
    public override ValueType Type => Function.ReturnType;
}

/// <summary>The <c>@ start()</c> / <c>@ end()</c> preprocessor forms.</summary>
public enum AtModifier
{
    /// <summary>No <c>@ start()</c>/<c>@ end()</c> (a numeric <c>@</c> is in <c>Timestamp</c>).</summary>
    None,

    /// <summary><c>@ start()</c></summary>
    Start,

    /// <summary><c>@ end()</c></summary>
    End,
}

/// <summary>An instant vector selector: <c>http_requests_total{job="api"} offset 5m @ 1609746000</c>.</summary>
public sealed class VectorSelector(string? name, IReadOnlyList<LabelMatcher> matchers) : Expr
{
    /// <summary>The metric name when written before the braces (also present among <see cref="Matchers"/> as <c>__name__</c>).</summary>
    public string? Name { get; } = name;

    /// <summary>Every matcher, including the <c>__name__</c> equality matcher for a written name.</summary>
    public IReadOnlyList<LabelMatcher> Matchers { get; } = matchers;

    /// <summary>The <c>offset</c> as written, in milliseconds (negative for <c>offset -5m</c>).</summary>
    public long OriginalOffsetMs { get; set; }

    /// <summary>The <c>@</c> timestamp in milliseconds, if a numeric one was written (the engine also fills it for start()/end()).</summary>
    public long? TimestampMs { get; set; }

    /// <summary><c>@ start()</c> or <c>@ end()</c>.</summary>
    public AtModifier StartOrEnd { get; set; }

    /// <summary>Engine-set: the offset actually applied, <see cref="OriginalOffsetMs"/> adjusted for <c>@</c> (Prometheus's <c>setOffsetForAtModifier</c>).</summary>
    public long OffsetMs { get; set; }

    /// <inheritdoc/>
    public override ValueType Type => ValueType.Vector;
}

/// <summary>A range vector selector: <c>x[5m]</c> (offset and <c>@</c> live on the inner selector).</summary>
public sealed class MatrixSelector(VectorSelector selector, long rangeMs) : Expr
{
    /// <summary>The selector.</summary>
    public VectorSelector Selector { get; } = selector;

    /// <summary>The range in milliseconds.</summary>
    public long RangeMs { get; } = rangeMs;

    /// <inheritdoc/>
    public override ValueType Type => ValueType.Matrix;
}

/// <summary>A subquery: <c>rate(x[5m])[1h:1m] offset 1d @ end()</c>.</summary>
public sealed class SubqueryExpr(Expr inner, long rangeMs, long stepMs) : Expr
{
    /// <summary>The expression evaluated at each step.</summary>
    public Expr Inner { get; } = inner;

    /// <summary>The range in milliseconds.</summary>
    public long RangeMs { get; } = rangeMs;

    /// <summary>The step in milliseconds; 0 when omitted (the engine uses the default evaluation interval).</summary>
    public long StepMs { get; } = stepMs;

    /// <summary>The <c>offset</c> as written, in milliseconds.</summary>
    public long OriginalOffsetMs { get; set; }

    /// <summary>The <c>@</c> timestamp in milliseconds, if written (the engine also fills it for start()/end()).</summary>
    public long? TimestampMs { get; set; }

    /// <summary><c>@ start()</c> or <c>@ end()</c>.</summary>
    public AtModifier StartOrEnd { get; set; }

    /// <summary>Engine-set: the offset actually applied, <see cref="OriginalOffsetMs"/> adjusted for <c>@</c>.</summary>
    public long OffsetMs { get; set; }

    /// <inheritdoc/>
    public override ValueType Type => ValueType.Matrix;
}

/// <summary>Engine-internal wrapper: the inner expression gives the same result at every step (Prometheus's <c>StepInvariantExpr</c>). Never printed.</summary>
public sealed class StepInvariantExpr(Expr inner) : Expr
{
    /// <summary>The wrapped expression.</summary>
    public Expr Inner { get; } = inner;

    /// <inheritdoc/>
    public override ValueType Type => Inner.Type;
}
