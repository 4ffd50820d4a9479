namespace Vigil.PromQL.Ast;

/// <summary>The binary operators of PromQL.</summary>
public enum BinaryOp
{
    /// <summary><c>+</c></summary>
    Add,
    /// <summary><c>-</c></summary>
    Sub,
    /// <summary><c>*</c></summary>
    Mul,
    /// <summary><c>/</c></summary>
    Div,
    /// <summary><c>%</c></summary>
    Mod,
    /// <summary><c>^</c> (right-associative)</summary>
    Pow,
    /// <summary><c>==</c></summary>
    Eql,
    /// <summary><c>!=</c></summary>
    Neq,
    /// <summary><c>&gt;</c></summary>
    Gtr,
    /// <summary><c>&lt;</c></summary>
    Lss,
    /// <summary><c>&gt;=</c></summary>
    Gte,
    /// <summary><c>&lt;=</c></summary>
    Lte,
    /// <summary><c>and</c></summary>
    And,
    /// <summary><c>or</c></summary>
    Or,
    /// <summary><c>unless</c></summary>
    Unless,
    /// <summary><c>atan2</c></summary>
    Atan2,
}

/// <summary>The aggregation operators of PromQL.</summary>
public enum AggregateOp
{
    /// <summary><c>sum</c></summary>
    Sum,
    /// <summary><c>avg</c></summary>
    Avg,
    /// <summary><c>count</c></summary>
    Count,
    /// <summary><c>min</c></summary>
    Min,
    /// <summary><c>max</c></summary>
    Max,
    /// <summary><c>group</c></summary>
    Group,
    /// <summary><c>stddev</c></summary>
    Stddev,
    /// <summary><c>stdvar</c></summary>
    Stdvar,
    /// <summary><c>topk</c> (takes a scalar parameter)</summary>
    TopK,
    /// <summary><c>bottomk</c> (takes a scalar parameter)</summary>
    BottomK,
    /// <summary><c>count_values</c> (takes a string parameter)</summary>
    CountValues,
    /// <summary><c>quantile</c> (takes a scalar parameter)</summary>
    Quantile,
}

/// <summary>Spelling, precedence and classification of operators, as Prometheus's parser has them.</summary>
public static class Operators
{
    /// <summary>The operator as written in PromQL.</summary>
    public static string Text(this BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Sub => "-",
        BinaryOp.Mul => "*",
        BinaryOp.Div => "/",
        BinaryOp.Mod => "%",
        BinaryOp.Pow => "^",
        BinaryOp.Eql => "==",
        BinaryOp.Neq => "!=",
        BinaryOp.Gtr => ">",
        BinaryOp.Lss => "<",
        BinaryOp.Gte => ">=",
        BinaryOp.Lte => "<=",
        BinaryOp.And => "and",
        BinaryOp.Or => "or",
        BinaryOp.Unless => "unless",
        BinaryOp.Atan2 => "atan2",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>The operator as written in PromQL.</summary>
    public static string Text(this AggregateOp op) => op switch
    {
        AggregateOp.Sum => "sum",
        AggregateOp.Avg => "avg",
        AggregateOp.Count => "count",
        AggregateOp.Min => "min",
        AggregateOp.Max => "max",
        AggregateOp.Group => "group",
        AggregateOp.Stddev => "stddev",
        AggregateOp.Stdvar => "stdvar",
        AggregateOp.TopK => "topk",
        AggregateOp.BottomK => "bottomk",
        AggregateOp.CountValues => "count_values",
        AggregateOp.Quantile => "quantile",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Binding strength: <c>or</c> 1, <c>and</c>/<c>unless</c> 2, comparisons 3, <c>+ -</c> 4, <c>* / % atan2</c> 5, <c>^</c> 6.</summary>
    public static int Precedence(this BinaryOp op) => op switch
    {
        BinaryOp.Or => 1,
        BinaryOp.And or BinaryOp.Unless => 2,
        BinaryOp.Eql or BinaryOp.Neq or BinaryOp.Gtr or BinaryOp.Lss or BinaryOp.Gte or BinaryOp.Lte => 3,
        BinaryOp.Add or BinaryOp.Sub => 4,
        BinaryOp.Mul or BinaryOp.Div or BinaryOp.Mod or BinaryOp.Atan2 => 5,
        BinaryOp.Pow => 6,
        _ => 0,
    };

    /// <summary>Whether the operator is a comparison (<c>== != &gt; &lt; &gt;= &lt;=</c>), which filters unless <c>bool</c> is given.</summary>
    public static bool IsComparison(this BinaryOp op) =>
        op is BinaryOp.Eql or BinaryOp.Neq or BinaryOp.Gtr or BinaryOp.Lss or BinaryOp.Gte or BinaryOp.Lte;

    /// <summary>Whether the operator is a set operator (<c>and or unless</c>), which works only between vectors, many-to-many.</summary>
    public static bool IsSetOperator(this BinaryOp op) => op is BinaryOp.And or BinaryOp.Or or BinaryOp.Unless;

    /// <summary>Whether the aggregation takes a parameter before its body (<c>topk</c>, <c>bottomk</c>, <c>quantile</c>, <c>count_values</c>).</summary>
    public static bool TakesParameter(this AggregateOp op) =>
        op is AggregateOp.TopK or AggregateOp.BottomK or AggregateOp.Quantile or AggregateOp.CountValues;
}
