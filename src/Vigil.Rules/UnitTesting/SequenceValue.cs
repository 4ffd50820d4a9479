namespace Vigil.Rules.UnitTesting;

/// <summary>
/// One step of an input series in expanding notation (Prometheus's <c>parser.SequenceValue</c>): a value, or a
/// gap (<c>_</c>) where the series has no sample at that step.
/// </summary>
/// <param name="Value">The value (may be NaN, ±Inf or the stale marker); 0 for a gap.</param>
/// <param name="Omitted">Whether the step is a gap.</param>
public readonly record struct SequenceValue(double Value, bool Omitted)
{
    /// <summary>A gap.</summary>
    public static SequenceValue Gap => new(0, true);
}
