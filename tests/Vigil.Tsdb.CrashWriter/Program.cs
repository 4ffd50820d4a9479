using System.Globalization;
using Vigil.Model;
using Vigil.Storage;
using Vigil.Tsdb;

// Usage: Vigil.Tsdb.CrashWriter DATA_DIR SERIES SAMPLES_PER_BATCH
// Batch b writes, for every series s, the samples t = b*SAMPLES_PER_BATCH + i with value t + s.
// "ack b" is printed only after Commit returned, i.e. after the batch is in the WAL (fsync Always).
var dir = args[0];
var seriesCount = int.Parse(args[1], CultureInfo.InvariantCulture);
var perBatch = int.Parse(args[2], CultureInfo.InvariantCulture);
using var db = TimeSeriesDb.Open(dir, new TsdbOptions { WalSegmentSize = 256 * 1024 });
var start = db.Head.MaxTime == long.MinValue ? 0 : (db.Head.MaxTime / perBatch) + 1;
var refs = new SeriesRef[seriesCount];
var labels = new Labels[seriesCount];
for (var s = 0; s < seriesCount; s++)
{
    labels[s] = Labels.Of("__name__", "crash_test", "series", s.ToString(CultureInfo.InvariantCulture));
}
Console.Out.Flush();
for (var b = start; ; b++)
{
    var app = db.Appender();
    for (var i = 0; i < perBatch; i++)
    {
        var t = (b * perBatch) + i;
        for (var s = 0; s < seriesCount; s++)
        {
            if (app.Append(ref refs[s], labels[s], t, t + s) != AppendStatus.Ok)
            {
                Console.Error.WriteLine($"rejected t={t} s={s}");
                return 2;
            }
        }
    }
    app.Commit();
    Console.WriteLine($"ack {b}");
    Console.Out.Flush();
}
