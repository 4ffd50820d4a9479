using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Vigil.Instrumentation.Http;

/// <summary>
/// What saves the application a third line: puts <see cref="HttpMetricsMiddleware"/> in front of the whole
/// pipeline, and creates the exporter when the pipeline is built, so it listens before the first request.
/// </summary>
internal sealed class VigilMetricsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        _ = app.ApplicationServices.GetRequiredService<PrometheusExporter>();
        if (app.ApplicationServices.GetRequiredService<IOptions<VigilMetricsOptions>>().Value.HttpMetrics)
        {
            app.UseMiddleware<HttpMetricsMiddleware>();
        }
        next(app);
    };
}
