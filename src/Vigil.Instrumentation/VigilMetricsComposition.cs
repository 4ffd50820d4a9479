using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Instrumentation.Http;
using Vigil.Instrumentation.Processes;

namespace Vigil.Instrumentation;

/// <summary>The one place the exporter and its meters are put together from <see cref="VigilMetricsOptions"/>.</summary>
internal static class VigilMetricsComposition
{
    /// <summary>The name of the meter .NET publishes its runtime metrics on (.NET 9 and later).</summary>
    public const string RuntimeMeterName = "System.Runtime";

    public static PrometheusExporter CreateExporter(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<VigilMetricsOptions>>().Value;
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        var buckets = options.HistogramBuckets?.ToArray() ?? [.. VigilMetricsOptions.DefaultHistogramBuckets];
        if (!PrometheusExporter.IsValidBounds(buckets))
        {
            throw new InvalidOperationException(
                $"{nameof(VigilMetricsOptions)}.{nameof(VigilMetricsOptions.HistogramBuckets)} must be finite and strictly ascending; got [{string.Join(", ", buckets)}].");
        }
        var settings = new PrometheusExporterSettings(ShouldExport(options, meterFactory), buckets, options.ConvertToBaseUnits);
        var exporter = new PrometheusExporter(settings, services.GetService<ILoggerFactory>()?.CreateLogger<PrometheusExporter>());

        // Vigil's own meters are created after the listener starts; it sees them as they are published.
        if (options.ProcessMetrics)
        {
            _ = services.GetRequiredService<ProcessMetrics>();
        }
        if (options.HttpMetrics)
        {
            _ = services.GetRequiredService<HttpMetrics>();
        }
        return exporter;
    }

    /// <summary>
    /// Which meters an application's exporter listens to. A meter created through some other
    /// <see cref="IMeterFactory"/> belongs to another container (another host in the same process, as in
    /// tests) and is never exported; meters without a factory (<c>new Meter(name)</c>, System.Runtime) are
    /// process-wide and are.
    /// </summary>
    public static Func<Meter, bool> ShouldExport(VigilMetricsOptions options, IMeterFactory meterFactory)
    {
        var included = options.Meters.ToArray();
        var excluded = options.ExcludedMeters.ToArray();
        var all = options.ExportAllMeters;
        var runtime = options.RuntimeMetrics;
        return meter =>
        {
            if (meter.Scope is not null && !ReferenceEquals(meter.Scope, meterFactory))
            {
                return false;
            }
            if (Matches(excluded, meter.Name))
            {
                return false;
            }
            if (meter.Name == RuntimeMeterName)
            {
                return runtime;
            }
            if (meter.Name is HttpMetrics.MeterName or ProcessMetrics.MeterName)
            {
                // Created only when switched on, and only through this factory.
                return meter.Scope is not null;
            }
            return all || Matches(included, meter.Name);
        };
    }

    private static bool Matches(string[] patterns, string name)
    {
        foreach (var pattern in patterns)
        {
            var matched = pattern.EndsWith('*')
                ? name.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
                : string.Equals(pattern, name, StringComparison.Ordinal);
            if (matched)
            {
                return true;
            }
        }
        return false;
    }
}
