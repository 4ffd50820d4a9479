using System.Buffers;

namespace Vigil.Model.Exposition;

/// <summary>Writes <see cref="MetricFamily"/> objects with <see cref="ExpositionWriter"/>, so that <see cref="ExpositionReader"/> reads them back.</summary>
public static class ExpositionSerializer
{
    /// <summary>
    /// Writes each family: HELP when it has help, TYPE when its type is known, UNIT when it has a unit (OpenMetrics),
    /// then its samples named by their <c>__name__</c>; then <c># EOF</c> in OpenMetrics. Exemplars are written in
    /// OpenMetrics only (text 0.0.4 has none).
    /// </summary>
    /// <exception cref="ArgumentException">A sample has no <c>__name__</c>.</exception>
    public static void Write(IEnumerable<MetricFamily> families, IBufferWriter<byte> output, ExpositionFormat format)
    {
        ArgumentNullException.ThrowIfNull(families);
        ArgumentNullException.ThrowIfNull(output);
        var writer = new ExpositionWriter(output, format);
        foreach (var family in families)
        {
            if (family.Help is not null)
            {
                writer.WriteHelp(family.Name, family.Help);
            }
            if (family.Type != MetricType.Unknown)
            {
                writer.WriteType(family.Name, family.Type);
            }
            if (family.Unit is not null)
            {
                writer.WriteUnit(family.Name, family.Unit);
            }
            foreach (var sample in family.Samples)
            {
                var name = sample.Labels.MetricName;
                if (name.Length == 0)
                {
                    throw new ArgumentException($"a sample of family \"{family.Name}\" has no {Label.MetricName} label", nameof(families));
                }
                writer.WriteSample(name, sample.Labels.AsSpan(), sample.Value, sample.TimestampMs, sample.Exemplar);
            }
        }
        writer.WriteEof();
    }

    /// <summary>Writes <paramref name="families"/> to a new byte array.</summary>
    public static byte[] ToUtf8Bytes(IEnumerable<MetricFamily> families, ExpositionFormat format)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(families, buffer, format);
        return buffer.WrittenSpan.ToArray();
    }
}
