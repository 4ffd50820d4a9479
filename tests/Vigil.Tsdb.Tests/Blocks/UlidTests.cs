using FsCheck;
using FsCheck.Fluent;
using Vigil.Tsdb.Blocks;

namespace Vigil.Tsdb.Tests.Blocks;

public sealed class UlidTests
{
    [Fact]
    public void Text_form_is_26_crockford_chars_and_round_trips()
    {
        var ulid = Ulid.New(1_700_000_000_000, new Random(42));
        var text = ulid.ToString();
        Assert.Equal(26, text.Length);
        Assert.Matches("^[0-7][0-9A-HJKMNP-TV-Z]{25}$", text);
        Assert.Equal(ulid, Ulid.Parse(text));
        Assert.Equal(ulid, Ulid.Parse(text.ToLowerInvariant()));
        Assert.Equal(1_700_000_000_000, ulid.TimestampMs);
    }

    [Fact]
    public void Same_seed_and_time_give_the_same_ulid_and_time_orders_them()
    {
        Assert.Equal(Ulid.New(5, new Random(7)), Ulid.New(5, new Random(7)));
        Assert.NotEqual(Ulid.New(5, new Random(7)), Ulid.New(5, new Random(8)));
        var earlier = Ulid.New(1_000, new Random(1));
        var later = Ulid.New(1_001, new Random(2));
        Assert.True(earlier < later);
        Assert.True(string.CompareOrdinal(earlier.ToString(), later.ToString()) < 0);
    }

    [Fact]
    public void Time_comes_from_the_time_provider()
    {
        var ulid = Ulid.New(new BlockTestData.FixedTime(DateTimeOffset.FromUnixTimeMilliseconds(1_234_567)), new Random(3));
        Assert.Equal(1_234_567, ulid.TimestampMs);
        Assert.StartsWith("0000015NM7", ulid.ToString()); // 1234567 in 10 base32 digits
    }

    [Fact]
    public void Decodes_the_ulid_promtool_wrote()
    {
        // From `promtool tsdb create-blocks-from openmetrics`: the time part is its wall clock, 13:09:45.707 UTC.
        var ulid = Ulid.Parse("01M848DQ3BZ75HTX7T445HTV4H");
        Assert.Equal("01M848DQ3BZ75HTX7T445HTV4H", ulid.ToString());
        Assert.Equal(1_795_439_385_707, ulid.TimestampMs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("01M848DQ3BZ75HTX7T445HTV4")]     // 25 chars
    [InlineData("01M848DQ3BZ75HTX7T445HTV4HX")]   // 27 chars
    [InlineData("81M848DQ3BZ75HTX7T445HTV4H")]    // first char > 7: overflows 128 bits
    [InlineData("01M848DQ3BZ75HTX7T445HTV4I")]    // I is not Crockford
    [InlineData("01M848DQ3BZ75HTX7T445HTV4U")]    // nor U
    [InlineData("01M848DQ3BZ75HTX7T445HTV4H.tmp")]
    public void Rejects_what_oklog_ParseStrict_rejects(string text)
    {
        Assert.False(Ulid.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Ulid.Parse(text));
    }

    [Fact]
    public void Bytes_round_trip_big_endian()
    {
        var ulid = Ulid.New(0x0102_0304_0506, new Random(9));
        Span<byte> bytes = stackalloc byte[16];
        ulid.WriteBytes(bytes);
        Assert.Equal([1, 2, 3, 4, 5, 6], bytes[..6].ToArray());
        Assert.Equal(ulid, Ulid.FromBytes(bytes));
    }

    [Fact]
    public void Any_time_and_seed_round_trip_through_text_and_any_text_parses_without_throwing()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<(long Time, int Seed)>(), x =>
        {
            var ulid = Ulid.New(x.Time & Ulid.MaxTimestampMs, new Random(x.Seed));
            return Ulid.Parse(ulid.ToString()) == ulid && ulid.TimestampMs == (x.Time & Ulid.MaxTimestampMs);
        }).QuickCheckThrowOnFailure();
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), s => Ulid.TryParse(s, out var u) == (s is { Length: 26 } && u.ToString() == s.ToUpperInvariant())).QuickCheckThrowOnFailure();
    }
}
