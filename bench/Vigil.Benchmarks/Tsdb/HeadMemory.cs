using System.Globalization;
using Vigil.Model;
using Vigil.Storage;

namespace Vigil.Benchmarks.Tsdb;

/// <summary>
/// Memory per active head series: N series with realistic labels, 120 samples each at 15 s (one full
/// chunk, the steady state of a 30-minute-old head), measured as managed heap after a full GC and as
/// process RSS, each minus the empty-process baseline.
/// </summary>
public static class HeadMemory
{
    public static void Run(int seriesCount)
    {
        var baselineHeap = Heap();
        var baselineRss = Environment.WorkingSet;
        var head = new Vigil.Tsdb.Head();
        var refs = new SeriesRef[seriesCount];
        var labels = new Labels[seriesCount];
        for (var i = 0; i < seriesCount; i++)
        {
            labels[i] = Labels.Of(
                "__name__", "http_request_duration_seconds_bucket",
                "instance", "10.0." + (i / 250 % 250).ToString(CultureInfo.InvariantCulture) + "." + (i % 250).ToString(CultureInfo.InvariantCulture) + ":9100",
                "job", "api",
                "le", (i % 12).ToString(CultureInfo.InvariantCulture),
                "route", "/v1/items/" + (i % 40).ToString(CultureInfo.InvariantCulture));
        }
        var random = new Random(1);
        for (var s = 0; s < 120; s++)
        {
            var app = head.Appender();
            var t = s * 15_000L;
            for (var i = 0; i < seriesCount; i++)
            {
                app.Append(ref refs[i], labels[i], t + random.Next(-5, 5), s * (i % 7));
            }
            app.Commit();
        }
        labels = null!; // only the head keeps them now
        GC.KeepAlive(labels);
        var heap = Heap() - baselineHeap;
        var rss = Environment.WorkingSet - baselineRss;
        Console.WriteLine($"series: {seriesCount:N0}, samples/series: 120");
        Console.WriteLine($"managed heap: {heap / (double)seriesCount:F0} bytes/series ({heap / 1048576.0:F1} MiB)");
        Console.WriteLine($"RSS growth:   {rss / (double)seriesCount:F0} bytes/series ({rss / 1048576.0:F1} MiB)");
        GC.KeepAlive(head);
        GC.KeepAlive(refs);
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
