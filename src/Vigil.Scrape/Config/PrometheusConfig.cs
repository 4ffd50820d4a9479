namespace Vigil.Scrape.Config;

/// <summary>
/// A Prometheus 2.42 configuration file (<c>prometheus.yml</c>) as loaded: defaults filled in as Prometheus fills
/// them, scrape configs inheriting the global interval and timeout, relative file paths kept as written (resolve
/// them against <see cref="Directory"/>). Load with <see cref="ConfigLoader"/>; write back with <see cref="ConfigWriter"/>.
/// </summary>
public sealed class PrometheusConfig
{
    /// <summary>The <c>global</c> section.</summary>
    public GlobalConfig Global { get; internal set; } = new();

    /// <summary>The <c>alerting</c> section.</summary>
    public AlertingConfig Alerting { get; internal set; } = new();

    /// <summary>The <c>rule_files</c> globs, as written.</summary>
    public IReadOnlyList<string> RuleFiles { get; internal set; } = [];

    /// <summary>The <c>scrape_configs</c>, in file order, with unique job names.</summary>
    public IReadOnlyList<ScrapeConfig> ScrapeConfigs { get; internal set; } = [];

    /// <summary>The <c>storage</c> section.</summary>
    public StorageConfig Storage { get; internal set; } = new();

    /// <summary>The <c>tracing</c> section.</summary>
    public TracingConfig Tracing { get; internal set; } = new();

    /// <summary>The <c>remote_write</c> endpoints.</summary>
    public IReadOnlyList<RemoteWriteConfig> RemoteWrite { get; internal set; } = [];

    /// <summary>The <c>remote_read</c> endpoints.</summary>
    public IReadOnlyList<RemoteReadConfig> RemoteRead { get; internal set; } = [];

    /// <summary>The directory of the file the configuration came from (relative paths in it are relative to this), or null.</summary>
    public string? Directory { get; internal set; }

    /// <summary>A path from the configuration made absolute against <see cref="Directory"/>, as Prometheus's <c>SetDirectory</c> does.</summary>
    public string ResolvePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Length == 0 || Directory is null || Path.IsPathRooted(path) ? path : Path.Combine(Directory, path);
    }
}

/// <summary>The <c>global</c> section.</summary>
public sealed class GlobalConfig
{
    /// <summary>How often to scrape by default (1m).</summary>
    public TimeSpan ScrapeInterval { get; internal set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a scrape may take by default (10s, or the interval when that is shorter).</summary>
    public TimeSpan ScrapeTimeout { get; internal set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often to evaluate rules by default (1m).</summary>
    public TimeSpan EvaluationInterval { get; internal set; } = TimeSpan.FromMinutes(1);

    /// <summary>Labels added to series and alerts leaving this server (remote write, federation, Alertmanager).</summary>
    public Model.Labels ExternalLabels { get; internal set; } = Model.Labels.Empty;

    /// <summary>Where to log PromQL queries, or empty.</summary>
    public string QueryLogFile { get; internal set; } = "";
}

/// <summary>The <c>storage</c> section (TSDB and exemplar settings that are reloadable).</summary>
public sealed class StorageConfig
{
    /// <summary><c>tsdb.out_of_order_time_window</c>; zero when out-of-order samples are refused.</summary>
    public TimeSpan OutOfOrderTimeWindow { get; internal set; }

    /// <summary><c>exemplars.max_exemplars</c> (100000 by default).</summary>
    public long MaxExemplars { get; internal set; } = 100_000;
}

/// <summary>The <c>tracing</c> section (parsed and validated; Vigil does not export traces from it yet).</summary>
public sealed class TracingConfig
{
    /// <summary>The OTLP endpoint, or empty when tracing is off.</summary>
    public string Endpoint { get; internal set; } = "";

    /// <summary><c>grpc</c> (default) or <c>http</c>.</summary>
    public string ClientType { get; internal set; } = "grpc";

    /// <summary>The fraction of traces sampled.</summary>
    public double SamplingFraction { get; internal set; }

    /// <summary>Whether to skip TLS.</summary>
    public bool Insecure { get; internal set; }

    /// <summary>Extra headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; internal set; } = new Dictionary<string, string>();

    /// <summary><c>gzip</c> or empty.</summary>
    public string Compression { get; internal set; } = "";

    /// <summary>The export timeout (10s).</summary>
    public TimeSpan Timeout { get; internal set; } = TimeSpan.FromSeconds(10);

    /// <summary>TLS settings.</summary>
    public TlsConfig Tls { get; internal set; } = new();
}
