using System.Globalization;

namespace Vigil.QueryCompare;

/// <summary>One timed request: an instant query at the data's end, or a range query ending there.</summary>
public sealed record BenchQuery(string Name, string Expr, double RangeSeconds, double StepSeconds)
{
    public bool Instant => RangeSeconds == 0;

    public string Path(long end)
    {
        var q = Uri.EscapeDataString(Expr);
        return Instant
            ? string.Create(CultureInfo.InvariantCulture, $"/api/v1/query?query={q}&time={end}")
            : string.Create(CultureInfo.InvariantCulture, $"/api/v1/query_range?query={q}&start={end - (long)RangeSeconds}&end={end}&step={StepSeconds}");
    }

    public string Shape => Instant
        ? "instant"
        : string.Create(CultureInfo.InvariantCulture, $"range {Duration(RangeSeconds)}/{Duration(StepSeconds)}");

    private static string Duration(double s)
    {
        var whole = (long)s;
        if (whole != s || whole < 60)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{s}s");
        }
        var h = whole / 3600;
        var m = whole % 3600 / 60;
        var sec = whole % 60;
        return (h > 0 ? string.Create(CultureInfo.InvariantCulture, $"{h}h") : "")
            + (m > 0 ? string.Create(CultureInfo.InvariantCulture, $"{m}m") : "")
            + (sec > 0 ? string.Create(CultureInfo.InvariantCulture, $"{sec}s") : "");
    }
}

/// <summary>
/// The fixed set: what dashboards and rules ask of the generated data (see OpenMetricsGenerator), from one
/// selective series to every series at once; ranges are capped at the data's span.
/// </summary>
public static class BenchQueries
{
    public static IReadOnlyList<BenchQuery> For(double hours)
    {
        var span = hours * 3600;
        double Cap(double seconds) => Math.Min(seconds, span - 600);
        var longWindow = hours >= 24 ? "24h" : hours >= 6 ? "6h" : "1h";
        return
        [
            new("q01", "sum(rate(http_requests_total[5m]))", 0, 0),
            new("q02", "sum by (job) (rate(http_requests_total[5m]))", 0, 0),
            new("q03", "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))", 0, 0),
            new("q04", "topk(10, sum by (instance) (rate(http_requests_total[5m])))", 0, 0),
            new("q05", "count(up == 1)", 0, 0),
            new("q06", "up{job=\"api\"}", 0, 0),
            new("q07", "rate(http_requests_total{instance=\"api-7:8080\",code=\"200\"}[5m])", 0, 0),
            new("q08", "sum by (job, instance) (rate(http_requests_total{code=~\"5..\"}[5m])) / sum by (job, instance) (rate(http_requests_total[5m]))", 0, 0),
            new("q09", "rate(http_requests_total[5m]) * on(job, instance) group_left(version) build_info", 0, 0),
            new("q10", "avg_over_time(queue_depth[1h])", 0, 0),
            new("q11", $"max_over_time(process_resident_memory_bytes[{longWindow}])", 0, 0),
            new("q12", $"predict_linear(node_filesystem_avail_bytes[{longWindow}], 86400) < 1e10", 0, 0),
            new("q13", "quantile_over_time(0.9, batch_clock_skew_seconds[1h])", 0, 0),
            new("q14", "count by (__name__) ({__name__=~\".+\"})", 0, 0),
            new("q15", "max_over_time(sum(rate(http_requests_total[5m]))[1h:1m])", 0, 0),
            new("q16", "sum by (job) (rate(http_requests_total[5m]))", Cap(6 * 3600), 60),
            new("q17", "histogram_quantile(0.9, sum by (le, job) (rate(http_request_duration_seconds_bucket[5m])))", Cap(6 * 3600), 60),
            new("q18", "sum by (instance) (rate(node_cpu_seconds_total{mode!=\"idle\"}[5m]))", Cap(6 * 3600), 60),
            new("q19", "node_memory_MemAvailable_bytes{instance=\"node-3:9100\"}", Cap(24 * 3600), 300),
            new("q20", "avg by (job) (process_resident_memory_bytes)", Cap(24 * 3600), 300),
            new("q21", "count(up == 0)", Cap(24 * 3600), 60),
            new("q22", "topk(5, rate(http_requests_total[5m]))", Cap(3600), 15),
            new("q23", "increase(http_requests_total{job=\"api\"}[1h])", Cap(24 * 3600), 3600),
            new("q24", "rate(http_requests_total{job=\"frontend\"}[5m])", Cap(3600), 60),
        ];
    }
}
