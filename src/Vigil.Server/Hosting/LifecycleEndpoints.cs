using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vigil.Server.Hosting;

/// <summary>
/// Prometheus's management endpoints, same paths, methods, status codes and texts:
/// <c>/-/healthy</c>, <c>/-/ready</c> (GET, HEAD) and, with <c>--web.enable-lifecycle</c>, <c>/-/quit</c> and <c>/-/reload</c> (POST, PUT).
/// </summary>
public static class LifecycleEndpoints
{
    private static readonly string[] s_getHead = ["GET", "HEAD"];
    private static readonly string[] s_postPut = ["POST", "PUT"];

    /// <summary>Maps the management endpoints.</summary>
    public static IEndpointRouteBuilder MapLifecycleEndpoints(this IEndpointRouteBuilder endpoints, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(options);

        endpoints.MapMethods("/-/healthy", s_getHead, () => Results.Text("Vigil is Healthy.\n", "text/plain; charset=utf-8"));

        endpoints.MapMethods("/-/ready", s_getHead, (Readiness readiness) => readiness.IsReady
            ? Results.Text("Vigil is Ready.\n", "text/plain; charset=utf-8")
            : Results.Text("Service Unavailable", "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable));

        endpoints.MapMethods("/-/quit", s_postPut, (IHostApplicationLifetime lifetime, ILoggerFactory loggers) =>
        {
            if (!options.EnableLifecycle)
            {
                return LifecycleDisabled();
            }
            loggers.CreateLogger("Vigil.Lifecycle").LogWarning("Received termination request via web service, exiting gracefully...");
            // Answer first, then stop: the client should see the goodbye.
            _ = Task.Delay(100).ContinueWith(_ => lifetime.StopApplication(), TaskScheduler.Default);
            return Results.Text("Requesting termination... Goodbye!", "text/plain; charset=utf-8");
        });

        endpoints.MapMethods("/-/reload", s_postPut, async (ConfigReloader reloader, ILoggerFactory loggers, CancellationToken ct) =>
        {
            if (!options.EnableLifecycle)
            {
                return LifecycleDisabled();
            }
            var log = loggers.CreateLogger("Vigil.Lifecycle");
            try
            {
                await reloader.ReloadAsync(ct).ConfigureAwait(false);
                log.LogInformation("Completed loading of configuration file {File}", options.ConfigFile ?? "(embedded defaults)");
                return Results.Ok();
            }
            catch (ConfigReloadException e)
            {
                log.LogError("Error reloading config: {Error}", e.Message);
                return Results.Text($"failed to reload config: {e.Message}\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status500InternalServerError);
            }
        });

        return endpoints;
    }

    private static IResult LifecycleDisabled()
        => Results.Text("Lifecycle API is not enabled.\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);

    /// <summary>Registers the services the endpoints use.</summary>
    public static IServiceCollection AddLifecycle(this IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<Readiness>();
        services.AddSingleton<ConfigReloader>();
        return services;
    }
}
