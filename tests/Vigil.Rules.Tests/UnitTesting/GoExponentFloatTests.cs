using Vigil.Rules.UnitTesting;

namespace Vigil.Rules.Tests.UnitTesting;

/// <summary>Values in the failure report are Go's FormatFloat(v, 'E', -1, 64), as promtool prints them.</summary>
public sealed class GoExponentFloatTests
{
    [Theory]
    [InlineData(1.0, "1E+00")]
    [InlineData(0.0, "0E+00")]
    [InlineData(-0.0, "-0E+00")]
    [InlineData(1.0 / 3, "3.333333333333333E-01")]
    [InlineData(2.0 / 3, "6.666666666666666E-01")]
    [InlineData(16.0, "1.6E+01")]
    [InlineData(330.0, "3.3E+02")]
    [InlineData(-2.0, "-2E+00")]
    [InlineData(1e100, "1E+100")]
    [InlineData(1e-5, "1E-05")]
    [InlineData(0.0015, "1.5E-03")]
    [InlineData(123456789.0, "1.23456789E+08")]
    [InlineData(5e-324, "5E-324")]
    [InlineData(double.MaxValue, "1.7976931348623157E+308")]
    [InlineData(0.1 + 0.2, "3.0000000000000004E-01")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Formats_like_go(double value, string expected) => Assert.Equal(expected, GoExponentFloat.Format(value));
}
