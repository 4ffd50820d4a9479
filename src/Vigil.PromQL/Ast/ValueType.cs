namespace Vigil.PromQL.Ast;

/// <summary>The type of a PromQL expression's value, named as Prometheus names them in errors and in the API.</summary>
public enum ValueType
{
    /// <summary>No value (Prometheus's <c>none</c>).</summary>
    None,

    /// <summary>A scalar: one float.</summary>
    Scalar,

    /// <summary>An instant vector: one sample per series.</summary>
    Vector,

    /// <summary>A range vector: a run of samples per series.</summary>
    Matrix,

    /// <summary>A string.</summary>
    String,
}

/// <summary>Prometheus's spelling of each <see cref="ValueType"/>.</summary>
public static class ValueTypeNames
{
    /// <summary>The name Prometheus uses: "scalar", "instant vector", "range vector", "string", "none" in parse errors.</summary>
    public static string DocumentedName(this ValueType type) => type switch
    {
        ValueType.Scalar => "scalar",
        ValueType.Vector => "instant vector",
        ValueType.Matrix => "range vector",
        ValueType.String => "string",
        _ => "none",
    };

    /// <summary>The name used in the API's <c>resultType</c>: "scalar", "vector", "matrix", "string".</summary>
    public static string ApiName(this ValueType type) => type switch
    {
        ValueType.Scalar => "scalar",
        ValueType.Vector => "vector",
        ValueType.Matrix => "matrix",
        ValueType.String => "string",
        _ => "none",
    };
}
