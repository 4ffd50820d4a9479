using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vigil.Instrumentation.Tests.Http;

public sealed class HttpMetricsMiddlewareTests
{
    private static void MapOrders(WebApplication app)
    {
        app.MapGet("/orders/{id}", (int id) => Results.Ok(id));
        app.MapPost("/orders", () => Results.Created("/orders/1", null));
        app.MapGet("/missing/{id}", (int id) => Results.NotFound());
        app.MapGet("/boom", () =>
        {
            throw new InvalidOperationException("deliberate");
        });
    }

    [Fact]
    public async Task Requests_are_labelled_with_the_route_template_not_the_path()
    {
        await using var app = await TestApp.StartAsync(MapOrders);
        await app.GetAsync("/orders/42");
        await app.GetAsync("/orders/43");

        var text = await app.ScrapeAsync();

        Assert.Equal(2, MetricsText.Require(text, "http_requests_total{code=\"200\",method=\"GET\",route=\"/orders/{id}\"}"));
        Assert.Equal(2, MetricsText.Require(text, "http_request_duration_seconds_count{code=\"200\",method=\"GET\",route=\"/orders/{id}\"}"));
        Assert.DoesNotContain("/orders/42", text);
        Assert.DoesNotContain("/orders/43", text);
    }

    [Fact]
    public async Task Requests_no_endpoint_matched_share_one_route_value()
    {
        await using var app = await TestApp.StartAsync(MapOrders);
        await app.GetAsync("/nope");
        await app.GetAsync("/wp-admin/setup.php");
        await app.GetAsync("/static/junk.js");

        var text = await app.ScrapeAsync();

        Assert.Equal(3, MetricsText.Require(text, "http_requests_total{code=\"404\",method=\"GET\",route=\"<unmatched>\"}"));
        Assert.DoesNotContain("wp-admin", text);
    }

    [Fact]
    public async Task A_404_from_a_matched_endpoint_keeps_its_route()
    {
        await using var app = await TestApp.StartAsync(MapOrders);
        await app.GetAsync("/missing/7");

        Assert.Equal(1, MetricsText.Require(await app.ScrapeAsync(), "http_requests_total{code=\"404\",method=\"GET\",route=\"/missing/{id}\"}"));
    }

    [Fact]
    public async Task An_exception_thrown_downstream_counts_as_500()
    {
        await using var app = await TestApp.StartAsync(MapOrders);
        await app.GetAsync("/boom");

        var text = await app.ScrapeAsync();

        Assert.Equal(1, MetricsText.Require(text, "http_requests_total{code=\"500\",method=\"GET\",route=\"/boom\"}"));
        Assert.Equal(1, MetricsText.Require(text, "http_request_duration_seconds_count{code=\"500\",method=\"GET\",route=\"/boom\"}"));
    }

    [Fact]
    public async Task An_exception_turned_into_a_500_page_counts_as_500_too()
    {
        // Development adds the developer exception page inside the pipeline: the middleware sees a 500 response.
        await using var app = await TestApp.StartAsync(MapOrders, environment: "Development");
        await app.GetAsync("/boom");

        Assert.Equal(1, MetricsText.Require(await app.ScrapeAsync(), "http_requests_total{code=\"500\",method=\"GET\",route=\"/boom\"}"));
    }

    [Fact]
    public async Task Methods_and_codes_are_separate_series()
    {
        await using var app = await TestApp.StartAsync(MapOrders);
        await app.GetAsync("/orders", "POST");
        await app.GetAsync("/orders/1");
        await app.GetAsync("/orders/abc"); // fails int binding: 400

        var text = await app.ScrapeAsync();

        Assert.Equal(1, MetricsText.Require(text, "http_requests_total{code=\"201\",method=\"POST\",route=\"/orders\"}"));
        Assert.Equal(1, MetricsText.Require(text, "http_requests_total{code=\"200\",method=\"GET\",route=\"/orders/{id}\"}"));
        Assert.Equal(1, MetricsText.Require(text, "http_requests_total{code=\"400\",method=\"GET\",route=\"/orders/{id}\"}"));
    }

