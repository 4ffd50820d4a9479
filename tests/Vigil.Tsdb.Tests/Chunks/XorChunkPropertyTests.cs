using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vigil.Tsdb.Chunks;
using static Vigil.Tsdb.Tests.Chunks.ChunkTestSupport;

namespace Vigil.Tsdb.Tests.Chunks;

public sealed class XorChunkPropertyTests
{
    private static readonly ulong[] s_specialBits =
    [
        0x7FF0000000000002, // stale marker
        0x7FF8000000000001, // Go's math.NaN()
        0x7FF8000000000000, // .NET's NaN
        0xFFF8000000000000, // negative quiet NaN
        0x7FF0000000000001, // signalling NaN, smallest payload
        0xFFFFFFFFFFFFFFFF, // all-ones NaN
        0x7FF0000000000000, // +Inf
        0xFFF0000000000000, // -Inf
        0x0000000000000000, // +0.0
        0x8000000000000000, // -0.0
        0x0000000000000001, // smallest subnormal
        0x7FEFFFFFFFFFFFFF, // double.MaxValue
        0x3FF0000000000000, // 1.0
    ];

    [Property(MaxTest = 500)]
    public Property Arbitrary_sequences_round_trip_bit_for_bit() =>
        Prop.ForAll(Sequences().ToArbitrary(), samples =>
        {
            var chunk = Encode(samples);
            Assert.Equal(samples.Length, chunk.NumSamples);
            Assert.Equal(samples, DecodeOrFail(chunk.Memory));
        });

    [Property(MaxTest = 300)]
    public Property Appending_through_a_reopened_appender_still_round_trips() =>
        Prop.ForAll(Sequences().ToArbitrary(), Gen.Choose(0, 200).ToArbitrary(), (samples, split) =>
        {
            int k = Math.Min(split, samples.Length);
            var chunk = Encode(samples[..k]);
            var app = chunk.Appender();
            foreach (var s in samples[k..])
            {
                app.Append(s.T, s.Value);
            }

            Assert.Equal(samples, DecodeOrFail(chunk.Memory));
        });

    [Property(MaxTest = 300)]
    public Property Seek_finds_the_first_sample_at_or_after_the_target() =>
        Prop.ForAll(Sequences().Where(s => s.Length > 0).ToArbitrary(), Gen.Choose(-1, 1000).ToArbitrary(), (samples, pick) =>
        {
            // Targets: exact timestamps, one before/after them, before the first, after the last.
            long target = pick switch
            {
                -1 => samples[0].T - 1 - Math.Abs(samples[0].T % 1000),
                _ when pick % 3 == 0 => samples[pick % samples.Length].T,
                _ when pick % 3 == 1 => samples[pick % samples.Length].T + 1,
                _ => samples[pick % samples.Length].T - 1,
            };
            if (pick == 1000)
            {
                target = samples[^1].T + 1;
            }

            var it = Encode(samples).Iterator();
            int expected = Array.FindIndex(samples, s => s.T >= target);
            bool found = it.Seek(target);

            Assert.Equal(expected >= 0, found);
            Assert.Null(it.Error);
            if (found)
            {
                Assert.Equal(samples[expected].T, it.At().TimestampMs);
                Assert.Equal(samples[expected].Bits, BitConverter.DoubleToUInt64Bits(it.At().Value));
                Assert.Equal(samples[(expected + 1)..], DrainRest(it));
            }
        });

    [Property(MaxTest = 200)]
    public Property Every_truncation_decodes_a_prefix_then_stops_without_throwing() =>
        Prop.ForAll(Sequences().ToArbitrary(), samples =>
        {
            byte[] bytes = Encode(samples).Bytes.ToArray();
            for (int length = 0; length < bytes.Length; length++)
            {
                var decoded = Decode(bytes.AsMemory(0, length), out var error, out int announced);

                Assert.True(decoded.Count <= announced);
                Assert.Equal(samples[..decoded.Count], decoded);
                Assert.True(error.IsError || decoded.Count == samples.Length, $"length {length}: no error after {decoded.Count} samples");
            }
        });

    [Property(MaxTest = 300)]
    public Property Flipped_bits_never_throw_nor_yield_more_than_the_header_says() =>
        Prop.ForAll(Sequences().ToArbitrary(), Gen.Choose(0, int.MaxValue).ArrayOf().ToArbitrary(), (samples, flips) =>
        {
            byte[] bytes = Encode(samples).Bytes.ToArray();
            foreach (int f in flips)
            {
                int bit = f % (bytes.Length * 8);
                bytes[bit >> 3] ^= (byte)(0x80 >> (bit & 7));
            }

            var decoded = Decode(bytes, out var error, out int announced);

            Assert.True(decoded.Count <= announced);
            Assert.True(error.IsError || decoded.Count == announced);
            for (int i = 1; i < decoded.Count; i++)
            {
                Assert.True(decoded[i].T > decoded[i - 1].T);
            }
        });

