using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Instrumentation;
using Vigil.Model.Exposition;

// In this namespace so that Program.cs needs no using directive (the Web SDK imports it implicitly).
namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Prometheus scrape endpoint.</summary>
public static class VigilMetricsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the metrics <c>AddVigilMetrics</c> collects at GET <paramref name="pattern"/>: OpenMetrics 1.0
    /// when the <c>Accept</c> header asks for it (as Prometheus does), text format 0.0.4 otherwise.
    /// </summary>
    /// <returns>The endpoint's convention builder, for <c>.RequireAuthorization()</c>, <c>.RequireHost(...)</c> and the like.</returns>
    /// <exception cref="InvalidOperationException"><c>AddVigilMetrics</c> was not called.</exception>
    public static IEndpointConventionBuilder MapPrometheusScrapingEndpoint(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var exporter = endpoints.ServiceProvider.GetService<PrometheusExporter>()
            ?? throw new InvalidOperationException("MapPrometheusScrapingEndpoint needs builder.Services.AddVigilMetrics() first.");
        RequestDelegate scrape = context => ScrapeAsync(context, exporter);
        return endpoints.MapGet(pattern, scrape).WithDisplayName("Prometheus scrape endpoint");
    }

    private static Task ScrapeAsync(HttpContext context, PrometheusExporter exporter)
    {
        var format = ExpositionContentType.Negotiate(context.Request.Headers.Accept.ToString());
        var response = context.Response;
        response.ContentType = ExpositionContentType.Of(format);
        response.Headers.CacheControl = "no-store";
        response.Headers.Vary = "Accept";
        // Written straight into the response's pipe: no intermediate buffer, no copy.
        exporter.WriteTo(response.BodyWriter, format);
        return response.BodyWriter.FlushAsync(context.RequestAborted).AsTask();
    }
}
