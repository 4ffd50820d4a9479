namespace Vigil.Scrape.Config;

/// <summary>The service discovery sections of a scrape config or an Alertmanager config, each in file order.</summary>
public sealed class DiscoveryConfigs
{
    /// <summary><c>static_configs</c>.</summary>
    public IReadOnlyList<StaticConfig> Static { get; internal set; } = [];

    /// <summary><c>file_sd_configs</c>.</summary>
    public IReadOnlyList<FileSdConfig> File { get; internal set; } = [];

    /// <summary><c>http_sd_configs</c>.</summary>
    public IReadOnlyList<HttpSdConfig> Http { get; internal set; } = [];

    /// <summary><c>dns_sd_configs</c>.</summary>
    public IReadOnlyList<DnsSdConfig> Dns { get; internal set; } = [];

    /// <summary><c>kubernetes_sd_configs</c>.</summary>
    public IReadOnlyList<KubernetesSdConfig> Kubernetes { get; internal set; } = [];

    /// <summary>Whether no discovery is configured.</summary>
    public bool IsEmpty => Static.Count == 0 && File.Count == 0 && Http.Count == 0 && Dns.Count == 0 && Kubernetes.Count == 0;
}

/// <summary>A target group: addresses and labels shared by them (<c>static_configs</c> entries, file_sd and http_sd items).</summary>
public sealed class StaticConfig
{
    /// <summary>The addresses (<c>host:port</c>), each becoming a target's <c>__address__</c>.</summary>
    public IReadOnlyList<string> Targets { get; internal set; } = [];

    /// <summary>Labels for every target of the group.</summary>
    public Model.Labels Labels { get; internal set; } = Model.Labels.Empty;
}

/// <summary><c>file_sd_configs</c>: target groups from JSON or YAML files, watched and re-read.</summary>
public sealed class FileSdConfig
{
    /// <summary>File paths; the last path element may contain <c>*</c>. Must end in .json, .yml or .yaml.</summary>
    public IReadOnlyList<string> Files { get; internal set; } = [];

    /// <summary>How often to re-read the files even without a change notification (5m).</summary>
    public TimeSpan RefreshInterval { get; internal set; } = TimeSpan.FromMinutes(5);
}

/// <summary><c>http_sd_configs</c>: target groups from an HTTP endpoint returning JSON.</summary>
public sealed class HttpSdConfig
{
    /// <summary>The endpoint (http or https).</summary>
    public Uri Url { get; internal set; } = new("http://localhost/");

    /// <summary>How often to poll (1m).</summary>
    public TimeSpan RefreshInterval { get; internal set; } = TimeSpan.FromMinutes(1);

    /// <summary>How to connect and authenticate.</summary>
    public HttpClientConfig HttpClient { get; internal set; } = new();
}

/// <summary><c>dns_sd_configs</c>: targets from DNS records.</summary>
public sealed class DnsSdConfig
{
    /// <summary>The names to query.</summary>
    public IReadOnlyList<string> Names { get; internal set; } = [];

    /// <summary>How often to query (30s).</summary>
    public TimeSpan RefreshInterval { get; internal set; } = TimeSpan.FromSeconds(30);

    /// <summary>The record type: SRV (default), A, AAAA or MX, upper case.</summary>
    public string Type { get; internal set; } = "SRV";

    /// <summary>The port for A, AAAA and MX targets (SRV records carry their own).</summary>
    public int Port { get; internal set; }
}

/// <summary><c>kubernetes_sd_configs</c>, with Prometheus's field names.</summary>
public sealed class KubernetesSdConfig
{
    /// <summary>The role: pod, service, endpoints, endpointslice, node or ingress.</summary>
    public string Role { get; internal set; } = "";

    /// <summary>The API server URL; null to use the in-cluster service account.</summary>
    public Uri? ApiServer { get; internal set; }

    /// <summary>A kubeconfig file, or empty.</summary>
    public string KubeconfigFile { get; internal set; } = "";

    /// <summary>Whether to watch the namespace Vigil runs in (<c>namespaces.own_namespace</c>).</summary>
    public bool OwnNamespace { get; internal set; }

    /// <summary>The namespaces to watch (<c>namespaces.names</c>); empty for all.</summary>
    public IReadOnlyList<string> Namespaces { get; internal set; } = [];

    /// <summary>Label and field selectors per role.</summary>
    public IReadOnlyList<KubernetesSelector> Selectors { get; internal set; } = [];

    /// <summary><c>attach_metadata.node</c>: add the node's labels to pod targets.</summary>
    public bool AttachNodeMetadata { get; internal set; }

    /// <summary>How to connect to the API server (bearer token file, CA).</summary>
    public HttpClientConfig HttpClient { get; internal set; } = new();
}

/// <summary>One <c>selectors</c> entry of a Kubernetes discovery config.</summary>
public sealed class KubernetesSelector
{
    /// <summary>The role the selector applies to.</summary>
    public string Role { get; internal set; } = "";

    /// <summary>A label selector (<c>app=web</c>), or empty.</summary>
    public string Label { get; internal set; } = "";

    /// <summary>A field selector, or empty.</summary>
    public string Field { get; internal set; } = "";
}
