using Vigil.Model.Relabel;

namespace Vigil.Scrape.Config;

/// <summary>The <c>alerting</c> section: where alerts go and how their labels are rewritten first.</summary>
public sealed class AlertingConfig
{
    /// <summary><c>alert_relabel_configs</c>.</summary>
    public IReadOnlyList<RelabelConfig> AlertRelabelConfigs { get; internal set; } = [];

    /// <summary><c>alertmanagers</c>.</summary>
    public IReadOnlyList<AlertmanagerConfig> Alertmanagers { get; internal set; } = [];
}

/// <summary>One entry of <c>alerting.alertmanagers</c>.</summary>
public sealed class AlertmanagerConfig
{
    /// <summary>How to connect and authenticate.</summary>
    public HttpClientConfig HttpClient { get; internal set; } = new();

    /// <summary>Where the Alertmanagers come from.</summary>
    public DiscoveryConfigs Discovery { get; internal set; } = new();

    /// <summary>The URL scheme (<c>http</c>).</summary>
    public string Scheme { get; internal set; } = "http";

    /// <summary>A path prefix for the API, or empty.</summary>
    public string PathPrefix { get; internal set; } = "";

    /// <summary>The push timeout (10s).</summary>
    public TimeSpan Timeout { get; internal set; } = TimeSpan.FromSeconds(10);

    /// <summary>The Alertmanager API version: <c>v2</c> (default) or <c>v1</c>.</summary>
    public string ApiVersion { get; internal set; } = "v2";

    /// <summary>Relabeling of discovered Alertmanagers.</summary>
    public IReadOnlyList<RelabelConfig> RelabelConfigs { get; internal set; } = [];
}
