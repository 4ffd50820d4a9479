namespace Vigil.Model.Exposition;

/// <summary>One sample line of a metric family, as <see cref="ExpositionReader"/> reads and <see cref="ExpositionSerializer"/> writes it.</summary>
/// <param name="Labels">All labels including <c>__name__</c> (e.g. <c>foo_bucket</c>, with <c>le</c>).</param>
/// <param name="Value">The value; NaN read from a body is Prometheus's normal NaN.</param>
/// <param name="TimestampMs">Milliseconds since the epoch, when the line has a timestamp.</param>
/// <param name="Exemplar">The OpenMetrics exemplar, when the line has one.</param>
public sealed record MetricSample(Labels Labels, double Value, long? TimestampMs = null, Exemplar? Exemplar = null)
{
    /// <summary>The sample's metric name (<c>__name__</c>).</summary>
    public string MetricName => Labels.MetricName;
}
