using System.Buffers;
using System.Text;
using FsCheck.Xunit;
using Vigil.Model;
using Vigil.Tsdb.Wal;

namespace Vigil.Tsdb.Tests.Wal;

public sealed class RecordTests
{
    private static byte[] EncodeSamples(params RefSample[] samples)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var n = SamplesRecord.Encode(samples, buffer);
        Assert.Equal(buffer.WrittenCount, n);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] EncodeSeries(params RefSeries[] series)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var n = SeriesRecord.Encode(series, buffer);
        Assert.Equal(buffer.WrittenCount, n);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] EncodeTombstones(params Tombstone[] tombstones)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var n = TombstonesRecord.Encode(tombstones, buffer);
        Assert.Equal(buffer.WrittenCount, n);
        return buffer.WrittenSpan.ToArray();
    }

    // The bytes Prometheus 2.42's record.Encoder writes for the same input (worked by hand from record.go).
    [Fact]
    public void Samples_record_has_Prometheus_bytes()
    {
        var bytes = EncodeSamples(new RefSample(10, 1000, 1.5), new RefSample(11, 1010, StaleMarker.Value), new RefSample(9, 990, -0.0));
        byte[] expected =
        [
            2,
            0, 0, 0, 0, 0, 0, 0, 10,            // base ref, big-endian
            0, 0, 0, 0, 0, 0, 0x03, 0xE8,       // base time 1000
            0, 0, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0, // Δref 0, Δt 0, 1.5
            2, 20, 0x7F, 0xF0, 0, 0, 0, 0, 0, 2, // Δref +1 (zig-zag 2), Δt +10 (20), stale NaN
            1, 19, 0x80, 0, 0, 0, 0, 0, 0, 0,   // Δref -1 (1), Δt -10 (19), -0.0
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Series_record_has_Prometheus_bytes()
    {
        var bytes = EncodeSeries(new RefSeries(0x0102, Labels.Of("__name__", "up", "job", "nodé")));
        var expected = new List<byte> { 1, 0, 0, 0, 0, 0, 0, 1, 2, 2 };
        foreach (var s in new[] { "__name__", "up", "job", "nodé" })
        {
            var utf8 = Encoding.UTF8.GetBytes(s);
            expected.Add((byte)utf8.Length);
            expected.AddRange(utf8);
        }
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Tombstones_record_has_Prometheus_bytes()
    {
        var bytes = EncodeTombstones(new Tombstone(7, -1, 64));
        Assert.Equal(new byte[] { 3, 0, 0, 0, 0, 0, 0, 0, 7, 1, 0x80, 0x01 }, bytes);
    }

    [Fact]
    public void Empty_records_are_just_the_type_byte()
    {
        Assert.Equal(new byte[] { 2 }, EncodeSamples());
        Assert.Equal(new byte[] { 1 }, EncodeSeries());
        Assert.Equal(new byte[] { 3 }, EncodeTombstones());
        var samples = new List<RefSample>();
        SamplesRecord.Decode([2], samples);
        Assert.Empty(samples);
    }

    [Fact]
    public void Record_type_comes_from_the_first_byte()
    {
        Assert.Equal(WalRecordType.Series, WalRecord.TypeOf([1]));
        Assert.Equal(WalRecordType.Samples, WalRecord.TypeOf([2, 0]));
        Assert.Equal(WalRecordType.Tombstones, WalRecord.TypeOf([3]));
        Assert.Equal(WalRecordType.Unknown, WalRecord.TypeOf([]));
        Assert.Equal(WalRecordType.Unknown, WalRecord.TypeOf([4])); // Prometheus exemplars
        Assert.Equal(WalRecordType.Unknown, WalRecord.TypeOf([255]));
    }

    [Fact]
    public void NaN_payloads_and_stale_markers_survive_bit_exact()
    {
        ulong[] patterns =
        [
            StaleMarker.Bits, 0x7ff8000000000001, 0x7ff8000000000000, 0xfff8000000000000, 0x7ff0000000000001,
            0xffffffffffffffff, 0x7ff0000000000000, 0xfff0000000000000, 0x8000000000000000, 1,
        ];
        var input = patterns.Select((p, i) => new RefSample((ulong)i, i, BitConverter.UInt64BitsToDouble(p))).ToArray();
        var decoded = new List<RefSample>();
        SamplesRecord.Decode(EncodeSamples(input), decoded);
        Assert.Equal(patterns, decoded.Select(s => BitConverter.DoubleToUInt64Bits(s.Value)));
        Assert.True(StaleMarker.IsStale(decoded[0].Value));
    }

    [Property(MaxTest = 300)]
    public bool Samples_round_trip_bit_exact(ulong[] refs, long[] times, ulong[] valueBits)
    {
        var n = Math.Min(refs.Length, Math.Min(times.Length, valueBits.Length));
        var input = new RefSample[n];
        for (var i = 0; i < n; i++)
        {
            input[i] = new RefSample(refs[i], times[i], BitConverter.UInt64BitsToDouble(valueBits[i]));
        }
        var decoded = new List<RefSample> { new(1, 2, 3) }; // Decoding appends.
        SamplesRecord.Decode(EncodeSamples(input), decoded);
        return decoded.Count == n + 1
            && decoded.Skip(1).Zip(input).All(p => p.First.Ref == p.Second.Ref
                && p.First.TimestampMs == p.Second.TimestampMs
                && BitConverter.DoubleToUInt64Bits(p.First.Value) == BitConverter.DoubleToUInt64Bits(p.Second.Value));
    }

    [Property(MaxTest = 300)]
    public bool Tombstones_round_trip(ulong[] refs, long[] mins, long[] maxs)
    {
        var n = Math.Min(refs.Length, Math.Min(mins.Length, maxs.Length));
        var input = Enumerable.Range(0, n).Select(i => new Tombstone(refs[i], mins[i], maxs[i])).ToArray();
        var decoded = new List<Tombstone>();
        TombstonesRecord.Decode(EncodeTombstones(input), decoded);
        return decoded.SequenceEqual(input);
    }

    [Property(MaxTest = 300)]
    public bool Series_round_trip(ulong[] refs, string[][] labelTexts)
    {
        var n = Math.Min(refs.Length, labelTexts.Length);
        var input = new RefSeries[n];
        for (var i = 0; i < n; i++)
        {
            input[i] = new RefSeries(refs[i], ToLabels(labelTexts[i]));
        }
        var decoded = new List<RefSeries>();
        SeriesRecord.Decode(EncodeSeries(input), decoded);
        return decoded.SequenceEqual(input);
    }

    /// <summary>Pairs up arbitrary strings into a valid label set: UTF-8-representable, non-empty, unique names.</summary>
    private static Labels ToLabels(string[]? texts)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        texts ??= [];
        for (var i = 0; i + 1 < texts.Length; i += 2)
        {
            var name = Utf8RoundTrip(texts[i]);
            var value = Utf8RoundTrip(texts[i + 1]);
            if (name.Length > 0 && value.Length > 0)
            {
                labels[name] = value;
            }
        }
        return Labels.From(labels.Select(kv => new Label(kv.Key, kv.Value)));
    }

    private static string Utf8RoundTrip(string? s) => s is null ? "" : Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void Big_label_values_and_many_series_round_trip()
    {
        var big = new string('x', 100_000) + "é";
        var input = Enumerable.Range(0, 500).Select(i => new RefSeries((ulong)i * 7919, Labels.Of("__name__", "m" + i, "big", big))).ToArray();
        var decoded = new List<RefSeries>();
        SeriesRecord.Decode(EncodeSeries(input), decoded);
        Assert.Equal(input, decoded);
    }

    [Fact]
    public void Decode_errors_say_where_and_why_and_leave_the_list_alone()
    {
        var samples = new List<RefSample> { new(1, 1, 1) };
        Assert.False(SamplesRecord.TryDecode([2, 0, 0, 0], samples, out var error));
        Assert.Single(samples);
        Assert.Equal(1, error.Offset);
        Assert.Contains("base cut short", error.Reason, StringComparison.Ordinal);

        var good = EncodeSamples(new RefSample(1, 2, 3), new RefSample(4, 5, 6));
        Assert.False(SamplesRecord.TryDecode(good.AsSpan(0, good.Length - 1), samples, out error));
        Assert.Equal(27, error.Offset); // The second sample starts after type, bases and the first sample.
        Assert.Contains("sample 1", error.Reason, StringComparison.Ordinal);
        Assert.Single(samples);

        var series = new List<RefSeries>();
        Assert.False(SeriesRecord.TryDecode([2], series, out error));
        Assert.Contains("expected 1 (series)", error.Reason, StringComparison.Ordinal);

        // Two labels both named "a".
        byte[] duplicate = [1, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, (byte)'a', 1, (byte)'x', 1, (byte)'a', 1, (byte)'y'];
        Assert.False(SeriesRecord.TryDecode(duplicate, series, out error));
        Assert.Contains("duplicate label name \"a\"", error.Reason, StringComparison.Ordinal);

        byte[] badUtf8 = [1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0xC3, 1, (byte)'x'];
        Assert.False(SeriesRecord.TryDecode(badUtf8, series, out error));
        Assert.Contains("UTF-8", error.Reason, StringComparison.Ordinal);
        Assert.Equal(10, error.Offset); // Where the string (its length prefix) starts.

        byte[] hugeCount = [1, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x0f];
        Assert.False(SeriesRecord.TryDecode(hugeCount, series, out error));
        Assert.Contains("label count", error.Reason, StringComparison.Ordinal);

        var thrown = Assert.Throws<RecordFormatException>(() => TombstonesRecord.Decode([3, 0, 0], []));
        Assert.Contains("offset 1", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Varints_longer_than_ten_bytes_or_overflowing_are_rejected()
    {
        byte[] eleven = [3, 0, 0, 0, 0, 0, 0, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0, 0];
        Assert.False(TombstonesRecord.TryDecode(eleven, [], out _));
        byte[] overflow = [3, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0];
        Assert.False(TombstonesRecord.TryDecode(overflow, [], out _));
        byte[] max = [3, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0];
        var tombstones = new List<Tombstone>();
        Assert.True(TombstonesRecord.TryDecode(max, tombstones, out _));
        Assert.Equal(long.MinValue, tombstones[0].MinTimeMs);
    }
}
