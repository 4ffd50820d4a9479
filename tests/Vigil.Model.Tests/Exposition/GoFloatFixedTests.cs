using Vigil.Model.Exposition;

namespace Vigil.Model.Tests.Exposition;

public class GoFloatFixedTests
{
    // Expected strings are Go's strconv.FormatFloat(v, 'f', -1, 64), as Prometheus's API and count_values print.
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-7, "0.0000001")]
    [InlineData(123456789.5, "123456789.5")]
    [InlineData(1e21, "1000000000000000000000")]
    [InlineData(1.5e6, "1500000")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(0.3333333333333333, "0.3333333333333333")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Formats_like_go_f_minus_one(double value, string expected) => Assert.Equal(expected, GoFloat.FormatFixed(value));

    [Fact]
    public void Negative_zero_keeps_its_sign() => Assert.Equal("-0", GoFloat.FormatFixed(-0.0));

    [Fact]
    public void Extremes_fit_the_buffer()
    {
        Assert.Equal("0." + new string('0', 323) + "5", GoFloat.FormatFixed(double.Epsilon));
        var max = GoFloat.FormatFixed(double.MaxValue);
        Assert.Equal(309, max.Length);
        Assert.StartsWith("17976931348623157", max, StringComparison.Ordinal);
        Assert.Equal("-0." + new string('0', 323) + "5", GoFloat.FormatFixed(-double.Epsilon));
    }
}
