using System.Buffers;
using FsCheck.Xunit;
using Vigil.Model;
using Vigil.Tsdb.Wal;

namespace Vigil.Tsdb.Tests.Wal;

/// <summary>Arbitrary and mutated bytes fed to the record decoders: they return errors, they never throw.</summary>
public sealed class RecordFuzzTests
{
    private static bool DecodesWithoutSurprises(byte[] record)
    {
        SeriesRecord.TryDecode(record, [], out var e1);
        SamplesRecord.TryDecode(record, [], out var e2);
        TombstonesRecord.TryDecode(record, [], out var e3);
        _ = WalRecord.TypeOf(record);
        foreach (var decode in new Action[]
        {
            () => SeriesRecord.Decode(record, []),
            () => SamplesRecord.Decode(record, []),
            () => TombstonesRecord.Decode(record, []),
        })
        {
            try
            {
                decode();
            }
            catch (RecordFormatException)
            {
            }
        }
        return (!e1.IsError || e1.Offset >= 0) && (!e2.IsError || e2.Offset >= 0) && (!e3.IsError || e3.Offset >= 0);
    }

    [Property(MaxTest = 3000)]
    public bool Arbitrary_bytes_never_throw(byte[] rest, byte type)
        => DecodesWithoutSurprises([(byte)((type % 4) + 0), .. rest ?? []]);

    [Property(MaxTest = 1000)]
    public bool Arbitrary_bytes_without_a_type_never_throw(byte[] bytes) => DecodesWithoutSurprises(bytes ?? []);

    [Property(MaxTest = 1000)]
    public bool Mutated_valid_records_never_throw(int seed, byte[] flips)
    {
        var random = new Random(seed);
        foreach (var record in ValidRecords(random))
        {
            var mutated = record.ToArray();
            foreach (var f in flips ?? [])
            {
                mutated[random.Next(mutated.Length)] ^= f;
            }
            if (!DecodesWithoutSurprises(mutated))
            {
                return false;
            }
        }
        return true;
    }

    [Fact]
    public void Every_truncation_of_valid_records_fails_cleanly_or_decodes_a_prefix()
    {
        foreach (var record in ValidRecords(new Random(7)))
        {
            for (var cut = 0; cut <= record.Length; cut++)
            {
                Assert.True(DecodesWithoutSurprises(record[..cut]));
            }
        }
    }

    private static IEnumerable<byte[]> ValidRecords(Random random)
    {
        var buffer = new ArrayBufferWriter<byte>();
        SeriesRecord.Encode(
        [
            new RefSeries((ulong)random.NextInt64(), Labels.Of("__name__", "http_requests_total", "code", "200", "path", "/ü")),
            new RefSeries(3, Labels.Empty),
        ], buffer);
        yield return buffer.WrittenSpan.ToArray();
        buffer.ResetWrittenCount();
        SamplesRecord.Encode(Enumerable.Range(0, 20).Select(i => new RefSample((ulong)random.NextInt64(), random.NextInt64(), random.NextDouble())).ToArray(), buffer);
        yield return buffer.WrittenSpan.ToArray();
        buffer.ResetWrittenCount();
        TombstonesRecord.Encode([new Tombstone(1, long.MinValue, long.MaxValue), new Tombstone(2, -5, 5)], buffer);
        yield return buffer.WrittenSpan.ToArray();
    }
}
