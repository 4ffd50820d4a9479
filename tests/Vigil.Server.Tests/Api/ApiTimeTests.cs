using Vigil.Server.Api;

namespace Vigil.Server.Tests.Api;

/// <summary>
/// Time parameters as Prometheus 2.42 reads them. Every expected value here was observed on the real
/// Prometheus 2.42 (the timestamp of <c>vector(1)</c> at <c>time=TEXT</c>), Go's wrap-arounds included.
/// </summary>
public sealed class ApiTimeTests
{
    [Theory]
    [InlineData("100", 100_000)]
    [InlineData("100.5", 100_500)]
    [InlineData("-100.5", -100_500)]
    [InlineData("1e3", 1_000_000)]
    [InlineData("1.0001", 1_000)]
    [InlineData("1.0009", 1_001)]
    [InlineData("1_000", 1_000_000)]
    [InlineData("+100", 100_000)]
    [InlineData(".5", 500)]
    [InlineData("5.", 5_000)]
    [InlineData("1e-400", 0)]
    [InlineData("0x1p4", 16_000)]
    [InlineData("2015-07-01T20:10:51Z", 1_435_781_451_000)]
    [InlineData("2015-07-01T20:10:51.781Z", 1_435_781_451_781)]
    [InlineData("2015-07-01T20:10:51.781+02:00", 1_435_774_251_781)]
    [InlineData("2015-07-01T2:10:51Z", 1_435_716_651_000)]
    [InlineData("2015-07-01T20:10:51,5Z", 1_435_781_451_500)]
    // Go's float-to-int conversion and UnixNano overflow, exactly as Prometheus evaluates these.
    [InlineData("NaN", -9_223_372_036_854)]
    [InlineData("Inf", -9_223_372_036_854)]
    [InlineData("inf", -9_223_372_036_854)]
    [InlineData("-infinity", -9_223_372_036_854)]
    [InlineData("1e20", 0)]
    [InlineData("9223372036854775807", 0)]
    [InlineData("-9223372036854775808", 0)]
    [InlineData("0001-01-01T00:00:00Z", -6_795_364_578_871)]
    [InlineData("9999-12-31T23:59:59Z", -4_852_116_232_933)]
    [InlineData("-292273086-05-16T16:47:06Z", 6_795_364_580_679)]
    [InlineData("292277025-08-18T07:12:54.999999999Z", -6_795_364_579_679)]
    public void Parses_like_Prometheus_for_query_evaluation(string text, long expectedMs)
    {
        Assert.True(ApiTime.TryParse(text, out var time, out var error), error);
        Assert.Equal(expectedMs, time.EngineMs);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(" 100")]
    [InlineData("0x10")]
    [InlineData("1e400")]
    [InlineData("2015-07-01")]
    [InlineData("2015-07-01t20:10:51z")]
    [InlineData("2015-07-01T20:10:51.1234567891234Z")]
    [InlineData("2015-02-29T20:10:51Z")]
    [InlineData("2015-07-01T20:10:60Z")]
    [InlineData("2015-07-01T20:10:51+0200")]
    [InlineData("1__0")]
    [InlineData("_1")]
    [InlineData("+nan")]
    public void Rejects_what_Prometheus_rejects_with_its_message(string text)
    {
        Assert.False(ApiTime.TryParse(text, out _, out var error));
        Assert.Equal($"cannot parse \"{text}\" to a valid timestamp", error);
    }

    [Fact]
    public void Storage_milliseconds_of_the_open_range_are_Prometheus_MinTime_and_MaxTime()
    {
        Assert.Equal(-9_223_309_901_257_974_000, ApiTime.Min.StorageMs);
        Assert.Equal(9_223_309_901_257_974_999, ApiTime.Max.StorageMs);
    }

    [Fact]
    public void Leap_day_and_year_zero_are_handled()
    {
        Assert.True(ApiTime.TryParse("2016-02-29T00:00:00Z", out var leap, out _));
        Assert.Equal(1_456_704_000_000, leap.StorageMs);
        Assert.True(ApiTime.TryParse("0000-03-01T00:00:00Z", out var zero, out _));
        Assert.Equal(-62_162_035_200, zero.Seconds);
    }

    [Theory]
    [InlineData("1", 1_000_000_000L)]
    [InlineData("0.5", 500_000_000L)]
    [InlineData("1s", 1_000_000_000L)]
    [InlineData("1h30s", 3_630_000_000_000L)]
    [InlineData("1m", 60_000_000_000L)]
    [InlineData("-1", -1_000_000_000L)]
    [InlineData("NaN", long.MinValue)]
    public void Durations_parse_as_float_seconds_or_Prometheus_durations(string text, long expectedNs)
    {
        Assert.True(ApiParameters.TryParseDuration(text, out var ns, out var error), error);
        Assert.Equal(expectedNs, ns);
    }

    [Theory]
    [InlineData("1H", "cannot parse \"1H\" to a valid duration")]
    [InlineData("x", "cannot parse \"x\" to a valid duration")]
    [InlineData("", "cannot parse \"\" to a valid duration")]
    [InlineData("1ns", "cannot parse \"1ns\" to a valid duration")]
    [InlineData("1e30", "cannot parse \"1e30\" to a valid duration. It overflows int64")]
    [InlineData("Inf", "cannot parse \"Inf\" to a valid duration. It overflows int64")]
    public void Bad_durations_have_Prometheus_messages(string text, string expected)
    {
        Assert.False(ApiParameters.TryParseDuration(text, out _, out var error));
        Assert.Equal(expected, error);
    }
}
