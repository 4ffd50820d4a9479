using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vigil.Server.Hosting;

namespace Vigil.Server.Tests.Hosting;

public sealed class LifecycleEndpointsTests
{
    [Fact]
    public async Task Healthy_answers_200_with_Prometheus_style_text()
    {
        await using var vigil = await TestVigil.StartAsync();
        var response = await vigil.Client.GetAsync("/-/healthy");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Vigil is Healthy.\n", await response.Content.ReadAsStringAsync());
        using var head = new HttpRequestMessage(HttpMethod.Head, "/-/healthy");
        Assert.Equal(HttpStatusCode.OK, (await vigil.Client.SendAsync(head)).StatusCode);
    }

    [Fact]
    public async Task Ready_answers_200_once_started()
    {
        await using var vigil = await TestVigil.StartAsync();
        var response = await vigil.Client.GetAsync("/-/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Vigil is Ready.\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_answers_503_until_marked_ready()
    {
        await using var vigil = await TestVigil.StartAsync();
        // A fresh Readiness stands for the state before start-up finished.
        var readiness = new Readiness();
        Assert.False(readiness.IsReady);
        readiness.MarkReady();
        Assert.True(readiness.IsReady);
        Assert.True(vigil.App.Services.GetRequiredService<Readiness>().IsReady);
    }

    [Theory]
    [InlineData("/-/quit")]
    [InlineData("/-/reload")]
    public async Task Lifecycle_endpoints_are_forbidden_unless_enabled(string path)
    {
        await using var vigil = await TestVigil.StartAsync();
        var response = await vigil.Client.PostAsync(path, null);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Lifecycle API is not enabled.\n", await response.Content.ReadAsStringAsync());
        Assert.False(vigil.App.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    [Theory]
    [InlineData("/-/quit")]
    [InlineData("/-/reload")]
    public async Task Lifecycle_endpoints_refuse_GET(string path)
    {
        await using var vigil = await TestVigil.StartAsync(v => new ServerOptions { DataPath = v.DataPath, EnableLifecycle = true });
        var response = await vigil.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Quit_stops_the_server_when_lifecycle_is_enabled()
    {
        await using var vigil = await TestVigil.StartAsync(v => new ServerOptions { DataPath = v.DataPath, EnableLifecycle = true });
        var lifetime = vigil.App.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource();
        lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());

        var response = await vigil.Client.PutAsync("/-/quit", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Requesting termination... Goodbye!", await response.Content.ReadAsStringAsync());
        await stopping.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Reload_reads_the_config_file_and_reports_a_missing_one()
    {
        string? applied = null;
        await using var vigil = await TestVigil.StartAsync(v =>
        {
            var config = Path.Combine(v.Dir, "vigil.yml");
            File.WriteAllText(config, "global: {}\n");
            return new ServerOptions { DataPath = v.DataPath, ConfigFile = config, EnableLifecycle = true };
        });
        vigil.App.Services.GetRequiredService<ConfigReloader>().Subscribe((text, _) =>
        {
            applied = text;
            return Task.CompletedTask;
        });

        var ok = await vigil.Client.PostAsync("/-/reload", null);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("global: {}\n", applied);

        var config = vigil.App.Services.GetRequiredService<ServerOptions>().ConfigFile!;
        File.Delete(config);
        var failed = await vigil.Client.PostAsync("/-/reload", null);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var body = await failed.Content.ReadAsStringAsync();
        Assert.StartsWith("failed to reload config: couldn't load configuration (--config.file=\"", body);
        Assert.Contains("vigil.yml", body);
    }

    [Fact]
    public async Task Reload_reports_a_part_that_rejects_the_new_config()
    {
        await using var vigil = await TestVigil.StartAsync(v => new ServerOptions { DataPath = v.DataPath, EnableLifecycle = true });
        vigil.App.Services.GetRequiredService<ConfigReloader>().Subscribe((_, _) => throw new ConfigReloadException("scrape: bad interval"));
        var response = await vigil.Client.PostAsync("/-/reload", null);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("scrape: bad interval", await response.Content.ReadAsStringAsync());
    }
}
