using System.Buffers;
using System.Globalization;

namespace Vigil.Tsdb.Wal;

/// <summary>
/// The tombstones record (docs/format/wal.md, "Tombstone records"; Prometheus <c>record.Encoder.Tombstones</c>):
/// type 3, then per deleted interval an 8-byte big-endian ref and the min and max time as signed varints.
/// A series with several deleted intervals appears once per interval.
/// </summary>
public static class TombstonesRecord
{
    /// <summary>Appends the record for <paramref name="tombstones"/> to <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<Tombstone> tombstones, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var writer = new RecordWriter(destination);
        writer.Ensure(1);
        writer.WriteByte((byte)WalRecordType.Tombstones);
        foreach (var t in tombstones)
        {
            writer.Ensure(8 + 10 + 10);
            writer.WriteBigEndian64(t.Ref);
            writer.WriteVarint(t.MinTimeMs);
            writer.WriteVarint(t.MaxTimeMs);
        }
        return writer.Complete();
    }

    /// <summary>Decodes a tombstones record, appending to <paramref name="destination"/>; throws <see cref="RecordFormatException"/> on bad input.</summary>
    public static void Decode(ReadOnlySpan<byte> record, List<Tombstone> destination)
        => RecordDecoding.Decode(record, destination, DecodeCore);

    /// <summary>Decodes a tombstones record, appending to <paramref name="destination"/>. On bad input returns false and leaves the list as it was. Never throws.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> record, List<Tombstone> destination, out RecordError error)
        => RecordDecoding.TryDecode(record, destination, DecodeCore, out error);

    private static RecordError DecodeCore(ReadOnlySpan<byte> record, List<Tombstone> destination)
    {
        var reader = new RecordReader(record);
        if (!reader.TryReadByte(out var type) || type != (byte)WalRecordType.Tombstones)
        {
            return new RecordError(record.IsEmpty ? "empty record: expected type byte 3 (tombstones)" : $"record type {type}: expected 3 (tombstones)", 0);
        }
        var index = 0;
        while (reader.Remaining > 0)
        {
            var at = reader.Position;
            if (!reader.TryReadBigEndian64(out var seriesRef) || !reader.TryReadVarint(out var minT) || !reader.TryReadVarint(out var maxT))
            {
                return new RecordError(string.Create(CultureInfo.InvariantCulture,
                    $"tombstone {index} is cut short or has an invalid varint: expected 8-byte ref, min time, max time"), at);
            }
            destination.Add(new Tombstone(seriesRef, minT, maxT));
            index++;
        }
        return default;
    }
}
