using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Instrumentation.Tests;

/// <summary>A bare ASP.NET Core app on a TestServer, instrumented with the two lines under test.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApp(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts an app in <paramref name="environment"/> (Production by default: no developer exception page, so
    /// exceptions travel through the whole pipeline).
    /// </summary>
    public static async Task<TestApp> StartAsync(
        Action<WebApplication>? map = null,
        Action<VigilMetricsOptions>? configure = null,
        string environment = "Production",
        string metricsPath = "/metrics")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddVigilMetrics(configure);
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint(metricsPath);
        map?.Invoke(app);
        await app.StartAsync();
        return new TestApp(app);
    }

    public async Task<string> ScrapeAsync(string path = "/metrics")
    {
        using var response = await Client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Sends a GET, swallowing what an unhandled exception in the app does to the test client.</summary>
    public async Task GetAsync(string path, string method = "GET")
    {
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            using var response = await Client.SendAsync(request);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            // TestServer rethrows the app's unhandled exception to the caller.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
