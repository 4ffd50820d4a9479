using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Vigil.Model;

namespace Vigil.Server.Federation;

/// <summary>
/// Writes federated samples as length-delimited <c>io.prometheus.client.MetricFamily</c> messages (client_model's
/// metrics.proto; <c>expfmt.FmtProtoDelim</c>): per metric name one family with <c>type: UNTYPED</c> and no help,
/// each sample a <c>Metric</c> with the same labels the text format writes (external labels and
/// <c>instance=""</c> included), an <c>untyped.value</c> and a <c>timestamp_ms</c>. Fields go in field-number order,
/// as Go's protobuf marshals them, so the bytes equal Prometheus's.
/// </summary>
public sealed class FederationProtobufWriter : IFederationWriter
{
    private readonly IBufferWriter<byte> _output;
    private readonly FederationLabels _labels;
    private readonly ArrayBufferWriter<byte> _family = new();
    private readonly ArrayBufferWriter<byte> _metric = new();
    private string? _name;

    /// <summary>A writer into <paramref name="output"/>, adding <paramref name="externalLabels"/>.</summary>
    public FederationProtobufWriter(IBufferWriter<byte> output, Labels externalLabels)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _labels = new FederationLabels(externalLabels);
    }

    /// <inheritdoc/>
    public void Write(in FederatedSample sample)
    {
        var name = sample.Labels.MetricName;
        if (name.Length == 0)
        {
            return;
        }
        if (name != _name)
        {
            Complete();
            _name = name;
            // MetricFamily: name = 1, type = 3 (UNTYPED = 3).
            WriteString(_family, 1, name);
            WriteTag(_family, 3, 0);
            WriteVarint(_family, 3);
        }
        _metric.ResetWrittenCount();
        foreach (var label in _labels.For(sample.Labels))
        {
            // Metric.label = 1: LabelPair { name = 1, value = 2 }.
            var nameBytes = Encoding.UTF8.GetByteCount(label.Name);
            var valueBytes = Encoding.UTF8.GetByteCount(label.Value);
            WriteTag(_metric, 1, 2);
            WriteVarint(_metric, (ulong)(1 + VarintSize((ulong)nameBytes) + nameBytes + 1 + VarintSize((ulong)valueBytes) + valueBytes));
            WriteString(_metric, 1, label.Name);
            WriteString(_metric, 2, label.Value);
        }
        // Metric.untyped = 5: Untyped { value = 1 (double) }.
        WriteTag(_metric, 5, 2);
        WriteVarint(_metric, 9);
        WriteTag(_metric, 1, 1);
        var span = _metric.GetSpan(8);
        BinaryPrimitives.WriteDoubleLittleEndian(span, sample.Value);
        _metric.Advance(8);
        // Metric.timestamp_ms = 6 (int64: negative values take ten bytes).
        WriteTag(_metric, 6, 0);
        WriteVarint(_metric, unchecked((ulong)sample.TimestampMs));

        // MetricFamily.metric = 4.
        WriteTag(_family, 4, 2);
        WriteVarint(_family, (ulong)_metric.WrittenCount);
        _family.Write(_metric.WrittenSpan);
    }

    /// <summary>Writes the family in progress (pbutil.WriteDelimited: its length as a uvarint, then the message).</summary>
    public void Complete()
    {
        if (_name is null)
        {
            return;
        }
        WriteVarint(_output, (ulong)_family.WrittenCount);
        _output.Write(_family.WrittenSpan);
        _family.ResetWrittenCount();
        _name = null;
    }

    private static void WriteTag(IBufferWriter<byte> output, int field, int wireType) => WriteVarint(output, (ulong)((field << 3) | wireType));

    private static void WriteString(IBufferWriter<byte> output, int field, string value)
    {
        WriteTag(output, field, 2);
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint(output, (ulong)length);
        var span = output.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        output.Advance(length);
    }

    private static void WriteVarint(IBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        output.Advance(i);
    }

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }
}
