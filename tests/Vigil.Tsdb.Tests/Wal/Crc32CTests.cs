using System.Text;
using FsCheck.Xunit;
using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Tests.Wal;

public sealed class Crc32CTests
{
    // RFC 3720 appendix B.4 and the common "123456789" check value for CRC-32C.
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("123456789", 0xE3069283u)]
    public void Matches_the_published_check_values(string text, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(expected, Crc32C.ComputeSoftware(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Matches_the_iSCSI_test_vectors()
    {
        var zeros = new byte[32];
        var ones = Enumerable.Repeat((byte)0xff, 32).ToArray();
        var ascending = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var descending = Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray();
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(zeros));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(ones));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(ascending));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(descending));
        Assert.Equal(0x8A9136AAu, Crc32C.ComputeSoftware(zeros));
        Assert.Equal(0x46DD794Eu, Crc32C.ComputeSoftware(ascending));
    }

    [Fact]
    public void The_interleaved_hardware_path_agrees_with_the_table_on_every_length_and_alignment()
    {
        var data = new byte[3 * 3 * 4096 + 5000];
        new Random(3).NextBytes(data);
        for (var length = 0; length < data.Length - 8; length += length < 2000 ? 1 : 37)
        {
            for (var offset = 0; offset < 8; offset += length % 3 == 0 ? 1 : 7)
            {
                var slice = data.AsSpan(offset, length);
                Assert.Equal(Crc32C.ComputeSoftware(slice), Crc32C.Compute(slice));
            }
        }
        Assert.Equal(Crc32C.ComputeSoftware(data), Crc32C.Append(Crc32C.Compute(data.AsSpan(0, 12345)), data.AsSpan(12345)));
    }

    [Property(MaxTest = 500)]
    public bool Hardware_and_table_paths_agree(byte[] data) => Crc32C.Compute(data) == Crc32C.ComputeSoftware(data);

    [Property(MaxTest = 300)]
    public bool Appending_continues_a_checksum(byte[] a, byte[] b)
        => Crc32C.Append(Crc32C.Compute(a), b) == Crc32C.Compute([.. a, .. b]);
}
