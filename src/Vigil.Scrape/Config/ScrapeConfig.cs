using Vigil.Model.Relabel;

namespace Vigil.Scrape.Config;

/// <summary>One entry of <c>scrape_configs</c>: a job, how to scrape its targets, and where the targets come from.</summary>
public sealed class ScrapeConfig
{
    /// <summary>The 1-based line where the entry starts in its file.</summary>
    public int Line { get; internal set; }

    /// <summary>The job name (unique; the default <c>job</c> label).</summary>
    public string JobName { get; internal set; } = "";

    /// <summary>Whether the scraped data's labels win over the target's on conflict (false).</summary>
    public bool HonorLabels { get; internal set; }

    /// <summary>Whether timestamps in the scraped data are kept (true).</summary>
    public bool HonorTimestamps { get; internal set; } = true;

    /// <summary>URL query parameters for the scrape request (<c>__param_*</c> labels).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Params { get; internal set; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>How often to scrape (the global interval unless set).</summary>
    public TimeSpan ScrapeInterval { get; internal set; }

    /// <summary>How long a scrape may take (the global timeout, capped at the interval, unless set).</summary>
    public TimeSpan ScrapeTimeout { get; internal set; }

    /// <summary>The HTTP path (<c>/metrics</c>).</summary>
    public string MetricsPath { get; internal set; } = "/metrics";

    /// <summary>The URL scheme (<c>http</c>).</summary>
    public string Scheme { get; internal set; } = "http";

    /// <summary>The largest uncompressed body accepted, in bytes; 0 for no limit.</summary>
    public long BodySizeLimit { get; internal set; }

    /// <summary>The most samples a scrape may return after metric relabeling; 0 for no limit.</summary>
    public ulong SampleLimit { get; internal set; }

    /// <summary>The most targets this job may have after relabeling; 0 for no limit.</summary>
    public ulong TargetLimit { get; internal set; }

    /// <summary>The most labels a sample may have; 0 for no limit.</summary>
    public ulong LabelLimit { get; internal set; }

    /// <summary>The longest label name; 0 for no limit.</summary>
    public ulong LabelNameLengthLimit { get; internal set; }

    /// <summary>The longest label value; 0 for no limit.</summary>
    public ulong LabelValueLengthLimit { get; internal set; }

    /// <summary>How to connect and authenticate.</summary>
    public HttpClientConfig HttpClient { get; internal set; } = new();

    /// <summary>Target relabeling (<c>relabel_configs</c>).</summary>
    public IReadOnlyList<RelabelConfig> RelabelConfigs { get; internal set; } = [];

    /// <summary>Series relabeling (<c>metric_relabel_configs</c>).</summary>
    public IReadOnlyList<RelabelConfig> MetricRelabelConfigs { get; internal set; } = [];

    /// <summary>Where the targets come from.</summary>
    public DiscoveryConfigs Discovery { get; internal set; } = new();
}
