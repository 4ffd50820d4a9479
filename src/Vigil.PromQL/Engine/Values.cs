using Vigil.Model;
using Vigil.PromQL.Ast;
using ValueType = Vigil.PromQL.Ast.ValueType;

namespace Vigil.PromQL.Engine;

/// <summary>One element of an instant vector: a series' labels with one sample (Prometheus's <c>promql.Sample</c>).</summary>
/// <param name="Metric">The series' labels.</param>
/// <param name="TimestampMs">The sample's timestamp (the evaluation time for computed samples).</param>
/// <param name="Value">The value.</param>
public readonly record struct VectorSample(Labels Metric, long TimestampMs, double Value);

/// <summary>One series of a range vector or of a range query's result: labels and samples in time order.</summary>
/// <param name="Metric">The series' labels.</param>
/// <param name="Points">The samples in time order.</param>
public sealed record Series(Labels Metric, List<Sample> Points);

/// <summary>A query's result value: <see cref="ScalarResult"/>, <see cref="StringResult"/>, <see cref="Vector"/> or <see cref="Matrix"/>.</summary>
public abstract class QueryValue
{
    /// <summary>The value's type.</summary>
    public abstract ValueType Type { get; }
}

/// <summary>A scalar result at a timestamp.</summary>
public sealed class ScalarResult(long timestampMs, double value) : QueryValue
{
    /// <summary>The evaluation timestamp.</summary>
    public long TimestampMs { get; } = timestampMs;

    /// <summary>The value.</summary>
    public double Value { get; } = value;

    /// <inheritdoc/>
    public override ValueType Type => ValueType.Scalar;
}

/// <summary>A string result at a timestamp.</summary>
public sealed class StringResult(long timestampMs, string value) : QueryValue
{
    /// <summary>The evaluation timestamp.</summary>
    public long TimestampMs { get; } = timestampMs;

    /// <summary>The value.</summary>
    public string Value { get; } = value;

    /// <inheritdoc/>
    public override ValueType Type => ValueType.String;
}

/// <summary>An instant vector (Prometheus's <c>promql.Vector</c>).</summary>
public sealed class Vector : QueryValue
{
    /// <summary>An empty vector.</summary>
    public Vector()
    {
        Samples = [];
    }

    /// <summary>A vector over <paramref name="samples"/> (not copied).</summary>
    public Vector(List<VectorSample> samples)
    {
        Samples = samples;
    }

    /// <summary>The elements.</summary>
    public List<VectorSample> Samples { get; }

    /// <inheritdoc/>
    public override ValueType Type => ValueType.Vector;
}

/// <summary>A range vector, or a range query's result (Prometheus's <c>promql.Matrix</c>).</summary>
public sealed class Matrix : QueryValue
{
    /// <summary>An empty matrix.</summary>
    public Matrix()
    {
        Series = [];
    }

    /// <summary>A matrix over <paramref name="series"/> (not copied).</summary>
    public Matrix(List<Series> series)
    {
        Series = series;
    }

    /// <summary>The series.</summary>
    public List<Series> Series { get; }

    /// <inheritdoc/>
    public override ValueType Type => ValueType.Matrix;
}