    [Property(MaxTest = 1000)]
    public void Random_bytes_never_throw(byte[] bytes)
    {
        var decoded = Decode(bytes, out var error, out int announced);

        Assert.True(decoded.Count <= announced);
        Assert.True(error.IsError || decoded.Count == announced);
    }

    // ---- generators ----

    private static Gen<ulong> AnyBits() =>
        from a in Gen.Choose(0, 0xFFFF)
        from b in Gen.Choose(0, 0xFFFF)
        from c in Gen.Choose(0, 0xFFFF)
        from d in Gen.Choose(0, 0xFFFF)
        select ((ulong)(uint)a << 48) | ((ulong)(uint)b << 32) | ((ulong)(uint)c << 16) | (uint)d;

    private static Gen<long> Huge() =>
        from a in Gen.Choose(0, 1 << 20)
        from b in Gen.Choose(1, 1 << 20)
        select ((long)a * b) + 1; // up to 2^40

    // A step from the previous sample: the next timestamp delta (given the previous delta) and value bits.
    private static Gen<Func<long, ulong, (long Delta, ulong Bits)>> Steps()
    {
        var delta = Gen.Frequency(
            (4, Gen.Constant<Func<long, long>>(prev => prev)),                                              // equal deltas: dod 0
            (4, Gen.Choose(-20, 20).Select<int, Func<long, long>>(j => _ => 15000 + j)),                   // scrape jitter
            (2, Gen.Choose(1, 100000).Select<int, Func<long, long>>(d => _ => d)),                         // irregular
            (1, Huge().Select<long, Func<long, long>>(d => _ => d)),                                       // huge jumps
            (2, Gen.Elements(8191, 8192, 8193, 65535, 65536, 65537, 524287, 524288, 524289)                 // bucket edges
                .SelectMany(e => Gen.Elements(1, -1), (e, sign) => (long)e * sign)
                .Select<long, Func<long, long>>(dod => prev => Math.Max(1, prev + dod))));
        var value = Gen.Frequency(
            (3, Gen.Constant<Func<ulong, ulong>>(prev => prev)),                                            // unchanged
            (3, Gen.Choose(-300, 300).Select<int, Func<ulong, ulong>>(c =>                                   // 2-decimal walk
                prev => BitConverter.DoubleToUInt64Bits(Math.Round(BitConverter.UInt64BitsToDouble(prev) + (c / 100.0), 2)))),
            (2, Gen.Choose(0, 5).Select<int, Func<ulong, ulong>>(inc =>                                      // counter
                prev => BitConverter.DoubleToUInt64Bits(BitConverter.UInt64BitsToDouble(prev) + inc))),
            (2, Gen.Elements(s_specialBits).Select<ulong, Func<ulong, ulong>>(b => _ => b)),
            (2, AnyBits().Select<ulong, Func<ulong, ulong>>(b => _ => b)),
            (1, Gen.Choose(0, 63).Select<int, Func<ulong, ulong>>(bit => prev => prev ^ (1UL << bit))));    // one bit
        return from d in delta
               from v in value
               select (Func<long, ulong, (long, ulong)>)((prevDelta, prevBits) => (d(prevDelta), v(prevBits)));
    }

    private static Gen<RawSample[]> Sequences() =>
        from start in Gen.Frequency(
            (3, Gen.Choose(-1000, 1000).Select(x => (long)x)),
            (3, Gen.Choose(0, int.MaxValue).Select(x => 1_600_000_000_000L + x)),
            (1, Huge().Select(x => -x)))
        from firstBits in Gen.OneOf(AnyBits(), Gen.Elements(s_specialBits), Gen.Constant(0x4059000000000000UL))
        from steps in Steps().ListOf().Resize(200)
        select Build(start, firstBits, steps);

    private static RawSample[] Build(long start, ulong firstBits, IEnumerable<Func<long, ulong, (long Delta, ulong Bits)>> steps)
    {
        var samples = new List<RawSample> { new(start, firstBits) };
        long delta = 15000;
        foreach (var step in steps)
        {
            var (d, bits) = step(delta, samples[^1].Bits);
            delta = Math.Max(1, d);
            samples.Add(new RawSample(samples[^1].T + delta, bits));
        }
        return [.. samples];
    }

    private static RawSample[] DrainRest(XorIterator it)
    {
        var list = new List<RawSample>();
        while (it.Next())
        {
            list.Add(new RawSample(it.At().TimestampMs, BitConverter.DoubleToUInt64Bits(it.At().Value)));
        }
        return [.. list];
    }
}
