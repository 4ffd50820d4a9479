using Vigil.Model;

namespace Vigil.Model.Tests.Units;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("512B", 512)]
    [InlineData("1KB", 1024)]
    [InlineData("512MB", 512L << 20)]
    [InlineData("10GB", 10L << 30)]
    [InlineData("2TB", 2L << 40)]
    [InlineData("1PB", 1L << 50)]
    [InlineData("1EB", 1L << 60)]
    [InlineData("1gb", 1L << 30)]
    [InlineData("1GiB", 1L << 30)]
    public void Parses_base2_sizes(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var b, out var error), error);
        Assert.Equal(bytes, b);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GB")]
    [InlineData("1.5GB")]
    [InlineData("10XB")]
    [InlineData("-1GB")]
    [InlineData("16EB")]
    public void Rejects_invalid_sizes(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(512L << 20, "512MB")]
    [InlineData(1536, "1536B")]
    [InlineData(3072, "3KB")]
    [InlineData(1000, "1000B")]
    public void Formats_with_the_largest_exact_unit(long bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));
}
