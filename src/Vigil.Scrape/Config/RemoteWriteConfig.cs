using Vigil.Model.Relabel;

namespace Vigil.Scrape.Config;

/// <summary>One <c>remote_write</c> endpoint (parsed and validated here; used by Vigil.Remote).</summary>
public sealed class RemoteWriteConfig
{
    /// <summary>The endpoint.</summary>
    public Uri Url { get; internal set; } = new("http://localhost/");

    /// <summary>The request timeout (30s).</summary>
    public TimeSpan RemoteTimeout { get; internal set; } = TimeSpan.FromSeconds(30);

    /// <summary>Extra request headers (not the reserved ones).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; internal set; } = new Dictionary<string, string>();

    /// <summary>Relabeling applied to series before they are sent.</summary>
    public IReadOnlyList<RelabelConfig> WriteRelabelConfigs { get; internal set; } = [];

    /// <summary>A unique name, or empty.</summary>
    public string Name { get; internal set; } = "";

    /// <summary>Whether to send exemplars.</summary>
    public bool SendExemplars { get; internal set; }

    /// <summary>Whether to send native histograms.</summary>
    public bool SendNativeHistograms { get; internal set; }

    /// <summary>How to connect and authenticate.</summary>
    public HttpClientConfig HttpClient { get; internal set; } = new();

    /// <summary>Queue tuning.</summary>
    public QueueConfig Queue { get; internal set; } = new();

    /// <summary>Metadata sending.</summary>
    public MetadataConfig Metadata { get; internal set; } = new();
}

/// <summary><c>queue_config</c> with Prometheus 2.42's defaults.</summary>
public sealed class QueueConfig
{
    /// <summary>Samples buffered per shard (2500).</summary>
    public int Capacity { get; internal set; } = 2500;

    /// <summary>The most shards (200).</summary>
    public int MaxShards { get; internal set; } = 200;

    /// <summary>The fewest shards (1).</summary>
    public int MinShards { get; internal set; } = 1;

    /// <summary>The most samples per request (500).</summary>
    public int MaxSamplesPerSend { get; internal set; } = 500;

    /// <summary>How long a partial batch may wait (5s).</summary>
    public TimeSpan BatchSendDeadline { get; internal set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first retry delay (30ms).</summary>
    public TimeSpan MinBackoff { get; internal set; } = TimeSpan.FromMilliseconds(30);

    /// <summary>The longest retry delay (5s).</summary>
    public TimeSpan MaxBackoff { get; internal set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether HTTP 429 is retried.</summary>
    public bool RetryOnRateLimit { get; internal set; }
}

/// <summary><c>metadata_config</c>.</summary>
public sealed class MetadataConfig
{
    /// <summary>Whether metric metadata is sent (true).</summary>
    public bool Send { get; internal set; } = true;

    /// <summary>How often (1m).</summary>
    public TimeSpan SendInterval { get; internal set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most metadata entries per request (500).</summary>
    public int MaxSamplesPerSend { get; internal set; } = 500;
}

/// <summary>One <c>remote_read</c> endpoint (parsed and validated).</summary>
public sealed class RemoteReadConfig
{
    /// <summary>The endpoint.</summary>
    public Uri Url { get; internal set; } = new("http://localhost/");

    /// <summary>The request timeout (1m).</summary>
    public TimeSpan RemoteTimeout { get; internal set; } = TimeSpan.FromMinutes(1);

    /// <summary>Extra request headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; internal set; } = new Dictionary<string, string>();

    /// <summary>A unique name, or empty.</summary>
    public string Name { get; internal set; } = "";

    /// <summary>Equality matchers every query must contain to be sent here.</summary>
    public IReadOnlyDictionary<string, string> RequiredMatchers { get; internal set; } = new Dictionary<string, string>();

    /// <summary>Whether to read time ranges local storage also has.</summary>
    public bool ReadRecent { get; internal set; }

    /// <summary>Whether external labels are added as matchers (true).</summary>
    public bool FilterExternalLabels { get; internal set; } = true;

    /// <summary>How to connect and authenticate.</summary>
    public HttpClientConfig HttpClient { get; internal set; } = new();
}
