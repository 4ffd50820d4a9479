using Vigil.Model;

namespace Vigil.Remote.Otlp;

/// <summary>Where <see cref="OtlpMetricsTranslator"/> puts the samples it makes (an appender, or a list in tests).</summary>
public interface IOtlpSampleSink
{
    /// <summary>Takes one sample; false stops the translation (the receiver rejects the whole request).</summary>
    bool Append(Labels labels, long timestampMs, double value);
}
