using System.Buffers;
using Google.Protobuf;

namespace Vigil.Remote.Send;

/// <summary>
/// Writes a prompb <c>WriteRequest</c> (remote write 1.0; <c>Protos/remote.proto</c>, <c>types.proto</c>) straight from
/// pending samples, without building message objects: one <c>TimeSeries</c> per sample, as Prometheus 2.42's
/// <c>buildWriteRequest</c> sends them, fields in number order, proto3 defaults (empty strings, 0 values) omitted.
/// Then block-snappy compresses it.
/// </summary>
public static class WriteRequestEncoder
{
    private const uint TimeSeriesTag = (1 << 3) | 2;  // WriteRequest.timeseries = 1, length-delimited
    private const uint LabelTag = (1 << 3) | 2;       // TimeSeries.labels = 1
    private const uint SampleTag = (2 << 3) | 2;      // TimeSeries.samples = 2
    private const uint NameTag = (1 << 3) | 2;        // Label.name = 1
    private const uint ValueTag = (2 << 3) | 2;       // Label.value = 2
    private const uint SampleValueTag = (1 << 3) | 1; // Sample.value = 1, fixed64
    private const uint TimestampTag = (2 << 3) | 0;   // Sample.timestamp = 2, varint

    /// <summary>The compressed request for <paramref name="samples"/>, and the highest timestamp among them.</summary>
    public static (byte[] Body, long HighestTimestampMs) Encode(ReadOnlySpan<PendingSample> samples)
    {
        var size = 0;
        long highest = 0;
        foreach (ref readonly var s in samples)
        {
            var series = TimeSeriesSize(s);
            size += 1 + CodedOutputStream.ComputeLengthSize(series) + series;
            if (s.TimestampMs > highest)
            {
                highest = s.TimestampMs;
            }
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        try
        {
            var output = new CodedOutputStream(buffer);
            foreach (ref readonly var s in samples)
            {
                output.WriteTag(TimeSeriesTag);
                output.WriteLength(TimeSeriesSize(s));
                foreach (var label in s.Labels.AsSpan())
                {
                    output.WriteTag(LabelTag);
                    output.WriteLength(LabelSize(label.Name, label.Value));
                    if (label.Name.Length > 0)
                    {
                        output.WriteTag(NameTag);
                        output.WriteString(label.Name);
                    }
                    if (label.Value.Length > 0)
                    {
                        output.WriteTag(ValueTag);
                        output.WriteString(label.Value);
                    }
                }
                output.WriteTag(SampleTag);
                output.WriteLength(SampleSize(s));
                if (BitConverter.DoubleToUInt64Bits(s.Value) != 0)
                {
                    output.WriteTag(SampleValueTag);
                    output.WriteDouble(s.Value);
                }
                if (s.TimestampMs != 0)
                {
                    output.WriteTag(TimestampTag);
                    output.WriteInt64(s.TimestampMs);
                }
            }
            output.Flush();
            return (IronSnappy.Snappy.Encode(buffer.AsSpan(0, size)), highest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int TimeSeriesSize(in PendingSample s)
    {
        var size = 0;
        foreach (var label in s.Labels.AsSpan())
        {
            var l = LabelSize(label.Name, label.Value);
            size += 1 + CodedOutputStream.ComputeLengthSize(l) + l;
        }
        var sample = SampleSize(s);
        return size + 1 + CodedOutputStream.ComputeLengthSize(sample) + sample;
    }

    private static int LabelSize(string name, string value)
        => (name.Length > 0 ? 1 + CodedOutputStream.ComputeStringSize(name) : 0)
         + (value.Length > 0 ? 1 + CodedOutputStream.ComputeStringSize(value) : 0);

    private static int SampleSize(in PendingSample s)
        => (BitConverter.DoubleToUInt64Bits(s.Value) != 0 ? 9 : 0)
         + (s.TimestampMs != 0 ? 1 + CodedOutputStream.ComputeInt64Size(s.TimestampMs) : 0);
}
