using System.Buffers.Binary;
using Google.Protobuf;

namespace Vigil.RemoteWriteCompare.Load;

/// <summary>
/// Builds remote write 1.0 requests (<c>prompb.WriteRequest</c>, block-snappy compressed, as Prometheus 2.42 sends them)
/// for a contiguous range of <see cref="RemoteWriteSeries"/>: one <c>TimeSeries</c> per series holding one sample at the
/// given timestamp. The uncompressed message goes into a buffer reused from request to request; only the compressed body
/// is a new array (what <c>HttpContent</c> keeps until the answer comes back).
/// </summary>
public sealed class WriteRequestWriter(RemoteWriteSeries series, ulong seed)
{
    private const uint TimeSeriesTag = (1 << 3) | 2;  // WriteRequest.timeseries = 1
    private const uint SampleTag = (2 << 3) | 2;      // TimeSeries.samples = 2
    private const uint SampleValueTag = (1 << 3) | 1; // Sample.value = 1, double
    private const uint TimestampTag = (2 << 3) | 0;   // Sample.timestamp = 2, int64

    private byte[] _buffer = new byte[1 << 16];
    private ulong _random = seed | 1;

    /// <summary>The uncompressed size of the last request.</summary>
    public int LastUncompressedBytes { get; private set; }

    /// <summary>
    /// The compressed request for series <paramref name="from"/> .. <paramref name="from"/> + <paramref name="count"/> - 1,
    /// one sample each at <paramref name="timestampMs"/> (each series moved on by one value).
    /// </summary>
    public byte[] Next(int from, int count, long timestampMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from + count, series.Count);
        var timestampSize = timestampMs != 0 ? 1 + CodedOutputStream.ComputeInt64Size(timestampMs) : 0;
        var size = 0;
        for (var i = from; i < from + count; i++)
        {
            var ts = TimeSeriesSize(series.EncodedLabels(i).Length, timestampSize);
            size += 1 + CodedOutputStream.ComputeLengthSize(ts) + ts;
        }
        if (_buffer.Length < size)
        {
            _buffer = new byte[Math.Max(size, _buffer.Length * 2)];
        }
        var span = _buffer.AsSpan(0, size);
        var at = 0;
        for (var i = from; i < from + count; i++)
        {
            var labels = series.EncodedLabels(i);
            at = Varint(span, at, TimeSeriesTag);
            at = Varint(span, at, (ulong)TimeSeriesSize(labels.Length, timestampSize));
            labels.CopyTo(span[at..]);
            at += labels.Length;
            at = Varint(span, at, SampleTag);
            at = Varint(span, at, (ulong)(9 + timestampSize));
            // The value is always written (Prometheus omits a 0 value; a decoder reads either the same way).
            at = Varint(span, at, SampleValueTag);
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], series.NextValue(i, ref _random));
            at += 8;
            if (timestampSize > 0)
            {
                at = Varint(span, at, TimestampTag);
                at = Varint(span, at, (ulong)timestampMs);
            }
        }
        if (at != size)
        {
            throw new InvalidOperationException($"encoded {at} bytes, computed {size}");
        }
        LastUncompressedBytes = size;
        return IronSnappy.Snappy.Encode(_buffer.AsSpan(0, size));
    }

    private static int Varint(Span<byte> span, int at, ulong value)
    {
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[at++] = (byte)value;
        return at;
    }

    private static int TimeSeriesSize(int labelBytes, int timestampSize)
    {
        var sample = 9 + timestampSize;
        return labelBytes + 1 + CodedOutputStream.ComputeLengthSize(sample) + sample;
    }
}
