namespace Vigil.Model.Exposition;

/// <summary>
/// A metric family: its name, type, optional help and unit, and its samples in exposition order.
/// The convenient, allocating model for tests and tools; scrapes use <see cref="ExpositionParser"/> directly.
/// </summary>
public sealed class MetricFamily
{
    /// <summary>A family.</summary>
    /// <param name="name">The family name (in OpenMetrics without the counter's <c>_total</c>).</param>
    /// <param name="type">The declared type; <see cref="MetricType.Unknown"/> without a TYPE line.</param>
    /// <param name="samples">The samples, each with its full label set including <c>__name__</c>.</param>
    /// <param name="help">The help text, or <see langword="null"/> when the family has no HELP line.</param>
    /// <param name="unit">The OpenMetrics unit, or <see langword="null"/> when the family has no UNIT line.</param>
    public MetricFamily(string name, MetricType type, IReadOnlyList<MetricSample> samples, string? help = null, string? unit = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(samples);
        Name = name;
        Type = type;
        Samples = samples;
        Help = help;
        Unit = unit;
    }

    /// <summary>The family name.</summary>
    public string Name { get; }

    /// <summary>The declared type.</summary>
    public MetricType Type { get; }

    /// <summary>The help text, or <see langword="null"/> without a HELP line.</summary>
    public string? Help { get; }

    /// <summary>The unit, or <see langword="null"/> without a UNIT line.</summary>
    public string? Unit { get; }

    /// <summary>The samples in exposition order.</summary>
    public IReadOnlyList<MetricSample> Samples { get; }

    /// <summary>The family name and type, for debugging.</summary>
    public override string ToString() => $"{Name} ({Type}, {Samples.Count} samples)";
}
