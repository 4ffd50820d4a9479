using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.PromQL.Engine;
using Vigil.Rules.Alerts;
using Vigil.Scrape.Config;
using Vigil.Server.Hosting;
using Vigil.Tsdb;

namespace Vigil.Server.Rules;

/// <summary>DI wiring of the rule evaluator.</summary>
public static class RuleServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RuleService"/> as a hosted service. The alert seam: the <see cref="IAlertSink"/> resolved from
    /// DI receives every alert to deliver; <see cref="NullAlertSink"/> is the default until a delivery sink (in-process
    /// Alertmanager or external Alertmanagers) registers itself with <c>services.AddSingleton&lt;IAlertSink&gt;(...)</c>.
    /// </summary>
    public static IServiceCollection AddRules(this IServiceCollection services, PrometheusConfig? initial, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton<IAlertSink>(NullAlertSink.Instance);
        services.AddSingleton(sp => new RuleService(initial, options, sp.GetRequiredService<TimeSeriesDb>(), sp.GetRequiredService<QueryEngine>(),
            sp.GetRequiredService<ConfigReloader>(), sp.GetRequiredService<IServer>(), sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IAlertSink>(), sp.GetRequiredService<ILogger<RuleService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<RuleService>());
        return services;
    }
}
