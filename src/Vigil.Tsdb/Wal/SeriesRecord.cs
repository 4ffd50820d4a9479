using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Vigil.Model;

namespace Vigil.Tsdb.Wal;

/// <summary>
/// The series record (docs/format/wal.md, "Series records"; Prometheus <c>record.Encoder.Series</c>): type 1,
/// then per series an 8-byte big-endian ref, a uvarint label count and each name and value as a uvarint
/// length plus UTF-8 bytes, in the label set's order.
/// </summary>
public static class SeriesRecord
{
    /// <summary>Appends the record for <paramref name="series"/> to <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<RefSeries> series, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var writer = new RecordWriter(destination);
        writer.Ensure(1);
        writer.WriteByte((byte)WalRecordType.Series);
        foreach (var s in series)
        {
            var labels = s.Labels.AsSpan();
            writer.Ensure(8 + 10);
            writer.WriteBigEndian64(s.Ref);
            writer.WriteUvarint((ulong)labels.Length);
            foreach (var label in labels)
            {
                writer.WriteUvarintString(label.Name);
                writer.WriteUvarintString(label.Value);
            }
        }
        return writer.Complete();
    }

    /// <summary>Decodes a series record, appending to <paramref name="destination"/>; throws <see cref="RecordFormatException"/> on bad input.</summary>
    public static void Decode(ReadOnlySpan<byte> record, List<RefSeries> destination)
        => RecordDecoding.Decode(record, destination, DecodeCore);

    /// <summary>
    /// Decodes a series record, appending to <paramref name="destination"/>. On bad input returns false with
    /// the reason and offset and leaves <paramref name="destination"/> as it was. Never throws on any input.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> record, List<RefSeries> destination, out RecordError error)
        => RecordDecoding.TryDecode(record, destination, DecodeCore, out error);

    private static RecordError DecodeCore(ReadOnlySpan<byte> record, List<RefSeries> destination)
    {
        var reader = new RecordReader(record);
        if (!reader.TryReadByte(out var type) || type != (byte)WalRecordType.Series)
        {
            return new RecordError(record.IsEmpty ? "empty record: expected type byte 1 (series)" : $"record type {type}: expected 1 (series)", 0);
        }
        while (reader.Remaining > 0)
        {
            var seriesStart = reader.Position;
            if (!reader.TryReadBigEndian64(out var seriesRef))
            {
                return new RecordError("series ref cut short: expected 8 bytes", seriesStart);
            }
            var at = reader.Position;
            if (!reader.TryReadUvarint(out var count))
            {
                return new RecordError("label count is not a valid uvarint", at);
            }
            // Every label takes at least two bytes (two zero lengths): bound the allocation by the input.
            if (count > (ulong)reader.Remaining / 2)
            {
                return new RecordError(string.Create(CultureInfo.InvariantCulture, $"label count {count} is more than the remaining {reader.Remaining} bytes can hold"), at);
            }
            var labels = new Label[(int)count];
            for (var i = 0; i < labels.Length; i++)
            {
                if (!TryReadString(ref reader, out var name, out var error) || !TryReadString(ref reader, out var value, out error))
                {
                    return error;
                }
                labels[i] = new Label(name, value);
            }
            Array.Sort(labels, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            for (var i = 1; i < labels.Length; i++)
            {
                if (string.Equals(labels[i].Name, labels[i - 1].Name, StringComparison.Ordinal))
                {
                    return new RecordError($"duplicate label name \"{labels[i].Name}\" in one series", seriesStart);
                }
            }
            destination.Add(new RefSeries(seriesRef, Labels.From(labels)));
        }
        return default;
    }

    private static bool TryReadString(ref RecordReader reader, [NotNullWhen(true)] out string? value, out RecordError error)
    {
        var at = reader.Position;
        value = null;
        if (!reader.TryReadUvarint(out var length))
        {
            error = new RecordError("string length is not a valid uvarint", at);
            return false;
        }
        if (length > (ulong)reader.Remaining || !reader.TryReadBytes((int)length, out var bytes))
        {
            error = new RecordError(string.Create(CultureInfo.InvariantCulture, $"string of {length} bytes runs past the end of the record"), at);
            return false;
        }
        if (!Utf8.IsValid(bytes))
        {
            error = new RecordError("label name or value is not valid UTF-8", at);
            return false;
        }
        value = Encoding.UTF8.GetString(bytes);
        error = default;
        return true;
    }
}
