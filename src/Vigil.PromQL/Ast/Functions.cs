using System.Collections.Frozen;

namespace Vigil.PromQL.Ast;

/// <summary>Every function Prometheus 2.42's parser accepts, with its signature (<c>parser.Functions</c>).</summary>
public static class Functions
{
    private const ValueType S = ValueType.Scalar;
    private const ValueType V = ValueType.Vector;
    private const ValueType M = ValueType.Matrix;
    private const ValueType Str = ValueType.String;

    private static readonly FunctionSignature[] s_all =
    [
        new("abs", [V], 0, V),
        new("absent", [V], 0, V),
        new("absent_over_time", [M], 0, V),
        new("acos", [V], 0, V),
        new("acosh", [V], 0, V),
        new("asin", [V], 0, V),
        new("asinh", [V], 0, V),
        new("atan", [V], 0, V),
        new("atanh", [V], 0, V),
        new("avg_over_time", [M], 0, V),
        new("ceil", [V], 0, V),
        new("changes", [M], 0, V),
        new("clamp", [V, S, S], 0, V),
        new("clamp_max", [V, S], 0, V),
        new("clamp_min", [V, S], 0, V),
        new("cos", [V], 0, V),
        new("cosh", [V], 0, V),
        new("count_over_time", [M], 0, V),
        new("days_in_month", [V], 1, V),
        new("day_of_month", [V], 1, V),
        new("day_of_week", [V], 1, V),
        new("day_of_year", [V], 1, V),
        new("deg", [V], 0, V),
        new("delta", [M], 0, V),
        new("deriv", [M], 0, V),
        new("exp", [V], 0, V),
        new("floor", [V], 0, V),
        new("histogram_count", [V], 0, V),
        new("histogram_sum", [V], 0, V),
        new("histogram_fraction", [S, S, V], 0, V),
        new("histogram_quantile", [S, V], 0, V),
        new("holt_winters", [M, S, S], 0, V),
        new("hour", [V], 1, V),
        new("idelta", [M], 0, V),
        new("increase", [M], 0, V),
        new("irate", [M], 0, V),
        new("label_replace", [V, Str, Str, Str, Str], 0, V),
        new("label_join", [V, Str, Str, Str], -1, V),
        new("last_over_time", [M], 0, V),
        new("ln", [V], 0, V),
        new("log10", [V], 0, V),
        new("log2", [V], 0, V),
        new("max_over_time", [M], 0, V),
        new("min_over_time", [M], 0, V),
        new("minute", [V], 1, V),
        new("month", [V], 1, V),
        new("pi", [], 0, S),
        new("predict_linear", [M, S], 0, V),
        new("present_over_time", [M], 0, V),
        new("quantile_over_time", [S, M], 0, V),
        new("rad", [V], 0, V),
        new("rate", [M], 0, V),
        new("resets", [M], 0, V),
        new("round", [V, S], 1, V),
        new("scalar", [V], 0, S),
        new("sgn", [V], 0, V),
        new("sin", [V], 0, V),
        new("sinh", [V], 0, V),
        new("sort", [V], 0, V),
        new("sort_desc", [V], 0, V),
        new("sqrt", [V], 0, V),
        new("stddev_over_time", [M], 0, V),
        new("stdvar_over_time", [M], 0, V),
        new("sum_over_time", [M], 0, V),
        new("tan", [V], 0, V),
        new("tanh", [V], 0, V),
        new("time", [], 0, S),
        new("timestamp", [V], 0, V),
        new("vector", [S], 0, V),
        new("year", [V], 1, V),
    ];

    private static readonly FrozenDictionary<string, FunctionSignature> s_byName =
        s_all.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Every function, in alphabetical order.</summary>
    public static IReadOnlyList<FunctionSignature> All => s_all;

    /// <summary>Looks a function up by its exact (case-sensitive) name.</summary>
    public static bool TryGet(string name, out FunctionSignature function) =>
        s_byName.TryGetValue(name, out function!);
}
