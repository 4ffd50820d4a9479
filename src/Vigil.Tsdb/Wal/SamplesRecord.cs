using System.Buffers;
using System.Globalization;

namespace Vigil.Tsdb.Wal;

/// <summary>
/// The samples record (docs/format/wal.md, "Sample records"; Prometheus <c>record.Encoder.Samples</c>) of
/// <see cref="RefSample"/>s (the head's type, shared so a commit is encoded without copying): type 2,
/// then — unless empty — the first sample's ref and timestamp as 8-byte big-endian bases, then per sample
/// (the first included) the ref and timestamp as signed (zig-zag) varint deltas from the bases and the value
/// as its raw 8 IEEE-754 bytes, big-endian. Deltas wrap modulo 2^64, so any refs and times round-trip.
/// </summary>
public static class SamplesRecord
{
    /// <summary>The most bytes one sample takes: two 10-byte varints and the 8-byte value.</summary>
    private const int MaxSampleSize = 10 + 10 + 8;

    /// <summary>Appends the record for <paramref name="samples"/> to <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<RefSample> samples, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var writer = new RecordWriter(destination);
        writer.Ensure(1 + 16);
        writer.WriteByte((byte)WalRecordType.Samples);
        if (samples.IsEmpty)
        {
            return writer.Complete();
        }
        var first = samples[0];
        writer.WriteBigEndian64(first.Ref);
        writer.WriteBigEndian64((ulong)first.TimestampMs);
        foreach (var s in samples)
        {
            writer.Ensure(MaxSampleSize);
            writer.WriteVarint(unchecked((long)(s.Ref - first.Ref)));
            writer.WriteVarint(unchecked(s.TimestampMs - first.TimestampMs));
            writer.WriteBigEndian64(BitConverter.DoubleToUInt64Bits(s.Value));
        }
        return writer.Complete();
    }

    /// <summary>Decodes a samples record, appending to <paramref name="destination"/>; throws <see cref="RecordFormatException"/> on bad input.</summary>
    public static void Decode(ReadOnlySpan<byte> record, List<RefSample> destination)
        => RecordDecoding.Decode(record, destination, DecodeCore);

    /// <summary>
    /// Decodes a samples record, appending to <paramref name="destination"/> (reuse the list: no allocation per
    /// sample). On bad input returns false with reason and offset and leaves the list as it was. Never throws.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> record, List<RefSample> destination, out RecordError error)
        => RecordDecoding.TryDecode(record, destination, DecodeCore, out error);

    private static RecordError DecodeCore(ReadOnlySpan<byte> record, List<RefSample> destination)
    {
        var reader = new RecordReader(record);
        if (!reader.TryReadByte(out var type) || type != (byte)WalRecordType.Samples)
        {
            return new RecordError(record.IsEmpty ? "empty record: expected type byte 2 (samples)" : $"record type {type}: expected 2 (samples)", 0);
        }
        if (reader.Remaining == 0)
        {
            return default;
        }
        if (!reader.TryReadBigEndian64(out var baseRef) || !reader.TryReadBigEndian64(out var baseTime))
        {
            return new RecordError("samples record base cut short: expected an 8-byte ref and an 8-byte timestamp", 1);
        }
        // Each sample takes at least 1 + 1 + 8 bytes.
        destination.EnsureCapacity(destination.Count + (reader.Remaining / 10));
        var index = 0;
        while (reader.Remaining > 0)
        {
            var at = reader.Position;
            if (!reader.TryReadVarint(out var refDelta) || !reader.TryReadVarint(out var timeDelta) || !reader.TryReadBigEndian64(out var bits))
            {
                return new RecordError(string.Create(CultureInfo.InvariantCulture,
                    $"sample {index} is cut short or has an invalid varint: expected ref delta, time delta, 8-byte value"), at);
            }
            destination.Add(new RefSample(unchecked(baseRef + (ulong)refDelta), unchecked((long)baseTime + timeDelta), BitConverter.UInt64BitsToDouble(bits)));
            index++;
        }
        return default;
    }
}
