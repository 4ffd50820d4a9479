using FsCheck;
using FsCheck.Fluent;
using Vigil.Tsdb.Blocks;

namespace Vigil.Tsdb.Tests.Blocks;

public sealed class VarintTests
{
    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(127UL, "7F")]
    [InlineData(128UL, "8001")]
    [InlineData(300UL, "AC02")]
    [InlineData(ulong.MaxValue, "FFFFFFFFFFFFFFFFFF01")]
    public void Uvarints_have_Go_encoding(ulong value, string hex)
    {
        Span<byte> buffer = stackalloc byte[Varint.MaxLength];
        var n = Varint.WriteUvarint(buffer, value);
        Assert.Equal(hex, Convert.ToHexString(buffer[..n]));
        Assert.Equal(n, Varint.ReadUvarint(Convert.FromHexString(hex), out var back));
        Assert.Equal(value, back);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("80", 0)]                      // ends inside the varint
    [InlineData("FFFFFFFFFFFFFFFFFF02", -10)]  // 10th byte > 1: overflows 64 bits
    [InlineData("FFFFFFFFFFFFFFFFFF8001", -11)]
    public void Truncated_and_overflowing_uvarints_are_reported_as_Go_does(string hex, int expected)
        => Assert.Equal(expected, Varint.ReadUvarint(Convert.FromHexString(hex), out _));

    [Fact]
    public void Signed_values_round_trip_through_zigzag()
        => Prop.ForAll(ArbMap.Default.ArbFor<long>(), v =>
        {
            Span<byte> buffer = stackalloc byte[Varint.MaxLength];
            var n = Varint.WriteUvarint(buffer, Varint.ZigZag(v));
            return Varint.ReadUvarint(buffer[..n], out var u) == n && Varint.UnZigZag(u) == v;
        }).QuickCheckThrowOnFailure();
}
