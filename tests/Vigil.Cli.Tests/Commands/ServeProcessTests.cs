using System.Net;
using Vigil.Testing;

namespace Vigil.Cli.Tests.Commands;

/// <summary>The real executable: starts on a port, serves, and shuts down cleanly on SIGTERM.</summary>
public sealed class ServeProcessTests
{
    [Fact]
    public async Task Serve_listens_logs_where_serves_and_exits_0_on_SIGTERM()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");
        await using var vigil = await VigilProcess.StartServeAsync(data);
        using var http = new HttpClient { BaseAddress = vigil.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/-/healthy")).StatusCode);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("vigil_build_info", metrics);
        Assert.True(Directory.Exists(data));
        Assert.Contains($"listening on http://127.0.0.1:{vigil.Port}", vigil.Output);

        var exit = await vigil.TerminateAsync();

        Assert.Equal(0, exit);
        Assert.Contains("See you next time!", vigil.Output);
    }

    [Fact]
    public async Task Quit_endpoint_ends_the_process_when_lifecycle_is_enabled()
    {
        using var dir = new TempDirectory();
        await using var vigil = await VigilProcess.StartServeAsync(dir.File("data"), "--web.enable-lifecycle");
        using var http = new HttpClient { BaseAddress = vigil.BaseAddress };
        var response = await http.PostAsync("/-/quit", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var exit = await vigil.TerminateAsync(); // no-op signal if it already exited; waits for exit
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task A_taken_port_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        await using var first = await VigilProcess.StartServeAsync(dir.File("a"));
        var result = await VigilProcess.RunAsync("serve", $"--web.listen-address=127.0.0.1:{first.Port}", $"--storage.tsdb.path={dir.File("b")}");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot listen on 127.0.0.1:{first.Port} (--web.listen-address)", result.Output);
    }
}
