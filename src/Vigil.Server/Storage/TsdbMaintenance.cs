using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Tsdb;

namespace Vigil.Server.Storage;

/// <summary>
/// Runs the TSDB's background work on the injected clock: compaction (head → blocks, WAL checkpoint)
/// and retention, once a minute as Prometheus does. A failure is logged and retried next round.
/// </summary>
public sealed class TsdbMaintenance(TimeSeriesDb db, TimeProvider time, ILogger<TsdbMaintenance> log) : BackgroundService
{
    /// <summary>How often compaction and retention run.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>One round: compact, then apply retention.</summary>
    public void RunOnce()
    {
        foreach (var block in db.Compact())
        {
            log.LogInformation("write block {Ulid} mint={MinTime} maxt={MaxTime} series={Series}", block.Ulid, block.MinTime, block.MaxTime, block.Stats.NumSeries);
        }
        foreach (var block in db.ApplyRetention())
        {
            log.LogInformation("Deleting obsolete block {Ulid} (retention)", block.Ulid);
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                RunOnce();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                log.LogError(e, "TSDB maintenance failed; retrying in {Interval}", Interval);
            }
        }
    }
}
