using Vigil.Model.Exposition;
using static Vigil.Model.Tests.Exposition.ParserHarness;

namespace Vigil.Model.Tests.Exposition;

// Values go through Go's strconv.ParseFloat in Prometheus, minus hex floats and underscores (textparse's parseFloat).
public sealed class ValueParsingTests
{
    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("1", 1.0)]
    [InlineData("+1", 1.0)]
    [InlineData("-1", -1.0)]
    [InlineData("007", 7.0)]
    [InlineData("1.5", 1.5)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("-.5", -0.5)]
    [InlineData("1e5", 1e5)]
    [InlineData("1E-5", 1e-5)]
    [InlineData("1e+05", 1e5)]
    [InlineData("4.9351e-05", 4.9351e-05)]
    [InlineData("7.424100000000001e-05", 7.424100000000001e-05)]
    [InlineData("0.1", 0.1)]
    [InlineData("999999999999999", 999999999999999.0)]
    [InlineData("12345678901234567", 12345678901234567.0)]
    [InlineData("123456789012345678901234567890", 1.2345678901234568E+29)]
    [InlineData("1.7976931348623157e+308", double.MaxValue)]
    [InlineData("4.9e-324", double.Epsilon)]
    [InlineData("1e-400", 0.0)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("Inf", double.PositiveInfinity)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("+INF", double.PositiveInfinity)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("+infinity", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    public void Accepts_go_float_syntax(string text, double expected)
    {
        foreach (var format in new[] { ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetrics })
        {
            var body = format == ExpositionFormat.OpenMetrics ? $"a {text}\n# EOF\n" : $"a {text}\n";
            AssertSameDouble(expected, ParseAll(body, format)[0].Value);
        }
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("NAN")]
    [InlineData("nAn")]
    public void Every_nan_is_prometheus_normal_nan(string text)
    {
        var value = ParseAll($"a {text}\n", ExpositionFormat.PrometheusText)[0].Value;
        Assert.Equal(0x7ff8000000000001UL, BitConverter.DoubleToUInt64Bits(value));
        Assert.False(StaleMarker.IsStale(value));
    }

    [Fact]
    public void Negative_zero_keeps_its_sign()
    {
        Assert.True(double.IsNegative(ParseAll("a -0\n", ExpositionFormat.PrometheusText)[0].Value));
        Assert.True(double.IsNegative(ParseAll("a -0.0e10\n", ExpositionFormat.PrometheusText)[0].Value));
    }

    [Theory]
    [InlineData("+nan", "invalid value \"+nan\": invalid syntax")]
    [InlineData("-NaN", "invalid value \"-NaN\": invalid syntax")]
    [InlineData("infinit", "invalid value \"infinit\": invalid syntax")]
    [InlineData("infinityy", "invalid value \"infinityy\": invalid syntax")]
    [InlineData("in", "invalid value \"in\": invalid syntax")]
    [InlineData("1e", "invalid value \"1e\": invalid syntax")]
    [InlineData("1e+", "invalid value \"1e+\": invalid syntax")]
    [InlineData("e5", "invalid value \"e5\": invalid syntax")]
    [InlineData(".", "invalid value \".\": invalid syntax")]
    [InlineData("-", "invalid value \"-\": invalid syntax")]
    [InlineData("+-1", "invalid value \"+-1\": invalid syntax")]
    [InlineData("1..2", "invalid value \"1..2\": invalid syntax")]
    [InlineData("1e5.5", "invalid value \"1e5.5\": invalid syntax")]
    [InlineData("0x10", "invalid value \"0x10\": invalid syntax")]
    [InlineData("1,5", "invalid value \"1,5\": invalid syntax")]
    [InlineData("1d", "invalid value \"1d\": invalid syntax")]
    [InlineData("∞", "invalid value \"∞\": invalid syntax")]
    [InlineData("١", "invalid value \"١\": invalid syntax")]
    [InlineData("$1", "invalid value \"$1\": invalid syntax")]
    [InlineData("1_000", "unsupported character in value \"1_000\"")]
    [InlineData("0x1p3", "unsupported character in value \"0x1p3\"")]
    [InlineData("1e400", "value \"1e400\" is out of range")]
    [InlineData("-1.8e308", "value \"-1.8e308\" is out of range")]
    public void Rejects_what_go_rejects(string text, string message)
    {
        Assert.Equal(message, ParseError(Utf8($"a {text}\n"), ExpositionFormat.PrometheusText).Message);
        Assert.Equal(message, ParseError(Utf8($"a {text}\n# EOF\n"), ExpositionFormat.OpenMetrics).Message);
    }

    [Fact]
    public void Huge_digit_strings_do_not_break_anything()
    {
        var digits = new string('9', 100_000);
        Assert.Equal("value \"" + digits[..3], ParseError(Utf8($"a {digits}\n"), ExpositionFormat.PrometheusText).Message[..10]);
        AssertSameDouble(1, ParseAll($"a 1.{new string('0', 100_000)}\n", ExpositionFormat.PrometheusText)[0].Value);
        Assert.Equal(1000, ParseAll($"a 1 1.{new string('0', 10_000)}1\n# EOF\n", ExpositionFormat.OpenMetrics)[0].TimestampMs);
        Assert.Equal("timestamp \"1e99999999999999999999\" is out of range", ParseError(Utf8("a 1 1e99999999999999999999\n# EOF\n"), ExpositionFormat.OpenMetrics).Message);
        Assert.Equal(0, ParseAll("a 1 1e-99999999999999999999\n# EOF\n", ExpositionFormat.OpenMetrics)[0].TimestampMs);
    }

    [Fact]
    public void Short_decimals_match_the_correctly_rounded_result()
    {
        // Exercises the exact fast path (<= 15 significant digits, |exponent| <= 22) and its fallback.
        var random = new Random(4242);
        for (var i = 0; i < 50_000; i++)
        {
            var digits = random.NextInt64(1, 1_000_000_000_000_000_0) / (long)Math.Pow(10, random.Next(0, 16));
            var text = digits.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var point = random.Next(0, text.Length + 1);
            text = random.Next(3) switch
            {
                0 => text.Insert(point, "."),
                1 => text.Insert(point, ".") + "e" + random.Next(-30, 31).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => (random.Next(2) == 0 ? "-" : "+") + text + "E" + random.Next(-25, 26).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var expected = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(NumberStatus.Ok, ExpositionNumber.TryParseFloat(Utf8(text), out var parsed));
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(parsed), text);
        }
    }
}
