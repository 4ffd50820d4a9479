using System.Diagnostics.Metrics;
using Vigil.Tsdb;

namespace Vigil.Server.Storage;

/// <summary>The TSDB's self-metrics, in Prometheus's <c>prometheus_tsdb_*</c> names where Prometheus has one.</summary>
public static class TsdbMetrics
{
    /// <summary>The meter the TSDB's instruments live on.</summary>
    public const string MeterName = "Vigil.Tsdb";

    /// <summary>Creates observable instruments that read <paramref name="db"/>'s counters at scrape time.</summary>
    public static void Register(IMeterFactory meters, TimeSeriesDb db)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(db);
        var meter = meters.Create(MeterName);
        var head = db.Head.Stats;
        meter.CreateObservableGauge("prometheus_tsdb_head_series", () => db.Head.NumSeries, description: "Total number of series in the head block.");
        meter.CreateObservableCounter("prometheus_tsdb_head_samples_appended_total", () => head.SamplesAppended, description: "Total number of appended samples.");
        meter.CreateObservableCounter("prometheus_tsdb_head_series_created_total", () => head.SeriesCreated, description: "Total number of series created in the head");
        meter.CreateObservableCounter("prometheus_tsdb_head_series_removed_total", () => head.SeriesRemoved, description: "Total number of series removed in the head");
        meter.CreateObservableCounter("prometheus_tsdb_head_chunks_created_total", () => head.ChunksCreated, description: "Total number of chunks created in the head");
        meter.CreateObservableCounter("prometheus_tsdb_head_chunks_removed_total", () => head.ChunksRemoved, description: "Total number of chunks removed in the head");
        meter.CreateObservableCounter("prometheus_tsdb_out_of_order_samples_total", () => head.OutOfOrder, description: "Total number of out of order samples ingestion failed attempts due to out of order being disabled.");
        meter.CreateObservableCounter("prometheus_tsdb_out_of_bound_samples_total", () => head.OutOfBounds, description: "Total number of out of bound samples ingestion failed attempts with out of order support disabled.");
        meter.CreateObservableCounter("vigil_tsdb_duplicate_timestamp_samples_total", () => head.DuplicateTimestamp, description: "Total number of samples rejected for a duplicate timestamp with a different value.");
        meter.CreateObservableCounter("vigil_tsdb_invalid_label_samples_total", () => head.InvalidLabels, description: "Total number of samples rejected for unusable labels.");
        meter.CreateObservableCounter("prometheus_tsdb_wal_corruptions_total", () => db.Wal.RepairedCorruptions, description: "Total number of WAL corruptions.");
        meter.CreateObservableCounter("prometheus_tsdb_wal_writes_failed_total", () => db.Wal.FailedWrites, description: "Total number of WAL writes that failed.");
        meter.CreateObservableCounter("vigil_tsdb_wal_fsyncs_failed_total", () => db.Wal.FailedFsyncs, description: "Total number of WAL fsyncs that failed.");
        meter.CreateObservableCounter("prometheus_tsdb_compactions_total", () => db.Compactions, description: "Total number of compactions that were executed for the partition.");
        meter.CreateObservableCounter("prometheus_tsdb_time_retentions_total", () => db.RetentionDeletions.ByTime, description: "The number of times that blocks were deleted because the maximum time limit was exceeded.");
        meter.CreateObservableCounter("prometheus_tsdb_size_retentions_total", () => db.RetentionDeletions.BySize, description: "The number of times that blocks were deleted because the maximum number of bytes was exceeded.");
        meter.CreateObservableGauge("prometheus_tsdb_blocks_loaded", () => db.Blocks.Count, description: "Number of currently loaded data blocks");
    }
}