    [Fact]
    public async Task Unknown_methods_collapse_to_OTHER()
    {
        await using var app = await TestApp.StartAsync(MapOrders);
        await app.GetAsync("/orders/1", "FROBNICATE");
        await app.GetAsync("/orders/1", "PURGE");

        var text = await app.ScrapeAsync();

        Assert.Equal(2, MetricsText.Samples(text, "http_requests_total").Where(l => l.Contains("method=\"_OTHER\"", StringComparison.Ordinal)).Sum(l => double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)));
        Assert.DoesNotContain("FROBNICATE", text);
    }

    [Fact]
    public async Task The_scrape_itself_is_in_progress_while_it_is_written_and_counted_afterwards()
    {
        await using var app = await TestApp.StartAsync(MapOrders);

        var first = await app.ScrapeAsync();
        var second = await app.ScrapeAsync();

        Assert.Equal(1, MetricsText.Require(first, "http_requests_in_progress{method=\"GET\"}"));
        Assert.Null(MetricsText.Value(first, "http_requests_total{code=\"200\",method=\"GET\",route=\"/metrics\"}"));
        Assert.Equal(1, MetricsText.Require(second, "http_requests_total{code=\"200\",method=\"GET\",route=\"/metrics\"}"));
    }

    [Fact]
    public async Task In_progress_returns_to_zero_when_requests_finish()
    {
        await using var app = await TestApp.StartAsync(MapOrders);
        await app.GetAsync("/orders", "POST");
        await app.GetAsync("/boom", "GET");

        var text = await app.ScrapeAsync();

        Assert.Equal(0, MetricsText.Require(text, "http_requests_in_progress{method=\"POST\"}"));
        Assert.Equal(1, MetricsText.Require(text, "http_requests_in_progress{method=\"GET\"}")); // the scrape
    }

    [Fact]
    public async Task Durations_are_recorded_in_seconds()
    {
        await using var app = await TestApp.StartAsync(a => a.MapGet("/sleep", async () =>
        {
            await Task.Delay(60);
            return "done";
        }));
        await app.GetAsync("/sleep");

        var text = await app.ScrapeAsync();

        var sum = MetricsText.Require(text, "http_request_duration_seconds_sum{code=\"200\",method=\"GET\",route=\"/sleep\"}");
        Assert.InRange(sum, 0.05, 30);
        Assert.Equal(0, MetricsText.Require(text, "http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",route=\"/sleep\",le=\"0.05\"}"));
    }

    [Fact]
    public async Task Http_metrics_can_be_switched_off()
    {
        await using var app = await TestApp.StartAsync(MapOrders, o => o.HttpMetrics = false);
        await app.GetAsync("/orders/1");

        var text = await app.ScrapeAsync();

        Assert.DoesNotContain("http_requests_total", text);
        Assert.DoesNotContain("http_request_duration_seconds", text);
    }

    [Fact]
    public void Route_template_gets_a_leading_slash_and_unmatched_requests_a_fixed_value()
    {
        var context = new DefaultHttpContext();
        Assert.Equal("<unmatched>", Vigil.Instrumentation.Http.HttpMetrics.Route(context));

        context.SetEndpoint(new Microsoft.AspNetCore.Routing.RouteEndpoint(
            _ => Task.CompletedTask, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("api/items/{id}"), 0, null, null));
        Assert.Equal("/api/items/{id}", Vigil.Instrumentation.Http.HttpMetrics.Route(context));

        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, null, "405 HTTP Method Not Supported"));
        Assert.Equal("<unmatched>", Vigil.Instrumentation.Http.HttpMetrics.Route(context));
    }

    [Theory]
    [InlineData("GET", "GET")]
    [InlineData("get", "GET")]
    [InlineData("DELETE", "DELETE")]
    [InlineData("PROPFIND", "_OTHER")]
    public void Methods_are_bounded(string method, string expected)
        => Assert.Equal(expected, Vigil.Instrumentation.Http.HttpMetrics.Method(method));
}
