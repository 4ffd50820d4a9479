using Vigil.Testing;

namespace Vigil.Compat.Tests.Api;

/// <summary>
/// The real <c>promtool query</c> (Prometheus 2.42's client_golang API client) against a running Vigil: it must
/// decode every answer and print exactly what it prints for Prometheus on the same data.
/// </summary>
[Collection(ApiServersCollection.Name)]
public sealed class PromtoolQueryTests(ApiServersFixture servers)
{
    public static TheoryData<string[], string> Commands() => new()
    {
        {
            ["instant", "{server}", "up", "--time=1120"],
            "up{instance=\"a:1\", job=\"api\"} => 1 @[1120]\nup{instance=\"n:9100\", job=\"node\", zz=\"ö\"} => 1 @[1120]\n"
        },
        {
            ["range", "{server}", "up", "--start=1000", "--end=1120", "--step=60s"],
            "up{instance=\"a:1\", job=\"api\"} =>\n1 @[1000]\n1 @[1060]\n1 @[1120]\nup{instance=\"n:9100\", job=\"node\", zz=\"ö\"} =>\n0 @[1000]\n0 @[1060]\n1 @[1120]\n"
        },
        {
            ["instant", "{server}", "rate(http_requests_total[2m])", "--time=1120"],
            "{code=\"200\", instance=\"a:1\", job=\"api\"} => 0.06666666666666667 @[1120]\n{code=\"500\", instance=\"b:1\", job=\"api\"} => 0.016666666666666666 @[1120]\n"
        },
        { ["instant", "{server}", "vector(1)", "--time=100.5"], "{} => 1 @[100.5]\n" },
        { ["instant", "{server}", "time()", "--time=2015-07-01T20:10:51Z"], "scalar: 1435781451 @[1435781451]\n" },
        { ["range", "{server}", "1", "--start=0", "--end=1", "--step=0.5s"], "{} =>\n1 @[0]\n1 @[0.5]\n1 @[1]\n" },
        {
            ["series", "{server}", "--match=up", "--start=0", "--end=2000"],
            "{__name__=\"up\", instance=\"a:1\", job=\"api\"}\n{__name__=\"up\", instance=\"n:9100\", job=\"node\", zz=\"ö\"}\n"
        },
        { ["labels", "{server}", "job", "--start=0", "--end=2000"], "api\nnode\n" },
        { ["instant", "{server}", "up", "--time=1120", "-o", "json"], "" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Promtool_query_prints_the_same_for_Vigil_as_for_Prometheus(string[] args, string expected)
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var vigil = await ExternalTool.RunAsync(promtool, ["query", .. args.Select(a => a.Replace("{server}", servers.Vigil.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal))]);
        var prometheus = await ExternalTool.RunAsync(promtool, ["query", .. args.Select(a => a.Replace("{server}", servers.Prometheus.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal))]);

        Assert.True(vigil.ExitCode == 0, $"promtool against Vigil (exit {vigil.ExitCode}):\n{vigil.Output}\n--- vigil log ---\n{servers.Vigil.Output}");
        Assert.True(prometheus.ExitCode == 0, $"promtool against Prometheus (exit {prometheus.ExitCode}):\n{prometheus.Output}");
        Assert.Equal(prometheus.StandardOutput, vigil.StandardOutput);
        if (expected.Length > 0)
        {
            Assert.Equal(expected, vigil.StandardOutput);
        }
    }

    [Theory]
    [InlineData("1+", "query error: bad_data: invalid parameter \"query\": 1:3: parse error: unexpected end of input\n")]
    [InlineData("http_requests_total + on() up", "")]
    public async Task Promtool_query_reports_the_same_errors(string query, string expected)
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var vigil = await ExternalTool.RunAsync(promtool, ["query", "instant", servers.Vigil.BaseAddress.ToString(), query, "--time=1120"]);
        var prometheus = await ExternalTool.RunAsync(promtool, ["query", "instant", servers.Prometheus.BaseAddress.ToString(), query, "--time=1120"]);
        Assert.Equal(1, prometheus.ExitCode);
        Assert.Equal(1, vigil.ExitCode);
        if (expected.Length > 0)
        {
            Assert.Equal(expected, prometheus.StandardError);
            Assert.Equal(expected, vigil.StandardError);
        }
        else
        {
            // The duplicate series are listed in map order, which differs from run to run; the kind must agree.
            Assert.StartsWith("query error: execution: found duplicate series for the match group {} on the right hand-side of the operation:", prometheus.StandardError);
            Assert.StartsWith("query error: execution: found duplicate series for the match group {} on the right hand-side of the operation:", vigil.StandardError);
        }
    }
}
