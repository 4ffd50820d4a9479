using System.Globalization;

namespace Vigil.Compat.Tests.Differential;

/// <summary>One request to both query APIs: an instant query at a time, or a range query with start, end and step (seconds).</summary>
public sealed record DifferentialQuery(string Expr, bool Instant, double Time, double Start, double End, double Step, bool Ordered, double DataEnd)
{
    /// <summary>The request path with its query string.</summary>
    public string Path => Instant
        ? $"/api/v1/query?query={Uri.EscapeDataString(Expr)}&time={Format(Time)}"
        : $"/api/v1/query_range?query={Uri.EscapeDataString(Expr)}&start={Format(Start)}&end={Format(End)}&step={Format(Step)}";

    public override string ToString() => Instant
        ? $"instant time={Format(Time)} (end-{Format(DataEnd - Time)}s): {Expr}"
        : $"range start={Format(Start)} end={Format(End)} (end-{Format(DataEnd - Start)}s .. end-{Format(DataEnd - End)}s) step={Format(Step)}: {Expr}";

    public static string Format(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>
/// The differential corpus: PromQL a dashboard or a rule would send, over the series of
/// <see cref="Vigil.Testing.Generators.OpenMetricsGenerator"/>, each asked as instant queries at two times and
/// as a range query over one of four windows (steps 15 s, 37 s, 60 s, 5 m); plus queries both must refuse.
/// </summary>
public static class DifferentialQueries
{
    /// <summary>Every request, for data that ends at <paramref name="end"/> (Unix seconds) and spans six hours.</summary>
    public static IReadOnlyList<DifferentialQuery> For(long end)
    {
        double e = end;
        var list = new List<DifferentialQuery>();
        (double Start, double End, double Step)[] windows =
        [
            (e - 7200, e, 60),
            (e - (6 * 3600) + 300, e, 300),
            (e - 2700 + 7, e - 300, 15),
            (e - (3 * 3600), e - 3600, 37),
        ];
        var i = 0;

        // Asked as instant (at 1 minute and at 2 h 13.5 s before the end) and as a range query.
        void Q(string expr, bool ordered = false)
        {
            list.Add(new DifferentialQuery(expr, true, e - 60, 0, 0, 0, ordered, e));
            list.Add(new DifferentialQuery(expr, true, e - 7213.5, 0, 0, 0, ordered, e));
            var w = windows[i++ % windows.Length];
            list.Add(new DifferentialQuery(expr, false, 0, w.Start, w.End, w.Step, false, e));
        }

        // Instant only (range vectors, or answers that only make sense at one time).
        void I(string expr, double ago = 60, bool ordered = false) => list.Add(new DifferentialQuery(expr, true, e - ago, 0, 0, 0, ordered, e));

        // Range only.
        void R(string expr, double start, double stop, double step) => list.Add(new DifferentialQuery(expr, false, 0, start, stop, step, false, e));

        string At(double ago) => (e - ago).ToString("0.###", CultureInfo.InvariantCulture);

        // Selectors and matchers.
        Q("up");
        Q("up{job=\"api\"}");
        Q("up{job=~\"api|frontend\",instance!~\"api-1.*\"}");
        Q("http_requests_total{code!=\"200\"}");
        Q("http_requests_total{method=\"GET\",code=~\"5..\"}");
        Q("{__name__=~\"node_.*_bytes\"}");
        Q("{job=\"batch\"}");
        Q("{__name__=\"queue_depth\",queue=\"\"}");
        Q("queue_depth{queue=~\"hi.*|nope\"}");
        Q("nonexistent_metric");
        Q("build_info");
        Q("rpc_duration_seconds");
        Q("http_request_duration_seconds_bucket{le=\"+Inf\",method=\"POST\"}");
        Q("(up)");
        I("http_requests_total{instance=\"api-0:8080\"}[2m]");
        I("node_hwmon_temp_celsius[5m] offset 1h");
        I("up[10m]", 7213.5);
        I("batch_items_processed_total[1h]", 3 * 3600);

        // offset and @.
        Q("up offset 30m");
        Q("node_memory_MemAvailable_bytes offset 1h");
        Q("process_resident_memory_bytes offset -10m");
        Q($"process_resident_memory_bytes @ {At(3600)}");
        Q($"node_memory_MemAvailable_bytes offset 1h @ {At(1800)}");
        Q("up @ start()");
        Q("sum(up @ end())");
        Q("rate(http_requests_total[5m] @ end())");
        Q($"rate(http_requests_total[5m] @ {At(5000)} offset 10m)");
        Q("node_hwmon_temp_celsius - node_hwmon_temp_celsius offset 1h");

        // The rate family.
        Q("rate(http_requests_total[5m])");
        Q("rate(http_requests_total{code=\"500\"}[10m])");
        Q("rate(http_requests_total[30s])");
        Q("rate(http_requests_total[1m] offset 5m)");
        Q("irate(http_requests_total[2m])");
        Q("irate(process_cpu_seconds_total[1m])");
        Q("increase(http_requests_total[1h])");
        Q("increase(process_cpu_seconds_total[15m])");
        Q("rate(batch_items_processed_total[5m])");
        Q("rate(node_cpu_seconds_total{mode!=\"idle\"}[5m])");
        Q("delta(node_hwmon_temp_celsius[30m])");
        Q("delta(queue_depth[1m])");
        Q("idelta(queue_depth[5m])");
        Q("deriv(node_filesystem_avail_bytes[1h])");
        Q("deriv(batch_clock_skew_seconds[10m])");
        Q("predict_linear(node_filesystem_avail_bytes[1h], 4 * 3600)");
        Q("predict_linear(node_memory_MemAvailable_bytes[30m], 600)");
        Q("holt_winters(node_memory_MemAvailable_bytes[30m], 0.5, 0.5)");
        Q("holt_winters(process_resident_memory_bytes[1h], 0.1, 0.9)");
        Q("resets(http_requests_total[1h])");
        Q("resets(process_cpu_seconds_total[6h])");
        Q("changes(build_info[6h])");
        Q("changes(queue_depth[10m])");
        Q("rate(rpc_duration_seconds_count[5m])");

        // *_over_time.
        Q("avg_over_time(queue_depth[10m])");
        Q("min_over_time(node_hwmon_temp_celsius[1h])");
        Q("max_over_time(process_resident_memory_bytes[30m])");
        Q("sum_over_time(up[10m])");
        Q("count_over_time(up[1h])");
        Q("count_over_time(batch_items_processed_total[20m])");
        Q("quantile_over_time(0.9, batch_clock_skew_seconds[30m])");
        Q("quantile_over_time(0.5, rpc_duration_seconds[10m])");
        Q("quantile_over_time(1.5, queue_depth[5m])");
        Q("quantile_over_time(-1, queue_depth[5m])");
        Q("stddev_over_time(node_hwmon_temp_celsius[20m])");
        Q("stdvar_over_time(batch_clock_skew_seconds[20m])");
        Q("last_over_time(build_info[1h])");
        Q("last_over_time(http_requests_total{code=\"404\"}[10m])");
        Q("present_over_time(batch_items_processed_total[10m])");
        Q("absent_over_time(nonexistent_metric[5m])");
        Q("absent_over_time(up{job=\"api\",instance=\"api-0:8080\"}[5m])");
        Q("absent_over_time(batch_items_processed_total{task=\"import\",instance=\"batch-0:9091\"}[10m])");
        Q("avg_over_time(rpc_duration_seconds{quantile=\"0.99\"}[15m])");
        Q("max_over_time(rpc_duration_seconds{quantile=\"0.5\"}[15m])");

        // Histograms and summaries.
        Q("histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))");
        Q("histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket[10m])))");
        Q("histogram_quantile(0.5, rate(http_request_duration_seconds_bucket[5m]))");
        Q("histogram_quantile(0.9, sum without (instance, method) (rate(http_request_duration_seconds_bucket[5m])))");
        Q("histogram_quantile(0, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))");
        Q("histogram_quantile(1, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))");
        Q("histogram_quantile(1.1, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))");
        Q("histogram_quantile(0.75, sum by (le, method) (increase(http_request_duration_seconds_bucket[1h])))");
        Q("histogram_quantile(0.9, http_request_duration_seconds_bucket)");
        Q("sum by (job) (rate(http_request_duration_seconds_sum[5m])) / sum by (job) (rate(http_request_duration_seconds_count[5m]))");
        Q("sum by (le) (http_request_duration_seconds_bucket{job=\"api\"})");
        Q("rpc_duration_seconds_sum / rpc_duration_seconds_count");

        // Aggregations.
        Q("sum(rate(http_requests_total[5m]))");
        Q("sum by (job) (rate(http_requests_total[5m]))");
        Q("sum without (instance) (rate(http_requests_total[5m]))");
        Q("sum by (code) (increase(http_requests_total[1h]))");
        Q("avg by (job) (process_resident_memory_bytes)");
        Q("avg(batch_clock_skew_seconds)");
        Q("min by (mountpoint) (node_filesystem_avail_bytes)");
        Q("max without (cpu, mode) (rate(node_cpu_seconds_total[5m]))");
        Q("count by (job) (up)");
        Q("count(up == 0)");
        Q("group by (job) (up)");
        Q("stddev by (job) (process_resident_memory_bytes)");
        Q("stdvar(node_hwmon_temp_celsius)");
        Q("sum(rpc_duration_seconds)");
        Q("max(rpc_duration_seconds)");
        Q("min by (job) (rpc_duration_seconds{quantile=\"0.5\"})");
        Q("topk(3, rate(http_requests_total[5m]))", ordered: true);
        Q("bottomk(2, node_memory_MemAvailable_bytes)", ordered: true);
        Q("topk by (job) (1, process_resident_memory_bytes)");
        Q("bottomk(3, rpc_duration_seconds)");
        Q("topk(scalar(count(up)) - 100, up)");
        Q("quantile(0.9, rate(http_requests_total[5m]))");
        Q("quantile by (job) (0.5, process_resident_memory_bytes)");
        Q("quantile(2, queue_depth)");
        Q("count_values(\"version\", build_info)");
        Q("count_values by (job) (\"depth\", queue_depth)");
        Q("count_values(\"job\", up)");
        Q("count(count by (__name__) ({__name__=~\".+\"}))");
        Q("count by (__name__) ({job=\"node\"})");

        // Binary operators and vector matching.
        Q("rate(http_requests_total{code=\"500\"}[5m]) / ignoring(code) rate(http_requests_total{code=\"200\"}[5m])");
        Q("sum by (job, instance) (rate(http_requests_total{code=~\"5..\"}[5m])) / sum by (job, instance) (rate(http_requests_total[5m]))");
        Q("up * on(job, instance) group_left(version) build_info");
        Q("rate(http_requests_total[5m]) * on(job, instance) group_left(version) build_info");
        Q("process_resident_memory_bytes / on(job) group_left sum by (job) (process_resident_memory_bytes)");
        Q("sum by (instance) (node_filesystem_avail_bytes) / on(instance) group_right node_filesystem_avail_bytes");
        Q("node_filesystem_avail_bytes / 1024 / 1024");
        Q("2 ^ queue_depth");
        Q("queue_depth % 7");
        Q("-queue_depth");
        Q("batch_clock_skew_seconds atan2 on(job, instance) batch_clock_skew_seconds");
        Q("time() - batch_last_success_timestamp_seconds");
        Q("1 / (queue_depth - queue_depth)");
        Q("queue_depth{queue=\"high\"} - ignoring(queue) queue_depth{queue=\"low\"}");
        Q("-1 * 2 ^ 2");

        // Comparisons.
        Q("queue_depth > 20");
        Q("queue_depth > bool 20");
        Q("rate(http_requests_total[5m]) > 1");
        Q("up == 0");
        Q("up == bool 0");
        Q("node_hwmon_temp_celsius >= on(instance) group_left max by (instance) (node_hwmon_temp_celsius)");
        Q("process_resident_memory_bytes > bool process_resident_memory_bytes offset 10m");
        Q("1 < bool 2");
        Q("batch_clock_skew_seconds < 0");
        Q("rpc_duration_seconds > 0");
        Q("rpc_duration_seconds != bool rpc_duration_seconds");

        // Set operators.
        Q("up and on(job, instance) (rate(http_requests_total[5m]) > 5)");
        Q("http_requests_total{code=\"500\"} or up");
        Q("up unless on(job) up{job=\"api\"}");
        Q("(up == 1) unless (up offset 10m == 0)");
        Q("build_info and ignoring(version) up");
        Q("vector(1) or up{job=\"node\"}");
        Q("queue_depth{queue=\"high\"} or queue_depth{queue=\"low\"}");

        // Label functions.
        Q("label_replace(up, \"host\", \"$1\", \"instance\", \"(.*):.*\")");
        Q("label_replace(up, \"instance\", \"\", \"instance\", \".*\")");
        Q("label_replace(http_requests_total, \"status_class\", \"${1}xx\", \"code\", \"(.).*\")");
        Q("label_replace(up, \"x\", \"$2\", \"job\", \"(a)(p)?i\")");
        Q("label_join(up, \"target\", \"/\", \"job\", \"instance\")");
        Q("label_join(up, \"job\", \"\", \"nonexistent\")");
        Q("sum by (host) (label_replace(rate(http_requests_total[5m]), \"host\", \"$1\", \"instance\", \"([^-]+)-.*\"))");

        // Math.
        Q("abs(batch_clock_skew_seconds)");
        Q("sqrt(queue_depth)");
        Q("ln(node_memory_MemAvailable_bytes)");
        Q("log2(queue_depth)");
        Q("log10(batch_clock_skew_seconds)");
        Q("exp(batch_clock_skew_seconds)");
        Q("exp(queue_depth * 20)");
        Q("ceil(node_hwmon_temp_celsius)");
        Q("floor(batch_clock_skew_seconds * 10)");
        Q("round(node_hwmon_temp_celsius, 5)");
        Q("round(batch_clock_skew_seconds, 0.1)");
        Q("clamp(queue_depth, 10, 30)");
        Q("clamp(queue_depth, 30, 10)");
        Q("clamp_min(batch_clock_skew_seconds, 0)");
        Q("clamp_max(queue_depth, 5)");
        Q("sgn(batch_clock_skew_seconds)");
        Q("sin(batch_clock_skew_seconds) + cos(batch_clock_skew_seconds) + tan(batch_clock_skew_seconds)");
        Q("asin(batch_clock_skew_seconds)");
        Q("acos(batch_clock_skew_seconds)");
        Q("atan(queue_depth)");
        Q("sinh(batch_clock_skew_seconds) + cosh(batch_clock_skew_seconds)");
        Q("tanh(queue_depth)");
        Q("asinh(batch_clock_skew_seconds)");
        Q("acosh(queue_depth)");
        Q("atanh(batch_clock_skew_seconds)");
        Q("deg(batch_clock_skew_seconds)");
        Q("rad(node_hwmon_temp_celsius)");
        Q("pi()");

        // Time and date.
        Q("time()");
        Q("timestamp(up)");
        Q("timestamp(up offset 1h)");
        Q("day_of_week()");
        Q("day_of_month()");
        Q("day_of_year()");
        Q("days_in_month()");
        Q("hour()");
        Q("minute()");
        Q("month()");
        Q("year()");
        Q("hour(batch_last_success_timestamp_seconds)");
        Q("minute(timestamp(up))");
        Q("day_of_week(vector(time()))");

        // absent, scalar, vector.
        Q("absent(up)");
        Q("absent(nonexistent_metric{job=\"x\"})");
        Q("absent(nonexistent_metric{job=~\"x\",instance=\"y\"})");
        Q("absent(sum(nonexistent_metric))");
        Q("scalar(sum(up))");
        Q("scalar(up)");
        Q("vector(scalar(count(up)))");
        Q("scalar(up{job=\"api\",instance=\"api-0:8080\"})");
        Q("vector(1)");

        // sort.
        Q("sort(node_memory_MemAvailable_bytes)", ordered: true);
        Q("sort_desc(sum by (job) (rate(http_requests_total[5m])))", ordered: true);
        Q("sort(rpc_duration_seconds)", ordered: true);
        Q("sort_desc(queue_depth)", ordered: true);

        // Subqueries.
        Q("max_over_time(rate(http_requests_total[5m])[1h:5m])");
        Q("avg_over_time(up[30m:])");
        Q("min_over_time(sum by (job) (up)[1h:30s] offset 10m)");
        Q("deriv(process_resident_memory_bytes[10m:1m])");
        Q("sum_over_time(count(up == 0)[1h:1m])");
        Q("quantile_over_time(0.5, histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))[1h:5m])");
        Q($"max_over_time((time() - batch_last_success_timestamp_seconds)[1h:10m] @ {At(600)})");
        Q("rate(http_requests_total{code=\"200\",method=\"GET\"}[5m:30s])");
        I("rate(http_requests_total{job=\"api\",code=\"200\"}[5m])[30m:1m]");
        I("up[5m:1m]");
        I("max_over_time(deriv(queue_depth[5m:])[20m:2m])[10m:]", 3 * 3600);

        // Literals.
        I("1");
        I("\"hello\"");
        I("2 * pi() - 1e3");
        R("1", e - 600, e, 60);
        R("time() % 3600", e - 3600, e, 300);

        // Range queries with other shapes.
        R("sum by (job) (rate(http_requests_total[5m]))", e - (6 * 3600), e, 15);
        R("up", e - (6 * 3600) - 600, e + 600, 120);
        R("count(up)", e - 1800, e - 1800, 60);
        R("histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))", e - 3600 + 0.5, e, 7.5);

        // Edges: NaN and infinities through aggregations, float formatting in labels, odd parameters.
        Q("count_values(\"v\", rpc_duration_seconds)");
        Q("count_values(\"v\", node_memory_MemAvailable_bytes)");
        Q("count_values(\"v\", batch_clock_skew_seconds * 1e-10)");
        Q("count_values(\"v\", exp(queue_depth * 20))");
        Q("topk(2, rpc_duration_seconds)", ordered: true);
        Q("bottomk by (job) (1, rpc_duration_seconds)");
        Q("quantile(0.5, rpc_duration_seconds)");
        Q("stddev(rpc_duration_seconds)");
        Q("avg(node_filesystem_avail_bytes * 1e300)");
        Q("sum(node_filesystem_avail_bytes * 1e300)");
        Q("stddev(node_filesystem_avail_bytes * 1e300)");
        Q("avg(exp(queue_depth * 40))");
        Q("min(rpc_duration_seconds{quantile=\"0.99\"})");
        Q("quantile_over_time(scalar(nonexistent_metric), queue_depth[5m])");
        Q("histogram_quantile(scalar(nonexistent_metric), sum by (le) (rate(http_request_duration_seconds_bucket[5m])))");
        Q("round(batch_clock_skew_seconds, -10)");
        Q("round(queue_depth, 3)");
        Q("clamp(queue_depth, scalar(nonexistent_metric), 10)");
        Q("sum_over_time(rpc_duration_seconds[5m])");
        Q("stddev_over_time(rpc_duration_seconds[10m])");
        Q("changes(rpc_duration_seconds[10m])");
        Q("deriv(http_requests_total[30m])");
        Q("resets(queue_depth[30m])");
        Q("irate(rpc_duration_seconds_count[10m])");
        Q("rate(http_requests_total[6h])");
        Q("increase(http_requests_total[1d])");
        Q("holt_winters(queue_depth[10m], 0.3, 0.3)");
        Q("label_replace(up, \"__name__\", \"renamed\", \"\", \"\")");
        Q("up * on(instance) group_left(job) build_info");
        Q("sum by (__name__) ({job=\"api\"})");
        Q("{__name__=~\"up|queue_depth\"} offset 1m");
        Q("2 > bool queue_depth");
        Q("vector(1) == 1");
        Q("1 == bool 1");
        Q("+up");
        Q("-(up)");
        Q("sort_desc(topk(5, queue_depth))", ordered: true);
        Q("timestamp(rate(http_requests_total[5m]))");
        Q("timestamp(up @ end())");
        Q("max_over_time(up[10m:1m] offset 1h)");
        Q("sum_over_time(up[10m:1m] @ end())");
        Q("absent_over_time(nonexistent_metric[10m:1m])");
        Q("predict_linear(node_filesystem_avail_bytes[30m:1m], 3600)");
        Q("sum without (le) (http_request_duration_seconds_bucket)");
        Q("group_left_metric_is_not_a_keyword");
        Q("http_requests_total > on(job, instance, method, code) group_left http_requests_total offset 1h");

        // @ and offset on the paths that special-case selectors, and subquery step alignment at odd times.
        Q($"timestamp((up @ {At(3000)}))");
        Q($"timestamp(up @ {At(3000)} offset 5m)");
        Q($"timestamp(up @ {At(3000)} offset 1m)");
        Q($"timestamp(up @ {At(3000)} offset -1m)");
        Q("timestamp(up @ start())");
        Q($"absent(up{{job=\"api\",instance=\"api-0:8080\"}} @ {At(3000)})");
        Q($"absent(nonexistent_metric{{job=\"x\"}} @ {At(3000)})");
        Q($"topk(2, queue_depth @ {At(1000)})");
        Q($"sum_over_time(queue_depth[1h:5m] @ {At(1000)})");
        Q("max_over_time(up[10m:1m] @ start())");
        Q("rate(http_requests_total[5m:1m] offset 30m)");
        Q($"label_replace(up @ {At(3000)}, \"host\", \"$1\", \"instance\", \"(.*):.*\")");
        Q($"-queue_depth @ {At(3000)}");
        Q($"changes(queue_depth[30m] @ {At(3000)})");
        Q("sum_over_time(queue_depth[10m:7s])");
        Q("count_over_time(up[1h:13s] offset 7s)");
        Q("rate(http_requests_total{job=\"api\",method=\"GET\"}[5m:17s])");
        Q("max_over_time(time()[10m:1m])");
        Q("holt_winters(sum(queue_depth)[30m:1m], 0.5, 0.1)");
        Q("-time()");
        Q("up and on() vector(1)");
        Q("topk(0, up)");
        Q("topk(scalar(nonexistent_metric), up)");
        Q("histogram_quantile(0.5, http_request_duration_seconds_bucket{le!=\"+Inf\"})");
        Q("label_join(up, \"instance\", \"-\", \"instance\", \"instance\")");
        Q("label_replace(up, \"x\", \"$1\", \"instance\", \"api\")");
        Q("up{instance=~\"api\"}");
        Q("up{instance=~\"api.*|\"}");
        Q("up{job=~\"(?i)API\"}");
        Q("count({__name__!=\"\"})");
        Q("stddev(up{job=\"api\",instance=\"api-0:8080\"})");
        Q("avg(vector(1) / 0 or vector(-1) / 0)");
        Q("sum by (job) (up) * on(job) group_right count by (job, instance) (up)");

        // The same expressions at the edges of time: the last sample, the end of the lookback, block boundaries, the start.
        var blockBoundary = Math.Floor(e / 7200) * 7200;
        foreach (var at in (double[])[e, e + 295, e + 299, e + 300, e + 301, blockBoundary, blockBoundary - 0.001, e - (6 * 3600), e - (6 * 3600) + 14, e - (6 * 3600) + 299.999])
        {
            foreach (var expr in (string[])["up", "last_over_time(up[5m])", "rate(http_requests_total[1m])", "count_over_time(queue_depth[1m])", "timestamp(build_info)"])
            {
                I(expr, e - at);
            }
        }
        R("count by (job) (up)", e - 600.123, e + 400.5, 14.5);
        R("rate(http_requests_total{job=\"frontend\"}[1m])", blockBoundary - 900, blockBoundary + 900, 15);
        R("http_request_duration_seconds_bucket{job=\"api\"}", e - (6 * 3600), e, 15);
        R("changes(up[1h])", e - (6 * 3600), e, 3600);

        // Errors: the same errorType (messages are not compared).
        I("sum(up) @ 100");
        I("up @ 1e20");
        I("up @ Inf");
        I("up{job!~\".+\"}");
        I("holt_winters(queue_depth[10m], 0, 0.5)");
        I("label_replace(up, \"instance\", \"x\", \"\", \"\")");
        I("count_values(\"job\", up) + on(job) up");
        I("sum(");
        I("rate(up)");
        I("up[5m] + 1");
        I("{__name__=~\".*\"}");
        I("nonexistent_metric{}");
        I("histogram_quantile(0.9)");
        I("label_replace(up, \"a-b\", \"x\", \"job\", \".*\")");
        I("label_replace(up, \"x\", \"y\", \"job\", \"[\")");
        I("count_values(\"a-b\", up)");
        I("up + on(job, instance) http_requests_total");
        I("http_requests_total + ignoring(code) http_requests_total");
        I("topk(\"a\", up)");
        I("quantile_over_time(0.5, up)");
        I("up offset 0s");
        I("1 +");
        I("absent()");
        I("vector(\"a\")");
        I("time(1)");
        I("sum by (job) (up) without (instance)");
        I("max_over_time(up[5m])[10m]");
        I("up{job=\"api\"} and 1");
        I("label_join(up, \"a\", \",\", \"b-c\")");
        I("up @ foo()");
        I("rate(http_requests_total[5m:0s])");
        R("http_requests_total[5m]", e - 600, e, 60);
        R("\"a\"", e - 600, e, 60);
        R("up", e, e - 600, 60);
        R("up", e - 600, e, 0);
        R("up", e - 86400 * 10, e, 60);
        return list;
    }
}
