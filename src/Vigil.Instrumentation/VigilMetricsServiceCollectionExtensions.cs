using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Instrumentation;
using Vigil.Instrumentation.Http;
using Vigil.Instrumentation.Processes;

// In this namespace so that Program.cs needs no using directive (the Web SDK imports it implicitly).
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Vigil's Prometheus metrics.</summary>
public static class VigilMetricsServiceCollectionExtensions
{
    /// <summary>
    /// Exports the application's metrics in Prometheus format: every <see cref="Meter"/> it creates, the .NET
    /// runtime's, the process's, and HTTP request metrics from middleware that is added to the start of the
    /// pipeline automatically. Serve them with <c>app.MapPrometheusScrapingEndpoint()</c>. Calling this more
    /// than once is harmless; every <paramref name="configure"/> given is applied.
    /// </summary>
    public static IServiceCollection AddVigilMetrics(this IServiceCollection services, Action<VigilMetricsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.AddOptions<VigilMetricsOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.TryAddSingleton<HttpMetrics>();
        services.TryAddSingleton(static sp => new ProcessMetrics(sp.GetRequiredService<IMeterFactory>(), ProcFs.Self));
        services.TryAddSingleton(VigilMetricsComposition.CreateExporter);
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, VigilMetricsStartupFilter>());
        return services;
    }
}
