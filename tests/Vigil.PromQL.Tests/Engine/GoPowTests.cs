using Vigil.PromQL.Functions;

namespace Vigil.PromQL.Tests.Engine;

/// <summary>PromQL's <c>^</c> is Go's pure-Go math.Pow, which differs from the C library in the last bit; values observed from promtool 2.42.</summary>
public class GoPowTests
{
    [Theory]
    [InlineData(1e-5, -3, 9.999999999999998E+14)]
    [InlineData(10, -3, 1E-03)]
    [InlineData(2.5, -3, 6.4E-02)]
    [InlineData(-3.7, -3, -1.9742167295125658E-02)]
    [InlineData(1e-5, 0.3, 3.16227766016838E-02)]
    [InlineData(10, 0.3, 1.9952623149688797E+00)]
    [InlineData(2.5, 0.3, 1.3163822043342375E+00)]
    [InlineData(1e-5, 7.7, 3.1622776601683754E-39)]
    [InlineData(10, 7.7, 5.011872336272725E+07)]
    [InlineData(2.5, 7.7, 1.1591458022039399E+03)]
    public void Matches_prometheus_bit_for_bit(double x, double y, double expected) =>
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(GoMath.Pow(x, y)));

    [Theory]
    [InlineData(-3.7, 0.3)]
    [InlineData(-3.7, 7.7)]
    public void Negative_base_with_fraction_is_nan(double x, double y) => Assert.True(double.IsNaN(GoMath.Pow(x, y)));

    [Fact]
    public void Special_cases_follow_go()
    {
        Assert.Equal(1, GoMath.Pow(double.NaN, 0));
        Assert.Equal(1, GoMath.Pow(1, double.NaN));
        Assert.Equal(1, GoMath.Pow(-1, double.PositiveInfinity));
        Assert.Equal(double.NegativeInfinity, GoMath.Pow(-0.0, -3));
        Assert.Equal(double.PositiveInfinity, GoMath.Pow(-0.0, -2));
        Assert.Equal(0, GoMath.Pow(double.PositiveInfinity, -1));
        Assert.Equal(Math.PI, GoMath.Atan2(0, -1));
        Assert.Equal(-Math.PI / 2, GoMath.Atan2(double.NegativeInfinity, 5));
    }
}
