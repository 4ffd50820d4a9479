using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Vigil.Tsdb.Blocks;

using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Tests.Blocks;

public sealed class BlockCrcTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    [InlineData("123456789", 0xE3069283u)]   // the CRC-32C check value
    public void Matches_the_standard_check_values(string text, uint expected)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(expected, Crc32C.Compute(bytes));
        Assert.Equal(expected, Crc32C.ComputeSoftware(bytes));
    }

    [Fact]
    public void Matches_the_crc_in_a_promtool_tombstones_file()
    {
        // An empty tombstones file from promtool ends with CRC32C of no bytes: 0.
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void Hardware_and_table_paths_agree_and_appending_equals_one_pass()
        => Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ArbMap.Default.ArbFor<byte[]>(), (a, b) =>
        {
            var whole = Crc32C.Compute([.. a, .. b]);
            return whole == Crc32C.ComputeSoftware([.. a, .. b])
                && whole == Crc32C.Append(Crc32C.Compute(a), b);
        }).QuickCheckThrowOnFailure();
}
