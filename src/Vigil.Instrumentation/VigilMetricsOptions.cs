using System.Diagnostics.Metrics;

namespace Vigil.Instrumentation;

/// <summary>What <c>AddVigilMetrics</c> exports. Every option has the default a typical service wants.</summary>
public sealed class VigilMetricsOptions
{
    /// <summary>Prometheus's default histogram buckets, in seconds: .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10.</summary>
    public static IReadOnlyList<double> DefaultHistogramBuckets { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>
    /// Record <c>http_request_duration_seconds</c>, <c>http_requests_total</c> and <c>http_requests_in_progress</c>
    /// for every request, from middleware added at the start of the pipeline. Default on.
    /// </summary>
    public bool HttpMetrics { get; set; } = true;

    /// <summary>
    /// Export client_golang's process metrics (<c>process_cpu_seconds_total</c>, <c>process_resident_memory_bytes</c>,
    /// <c>process_open_fds</c>, ...). Default on.
    /// </summary>
    public bool ProcessMetrics { get; set; } = true;

    /// <summary>Export the .NET runtime's built-in <c>System.Runtime</c> meter (<c>dotnet_gc_collections_total</c>, ...). Default on.</summary>
    public bool RuntimeMetrics { get; set; } = true;

    /// <summary>
    /// Export every meter the application creates: meters created through this application's
    /// <see cref="IMeterFactory"/> and meters created without one (<c>new Meter(name)</c>). Default on. When off,
    /// only <see cref="Meters"/> and the meters switched on above are exported.
    /// </summary>
    public bool ExportAllMeters { get; set; } = true;

    /// <summary>
    /// Meter names to export when <see cref="ExportAllMeters"/> is off: exact names, or prefixes ending in
    /// <c>*</c> (<c>Microsoft.AspNetCore.*</c>).
    /// </summary>
    public IList<string> Meters { get; } = [];

    /// <summary>Meter names (exact, or prefixes ending in <c>*</c>) never exported, whatever else is set.</summary>
    public IList<string> ExcludedMeters { get; } = [];

    /// <summary>
    /// Upper bounds of the buckets of every histogram that does not advise its own
    /// (<see cref="InstrumentAdvice{T}.HistogramBucketBoundaries"/>), ascending; <c>+Inf</c> is implied.
    /// Defaults to <see cref="DefaultHistogramBuckets"/>.
    /// </summary>
    public IReadOnlyList<double> HistogramBuckets { get; set; } = DefaultHistogramBuckets;

    /// <summary>
    /// Export durations in seconds and sizes in bytes whatever unit an instrument declares: an instrument in
    /// <c>ms</c> becomes <c>*_seconds</c> and its measurements are divided by 1000. Prometheus names metrics in
    /// base units and promtool rejects <c>*_milliseconds</c>. Default on; off follows the OpenTelemetry
    /// specification to the letter (<c>ms</c> → <c>*_milliseconds</c>, values unchanged).
    /// </summary>
    public bool ConvertToBaseUnits { get; set; } = true;
}
