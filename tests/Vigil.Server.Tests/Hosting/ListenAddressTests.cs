using Vigil.Server.Hosting;

namespace Vigil.Server.Tests.Hosting;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:9090", "127.0.0.1", 9090)]
    [InlineData(":9090", "", 9090)]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80)]
    [InlineData("[::1]:9090", "::1", 9090)]
    [InlineData("localhost:0", "localhost", 0)]
    public void Parses_host_port(string text, string host, int port)
    {
        Assert.True(ListenAddress.TryParse(text, out var address, out var error), error);
        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
    }

    [Theory]
    [InlineData("9090", "missing port")]
    [InlineData("127.0.0.1:http", "invalid port")]
    [InlineData("127.0.0.1:70000", "invalid port")]
    [InlineData("example.com:9090", "host must be an IP address")]
    [InlineData("", "empty")]
    public void Rejects_bad_addresses_saying_why(string text, string why)
    {
        Assert.False(ListenAddress.TryParse(text, out _, out var error));
        Assert.Contains(why, error);
    }

    [Fact]
    public void Default_is_loopback_9090() => Assert.Equal("127.0.0.1:9090", ListenAddress.Default.ToString());

    [Fact]
    public void IPv6_is_bracketed() => Assert.Equal("[::1]:9090", new ListenAddress("::1", 9090).ToString());
}
