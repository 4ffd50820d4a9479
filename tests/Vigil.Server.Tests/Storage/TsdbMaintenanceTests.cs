using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Model;
using Vigil.Server.Storage;
using Vigil.Storage;
using Vigil.Testing;
using Vigil.Tsdb;

namespace Vigil.Server.Tests.Storage;

public sealed class TsdbMaintenanceTests
{
    [Fact]
    public async Task Compaction_and_retention_run_on_the_injected_clock_every_minute()
    {
        using var dir = new TempDirectory();
        var clock = new ManualClock();
        const long range = 60_000;
        using var db = TimeSeriesDb.Open(dir.Path, new TsdbOptions
        {
            Head = new HeadOptions { ChunkRangeMs = range },
            RetentionTime = TimeSpan.FromMilliseconds(range),
            MergeBlocks = false,
            TimeProvider = clock,
        });
        var app = db.Appender();
        var r = SeriesRef.None;
        for (long t = 0; t < 5 * range; t += 1000)
        {
            app.Append(ref r, Labels.Of("__name__", "m"), t, t);
        }
        app.Commit();

        using var maintenance = new TsdbMaintenance(db, clock, NullLogger<TsdbMaintenance>.Instance);
        await maintenance.StartAsync(CancellationToken.None);
        await Task.Delay(200);
        Assert.Empty(db.Blocks); // nothing before the first tick

        clock.Advance(TsdbMaintenance.Interval);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (db.RetentionDeletions.ByTime == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        await maintenance.StopAsync(CancellationToken.None);

        // Blocks [0,1m)..[3m,4m) were cut; retention (1m behind the newest block's end) kept only the newest.
        Assert.Equal(4, db.Compactions);
        Assert.Equal([3 * range], db.Blocks.Select(b => b.MinTime));
        Assert.Equal(3, db.RetentionDeletions.ByTime);
    }
}
