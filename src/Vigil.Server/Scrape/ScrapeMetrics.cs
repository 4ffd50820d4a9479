using System.Diagnostics.Metrics;
using Vigil.Model;

namespace Vigil.Server.Scrape;

/// <summary>The scrape engine's and configuration loader's self-metrics, with Prometheus's names.</summary>
public static class ScrapeMetrics
{
    /// <summary>The meter the instruments live on.</summary>
    public const string MeterName = "Vigil.Scrape";

    /// <summary>Creates observable instruments reading <paramref name="service"/>'s state at scrape time.</summary>
    public static void Register(IMeterFactory meters, ScrapeService service)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(service);
        var meter = meters.Create(MeterName);
        var stats = service.Stats;
        meter.CreateObservableGauge("prometheus_config_last_reload_successful", () => service.LastReloadSuccessful ? 1 : 0,
            description: "Whether the last configuration reload attempt was successful.");
        meter.CreateObservableGauge("prometheus_config_last_reload_success_timestamp_seconds", () => service.LastReloadSuccess.ToUnixTimeMilliseconds() / 1000.0,
            description: "Timestamp of the last successful configuration reload.");
        meter.CreateObservableCounter("prometheus_target_scrapes_exceeded_sample_limit_total", () => stats.ExceededSampleLimit,
            description: "Total number of scrapes that hit the sample limit and were rejected.");
        meter.CreateObservableCounter("prometheus_target_scrapes_exceeded_body_size_limit_total", () => stats.ExceededBodySizeLimit,
            description: "Total number of scrapes that hit the body size limit");
        meter.CreateObservableCounter("prometheus_target_scrape_pool_exceeded_label_limits_total", () => stats.ExceededLabelLimits,
            description: "Total number of times scrape pools hit the label limits, during sync or config reload.");
        meter.CreateObservableCounter("prometheus_target_scrapes_sample_out_of_order_total", () => stats.SampleOutOfOrder,
            description: "Total number of samples rejected due to not being out of the expected order.");
        meter.CreateObservableCounter("prometheus_target_scrapes_sample_duplicate_timestamp_total", () => stats.SampleDuplicateTimestamp,
            description: "Total number of samples rejected due to duplicate timestamps but different values.");
        meter.CreateObservableCounter("prometheus_target_scrapes_sample_out_of_bounds_total", () => stats.SampleOutOfBounds,
            description: "Total number of samples rejected due to timestamp falling outside of the time bounds.");
        meter.CreateObservableCounter("prometheus_target_scrapes_cache_flush_forced_total", () => stats.CacheFlushForced,
            description: "How many times a scrape cache was flushed due to getting big while scrapes are failing.");
        meter.CreateObservableCounter("vigil_target_scrapes_total", () => stats.Scrapes, description: "Total number of scrapes attempted.");
        meter.CreateObservableCounter("vigil_target_scrapes_failed_total", () => stats.FailedScrapes, description: "Total number of scrapes that left their target down.");
        meter.CreateObservableCounter("vigil_target_scrape_commits_failed_total", () => stats.FailedCommits, description: "Total number of scrape batches whose commit failed.");
        meter.CreateObservableGauge("prometheus_target_scrape_pool_targets", () => PerPool(stats.Pools(), static p => p.Targets),
            description: "Current number of targets in this scrape pool.");
        meter.CreateObservableCounter("prometheus_target_scrape_pool_sync_total", () => PerPool(stats.Pools(), static p => p.Syncs),
            description: "Total number of syncs that were executed on a scrape pool.");
        // Prometheus's summary has quantiles too; System.Diagnostics.Metrics has no summary, so count and sum are two counters.
        meter.CreateObservableCounter("prometheus_target_interval_length_seconds_count", () => PerInterval(static i => i.Count),
            description: "Actual intervals between scrapes (count).");
        meter.CreateObservableCounter("prometheus_target_interval_length_seconds_sum", () => PerInterval(static i => i.SumSeconds),
            description: "Actual intervals between scrapes (sum of seconds).");

        IEnumerable<Measurement<T>> PerInterval<T>(Func<(TimeSpan Interval, long Count, double SumSeconds), T> value) where T : struct
        {
            foreach (var item in stats.IntervalLengths())
            {
                yield return new Measurement<T>(value(item), new KeyValuePair<string, object?>("interval", PromDuration.Format(item.Interval)));
            }
        }
    }

    private static IEnumerable<Measurement<long>> PerPool(IReadOnlyList<(string Job, int Targets, long Syncs)> pools, Func<(string Job, int Targets, long Syncs), long> value)
    {
        foreach (var pool in pools)
        {
            yield return new Measurement<long>(value(pool), new KeyValuePair<string, object?>("scrape_job", pool.Job));
        }
    }
}
