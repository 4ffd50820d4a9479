using System.Globalization;
using System.Text;

namespace Vigil.ScrapeCompare.Load;

/// <summary>
/// One simulated service's /metrics: exactly <c>seriesCount</c> series of a web service (HTTP requests by handler,
/// method and code, latency and response-size histograms, database and cache and queue metrics, process metrics,
/// per-tenant gauges). Every render first moves the state on by the time since the previous one — counters at
/// varied rates (integers with stochastic rounding, CPU seconds fractional), gauges as bounded random walks,
/// histograms by a per-label-set latency distribution — and then writes text format 0.0.4 or OpenMetrics 1.0.
/// Series bytes are encoded once at construction; a render only copies them and formats numbers into a reused
/// <see cref="BodyBuffer"/>, so it allocates nothing.
/// </summary>
public sealed class LoadTarget
{
    private static readonly double[] s_durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] s_sizeBuckets = [128, 512, 2048, 8192, 32768, 131072, 524288];
    private static readonly double[] s_dbBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5];
    private static readonly string[] s_paths =
    [
        "/users", "/users/{id}", "/orders", "/orders/{id}", "/orders/{id}/items", "/products", "/products/{id}",
        "/cart", "/checkout", "/search", "/login", "/logout", "/payments", "/payments/{id}/refund", "/inventory", "/reviews",
    ];
    private static readonly string[] s_dbs = ["postgres-main", "postgres-replica", "redis-sessions"];
    private static readonly string[] s_operations = ["select", "insert", "update", "delete", "get", "set"];
    private static readonly string[] s_caches = ["sessions", "products", "prices", "templates"];
    private static readonly string[] s_queues = ["email", "invoices", "thumbnails", "webhooks"];

    private readonly List<Family> _families = [];
    private readonly Rng _rng;

    public LoadTarget(int index, int seriesCount, ulong seed = 42)
    {
        Index = index;
        _rng = new Rng(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(index + 1)));
        var remaining = seriesCount;
        if (remaining >= 5)
        {
            AddProcessSeries();
            remaining -= 5;
        }
        for (var k = 0; ; k++)
        {
            var post = k % 3 == 0;
            var db = k % 4 == 0;
            var extras = k % 8 == 0;
            var cost = 19 + (post ? 19 : 0) + 11 + (db ? 12 : 0) + (extras ? 7 : 0);
            if (cost > remaining)
            {
                break;
            }
            AddHandler(k, post);
            if (db)
            {
                AddDatabase(k / 4);
            }
            if (extras)
            {
                AddCacheAndQueue(k / 8);
            }
            remaining -= cost;
        }
        var tenants = Get("tenant_active_sessions", "gauge", "Sessions currently open, by tenant.");
        for (var i = 0; i < remaining; i++)
        {
            tenants.Members.Add(new Gauge(Prefix("tenant_active_sessions", ("tenant", $"tenant-{i:D4}")), _rng.Between(0, 500), 3, 0, 5000, integer: true));
        }
        foreach (var f in _families)
        {
            SeriesCount += f.SeriesCount;
            foreach (var m in f.Members)
            {
                // Like the counters, histograms have a history: the process has been up for hours to days.
                if (m is Histogram h)
                {
                    h.Advance(_rng.Between(3600, 7 * 86400), _rng);
                }
            }
        }
    }

    public int Index { get; }

    /// <summary>Series in one exposition (histograms count each bucket, _sum and _count).</summary>
    public int SeriesCount { get; }

    /// <summary>Moves every series on by <paramref name="elapsedSeconds"/> and writes the whole exposition into <paramref name="body"/> (cleared first).</summary>
    public void Render(BodyBuffer body, bool openMetrics, double elapsedSeconds)
    {
        body.Clear();
        var dt = Math.Clamp(elapsedSeconds, 0, 600);
        foreach (var f in _families)
        {
            body.Append(openMetrics ? f.OmHeader : f.TextHeader);
            foreach (var m in f.Members)
            {
                m.Advance(dt, _rng);
                m.Write(body, openMetrics);
            }
        }
        if (openMetrics)
        {
            body.Append("# EOF\n"u8);
        }
    }

    private void AddProcessSeries()
    {
        Get("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.")
            .Members.Add(new Counter(Prefix("process_cpu_seconds_total"), _rng.Between(100, 5000), _rng.Between(0.02, 0.4), integer: false));
        Get("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.")
            .Members.Add(new Gauge(Prefix("process_resident_memory_bytes"), _rng.Between(8e7, 6e8), 1.5e6, 5e7, 2e9, integer: true));
        Get("process_open_fds", "gauge", "Number of open file descriptors.")
            .Members.Add(new Gauge(Prefix("process_open_fds"), _rng.Between(40, 400), 2, 10, 1024, integer: true));
        Get("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.")
            .Members.Add(new Constant(Prefix("process_start_time_seconds"), Math.Floor(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - _rng.Between(3600, 30 * 86400))));
        Get("app_build_info", "gauge", "A metric with a constant '1' value labeled by version, revision and runtime.")
            .Members.Add(new Constant(Prefix("app_build_info", ("version", $"1.{Index % 7}.{Index % 3}"), ("revision", $"{(uint)(Index * 2654435761u):x8}"), ("runtime", "dotnet10")), 1));
    }

    private void AddHandler(int k, bool post)
    {
        var handler = $"/api/v{1 + (k / s_paths.Length)}{s_paths[k % s_paths.Length]}";
        AddEndpoint(handler, "GET", ["200", "304", "400", "404", "500"]);
        if (post)
        {
            AddEndpoint(handler, "POST", ["201", "400", "409", "422", "500"]);
        }
        Get("http_requests_in_flight", "gauge", "Requests currently being served, by handler.")
            .Members.Add(new Gauge(Prefix("http_requests_in_flight", ("handler", handler)), _rng.Between(0, 10), 1.5, 0, 200, integer: true));
        Get("http_response_size_bytes", "histogram", "Size of HTTP responses in bytes.")
            .Members.Add(new Histogram("http_response_size_bytes", [("handler", handler)], s_sizeBuckets, Math.Exp(_rng.Between(Math.Log(300), Math.Log(60000))), 1.2, _rng.LogUniform(0.05, 40)));
    }

    private void AddEndpoint(string handler, string method, string[] codes)
    {
        var rate = _rng.LogUniform(0.02, 60);
        var requests = Get("http_requests_total", "counter", "Total HTTP requests by handler, method and status code.");
        double[] shares = [1, 0.04, 0.015, 0.008, 0.002];
        for (var i = 0; i < codes.Length; i++)
        {
            requests.Members.Add(new Counter(Prefix("http_requests_total", ("handler", handler), ("method", method), ("code", codes[i])), Math.Floor(_rng.Between(0, 1e6) * shares[i]), rate * shares[i] * _rng.Between(0.5, 1.5), integer: true));
        }
        Get("http_request_duration_seconds", "histogram", "Latency of HTTP requests in seconds.")
            .Members.Add(new Histogram("http_request_duration_seconds", [("handler", handler), ("method", method)], s_durationBuckets, _rng.LogUniform(0.004, 0.8), _rng.Between(0.5, 1.3), rate));
    }

    private void AddDatabase(int j)
    {
        var db = s_dbs[j % s_dbs.Length] + (j >= 18 ? $"-{j / 18}" : "");
        var operation = s_operations[j / s_dbs.Length % s_operations.Length];
        var rate = _rng.LogUniform(0.1, 200);
        Get("db_queries_total", "counter", "Database queries issued, by database and operation.")
            .Members.Add(new Counter(Prefix("db_queries_total", ("db", db), ("operation", operation)), Math.Floor(_rng.Between(0, 1e7)), rate, integer: true));
        Get("db_query_duration_seconds", "histogram", "Database query latency in seconds.")
            .Members.Add(new Histogram("db_query_duration_seconds", [("db", db), ("operation", operation)], s_dbBuckets, _rng.LogUniform(0.0008, 0.2), _rng.Between(0.6, 1.5), rate));
    }

    private void AddCacheAndQueue(int c)
    {
        var suffix = c >= s_caches.Length ? $"-{c / s_caches.Length}" : "";
        var cache = s_caches[c % s_caches.Length] + suffix;
        var lookups = _rng.LogUniform(1, 500);
        var hitRatio = _rng.Between(0.6, 0.99);
        var cacheRequests = Get("cache_requests_total", "counter", "Cache lookups by result.");
        cacheRequests.Members.Add(new Counter(Prefix("cache_requests_total", ("cache", cache), ("result", "hit")), Math.Floor(_rng.Between(0, 1e8)), lookups * hitRatio, integer: true));
        cacheRequests.Members.Add(new Counter(Prefix("cache_requests_total", ("cache", cache), ("result", "miss")), Math.Floor(_rng.Between(0, 1e7)), lookups * (1 - hitRatio), integer: true));
        Get("cache_entries", "gauge", "Entries currently held in the cache.")
            .Members.Add(new Gauge(Prefix("cache_entries", ("cache", cache)), _rng.Between(1e3, 1e6), 500, 0, 5e6, integer: true));

        var queue = s_queues[c % s_queues.Length] + suffix;
        Get("worker_queue_depth", "gauge", "Jobs waiting in the queue.")
            .Members.Add(new Gauge(Prefix("worker_queue_depth", ("queue", queue)), _rng.Between(0, 200), 12, 0, 20000, integer: true));
        var jobs = Get("worker_jobs_processed_total", "counter", "Jobs processed by the workers, by outcome.");
        var jobRate = _rng.LogUniform(0.05, 50);
        jobs.Members.Add(new Counter(Prefix("worker_jobs_processed_total", ("queue", queue), ("status", "ok")), Math.Floor(_rng.Between(0, 1e6)), jobRate, integer: true));
        jobs.Members.Add(new Counter(Prefix("worker_jobs_processed_total", ("queue", queue), ("status", "failed")), Math.Floor(_rng.Between(0, 1e4)), jobRate * 0.01, integer: true));
        jobs.Members.Add(new Counter(Prefix("worker_jobs_processed_total", ("queue", queue), ("status", "retried")), Math.Floor(_rng.Between(0, 1e4)), jobRate * 0.03, integer: true));
    }

    private Family Get(string name, string type, string help)
    {
        foreach (var f in _families)
        {
            if (f.Name == name)
            {
                return f;
            }
        }
        // OpenMetrics names a counter family without its _total suffix.
        var omName = type == "counter" && name.EndsWith("_total", StringComparison.Ordinal) ? name[..^"_total".Length] : name;
        var family = new Family(
            name,
            Encoding.UTF8.GetBytes($"# HELP {name} {help}\n# TYPE {name} {type}\n"),
            Encoding.UTF8.GetBytes($"# HELP {omName} {help}\n# TYPE {omName} {type}\n"));
        _families.Add(family);
        return family;
    }

    internal static byte[] Prefix(string name, params (string Name, string Value)[] labels)
    {
        var sb = new StringBuilder(name);
        if (labels.Length > 0)
        {
            sb.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                sb.Append(i > 0 ? "," : "").Append(labels[i].Name).Append("=\"").Append(labels[i].Value).Append('"');
            }
            sb.Append('}');
        }
        return Encoding.UTF8.GetBytes(sb.Append(' ').ToString());
    }

    private sealed class Family(string name, byte[] textHeader, byte[] omHeader)
    {
        public string Name { get; } = name;

        public byte[] TextHeader { get; } = textHeader;

        public byte[] OmHeader { get; } = omHeader;

        public List<Member> Members { get; } = [];

        public int SeriesCount
        {
            get
            {
                var n = 0;
                foreach (var m in Members)
                {
                    n += m.SeriesCount;
                }
                return n;
            }
        }
    }

    private abstract class Member
    {
        public virtual int SeriesCount => 1;

        public abstract void Advance(double dt, Rng rng);

        public abstract void Write(BodyBuffer body, bool openMetrics);

        protected static void Line(BodyBuffer body, byte[] prefix, double value, bool integer)
        {
            body.Append(prefix);
            if (integer)
            {
                body.Append((long)value);
            }
            else
            {
                body.Append(value);
            }
            body.Append((byte)'\n');
        }
    }

    /// <summary>Grows at <c>perSecond</c> (±50% per scrape); integer counters round stochastically so slow ones still tick.</summary>
    private sealed class Counter(byte[] prefix, double start, double perSecond, bool integer) : Member
    {
        private double _value = start;

        public override void Advance(double dt, Rng rng)
        {
            var inc = perSecond * dt * rng.Between(0.5, 1.5);
            _value += integer ? Math.Floor(inc + rng.NextDouble()) : Math.Round(inc, 2);
        }

        public override void Write(BodyBuffer body, bool openMetrics) => Line(body, prefix, _value, integer);
    }

    /// <summary>A random walk with normal steps of <c>sigma</c> per 10 s, kept within [min, max].</summary>
    private sealed class Gauge(byte[] prefix, double start, double sigma, double min, double max, bool integer) : Member
    {
        private double _value = start;

        public override void Advance(double dt, Rng rng)
            => _value = Math.Clamp(_value + (sigma * Math.Sqrt(dt / 10) * rng.Normal()), min, max);

        public override void Write(BodyBuffer body, bool openMetrics) => Line(body, prefix, Math.Round(_value), integer);
    }

    private sealed class Constant(byte[] prefix, double value) : Member
    {
        public override void Advance(double dt, Rng rng)
        {
        }

        public override void Write(BodyBuffer body, bool openMetrics) => Line(body, prefix, value, integer: true);
    }

    /// <summary>
    /// A classic histogram: observations arrive at <c>perSecond</c>, log-normally distributed around <c>median</c>;
    /// each scrape adds the expected share of the new observations to each bucket (stochastically rounded), so
    /// cumulative buckets, _count and _sum stay consistent and monotonic.
    /// </summary>
    private sealed class Histogram : Member
    {
        private readonly byte[][] _textBuckets;
        private readonly byte[][] _omBuckets;
        private readonly byte[] _sum;
        private readonly byte[] _count;
        private readonly double[] _share;
        private readonly double[] _mid;
        private readonly long[] _counts;
        private readonly double _perSecond;
        private double _sumValue;

        public Histogram(string name, (string Name, string Value)[] labels, double[] bounds, double median, double sigma, double perSecond)
        {
            _perSecond = perSecond;
            var n = bounds.Length + 1;
            _textBuckets = new byte[n][];
            _omBuckets = new byte[n][];
            _share = new double[n];
            _mid = new double[n];
            _counts = new long[n];
            var previousCdf = 0.0;
            for (var i = 0; i < n; i++)
            {
                var inf = i == bounds.Length;
                var text = inf ? "+Inf" : bounds[i].ToString("R", CultureInfo.InvariantCulture);
                // client_golang writes OpenMetrics le values as floats ("1.0"), text ones as Go's %g ("1").
                var om = inf || text.Contains('.', StringComparison.Ordinal) || text.Contains('e', StringComparison.OrdinalIgnoreCase) ? text : text + ".0";
                _textBuckets[i] = Prefix(name + "_bucket", [.. labels, ("le", text)]);
                _omBuckets[i] = Prefix(name + "_bucket", [.. labels, ("le", om)]);
                var cdf = inf ? 1.0 : NormalCdf((Math.Log(bounds[i]) - Math.Log(median)) / sigma);
                _share[i] = cdf - previousCdf;
                previousCdf = cdf;
                _mid[i] = inf ? bounds[^1] * 1.5 : i == 0 ? bounds[0] / 2 : (bounds[i - 1] + bounds[i]) / 2;
            }
            _sum = Prefix(name + "_sum", labels);
            _count = Prefix(name + "_count", labels);
        }

        public override int SeriesCount => _counts.Length + 2;

        public override void Advance(double dt, Rng rng)
        {
            var observations = _perSecond * dt * rng.Between(0.7, 1.3);
            var added = 0.0;
            for (var i = 0; i < _counts.Length; i++)
            {
                var inc = (long)Math.Floor((observations * _share[i]) + rng.NextDouble());
                _counts[i] += inc;
                added += inc * _mid[i];
            }
            _sumValue += added * rng.Between(0.9, 1.1);
        }

        public override void Write(BodyBuffer body, bool openMetrics)
        {
            var buckets = openMetrics ? _omBuckets : _textBuckets;
            long cumulative = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                cumulative += _counts[i];
                body.Append(buckets[i]);
                body.Append(cumulative);
                body.Append((byte)'\n');
            }
            body.Append(_sum);
            body.Append(Math.Round(_sumValue, 6));
            body.Append((byte)'\n');
            body.Append(_count);
            body.Append(cumulative);
            body.Append((byte)'\n');
        }

        /// <summary>Φ(z) via Abramowitz–Stegun 7.1.26 (error below 1.5e-7, plenty for bucket shares).</summary>
        private static double NormalCdf(double z)
        {
            var x = Math.Abs(z) / Math.Sqrt(2);
            var t = 1 / (1 + (0.3275911 * x));
            var erf = 1 - ((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
            return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
        }
    }

    /// <summary>SplitMix64: cheap, deterministic per seed, no allocation.</summary>
    private sealed class Rng(ulong seed)
    {
        private ulong _state = seed;

        public double NextDouble()
        {
            _state += 0x9E3779B97F4A7C15UL;
            var z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }

        public double Between(double min, double max) => min + (NextDouble() * (max - min));

        public double LogUniform(double min, double max) => Math.Exp(Between(Math.Log(min), Math.Log(max)));

        public double Normal()
        {
            var u1 = 1.0 - NextDouble();
            var u2 = NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }
}
