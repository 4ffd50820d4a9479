namespace Vigil.Model.Exposition;

/// <summary>An OpenMetrics exemplar: labels (e.g. <c>trace_id</c>), a value and an optional timestamp.</summary>
/// <param name="Labels">The exemplar's labels; their names and values together must not exceed 128 UTF-8 characters.</param>
/// <param name="Value">The exemplar value.</param>
/// <param name="TimestampMs">Milliseconds since the epoch, when the exemplar carries one.</param>
public sealed record Exemplar(Labels Labels, double Value, long? TimestampMs = null);
