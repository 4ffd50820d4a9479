using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vigil.Model.Exposition;

namespace Vigil.Instrumentation.Tests.Http;

public sealed class ScrapeEndpointTests
{
    [Fact]
    public async Task Without_an_accept_header_the_endpoint_serves_text_0_0_4()
    {
        await using var app = await TestApp.StartAsync();

        using var response = await app.Client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(ExpositionContentType.PrometheusText, response.Content.Headers.ContentType?.ToString());
        Assert.DoesNotContain("# EOF", text);
        Assert.Contains("# TYPE process_cpu_seconds_total counter\n", text);
    }

    [Fact]
    public async Task Prometheus_scrape_accept_header_gets_OpenMetrics_ending_in_EOF()
    {
        await using var app = await TestApp.StartAsync(a => a.MapGet("/hello", () => "hi"));
        await app.GetAsync("/hello");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", ExpositionContentType.ScrapeAccept);
        using var response = await app.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(ExpositionContentType.OpenMetrics, response.Content.Headers.ContentType?.ToString());
        Assert.EndsWith("\n# EOF\n", text);
        Assert.Single(MetricsText.Lines(text), l => l == "# EOF");
        Assert.Contains("# TYPE http_requests counter\n", text);
        Assert.Contains("# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n", text);
        Assert.Contains("http_requests_total{code=\"200\",method=\"GET\",route=\"/hello\"} 1\n", text);
        Assert.Contains("http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",route=\"/hello\",le=\"1.0\"} 1\n", text);
    }

    [Theory]
    [InlineData("text/plain", ExpositionFormat.PrometheusText)]
    [InlineData("*/*", ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text;version=0.0.1,text/plain;q=0.5", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text;version=2.0.0,text/plain;version=0.0.4;q=0.5", ExpositionFormat.PrometheusText)]
    public async Task Content_type_follows_the_accept_header(string accept, ExpositionFormat expected)
    {
        await using var app = await TestApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(ExpositionContentType.Of(expected), response.Content.Headers.ContentType?.ToString());
        Assert.Equal(expected == ExpositionFormat.OpenMetrics, (await response.Content.ReadAsStringAsync()).EndsWith("# EOF\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_path_can_be_chosen()
    {
        await using var app = await TestApp.StartAsync(metricsPath: "/internal/prometheus");

        Assert.Contains("process_cpu_seconds_total", await app.ScrapeAsync("/internal/prometheus"));
        using var notThere = await app.Client.GetAsync("/metrics");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, notThere.StatusCode);
    }

    [Fact]
    public async Task The_endpoint_builder_takes_conventions()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Services.AddVigilMetrics();
        await using var app = builder.Build();
        app.MapPrometheusScrapingEndpoint().RequireHost("metrics.internal");
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var wrongHost = await client.GetAsync("/metrics");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Host = "metrics.internal";
        using var rightHost = await client.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, wrongHost.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, rightHost.StatusCode);
    }

    [Fact]
    public void Mapping_the_endpoint_without_AddVigilMetrics_says_what_is_missing()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapPrometheusScrapingEndpoint());
        Assert.Contains("AddVigilMetrics", error.Message);
    }
}
