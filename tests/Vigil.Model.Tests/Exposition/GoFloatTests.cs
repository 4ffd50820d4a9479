using Vigil.Model.Exposition;

namespace Vigil.Model.Tests.Exposition;

// Expected strings are Go's strconv.FormatFloat(f, 'g', -1, 64).
public sealed class GoFloatTests
{
    public static TheoryData<double, string> Cases => new()
    {
        { 1e6, "1e+06" },
        { 100000, "100000" },
        { 1e-5, "1e-05" },
        { 0.0001, "0.0001" },
        { 1.5, "1.5" },
        { 123456.7, "123456.7" },
        { 12345678, "1.2345678e+07" },
        { -0.0, "-0" },
        { 0.0, "0" },
        { double.Epsilon, "5e-324" },
        { double.MaxValue, "1.7976931348623157e+308" },
        { double.NaN, "NaN" },
        { double.PositiveInfinity, "+Inf" },
        { double.NegativeInfinity, "-Inf" },
        { 0.1, "0.1" },
        { 1.0 / 3, "0.3333333333333333" },
        { -1.5e-7, "-1.5e-07" },
        { 1e21, "1e+21" },
        { 1e100, "1e+100" },
        { 2.5e-310, "2.5e-310" },
        { 123456789, "1.23456789e+08" },
        { 999999, "999999" },
        { 0.00012345, "0.00012345" },
        { 7.424100000000001e-05, "7.424100000000001e-05" },
        { 1520879607.789, "1.520879607789e+09" },
        { -42, "-42" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Formats_like_go(double value, string expected)
    {
        Assert.Equal(expected, GoFloat.Format(value));
    }

    [Fact]
    public void Refuses_short_destinations()
    {
        Assert.False(GoFloat.TryFormat(1, new byte[GoFloat.MaxLength - 1], out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Formatted_values_parse_back_to_the_same_bits()
    {
        var random = new Random(12345);
        Span<byte> buffer = stackalloc byte[GoFloat.MaxLength];
        for (var i = 0; i < 20_000; i++)
        {
            var bits = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
            var value = BitConverter.UInt64BitsToDouble(bits);
            if (double.IsNaN(value))
            {
                continue;
            }
            Assert.True(GoFloat.TryFormat(value, buffer, out var n));
            Assert.Equal(NumberStatus.Ok, ExpositionNumber.TryParseFloat(buffer[..n], out var parsed));
            Assert.Equal(bits, BitConverter.DoubleToUInt64Bits(parsed));
        }
    }
}
