using Vigil.Model;
using Vigil.Scrape.Config;
using Vigil.Scrape.Discovery;
using Vigil.Scrape.Discovery.Kubernetes;

namespace Vigil.Scrape.Manager;

/// <summary>Maps a scrape config's discovery sections to running discoverers, one per configuration entry (static_configs share one).</summary>
public static class DiscovererFactory
{
    /// <summary>
    /// The discoverers of <paramref name="config"/>'s job. An entry that cannot start (Kubernetes without
    /// <c>api_server</c> outside a cluster, unreadable TLS files) is reported to <paramref name="warning"/> and left out.
    /// </summary>
    public static IReadOnlyList<ITargetDiscoverer> Create(ScrapeConfig config, PrometheusConfig root, TimeProvider timeProvider, Action<string>? warning = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var discovery = config.Discovery;
        var list = new List<ITargetDiscoverer>();
        if (discovery.Static.Count > 0)
        {
            var groups = new List<TargetGroup>(discovery.Static.Count);
            foreach (var entry in discovery.Static)
            {
                groups.Add(StaticDiscoverer.Group(entry.Targets, entry.Labels));
            }
            list.Add(new StaticDiscoverer(groups));
        }
        foreach (var file in discovery.File)
        {
            var files = new List<string>(file.Files.Count);
            foreach (var path in file.Files)
            {
                files.Add(root.ResolvePath(path));
            }
            list.Add(new FileDiscoverer(new FileSdOptions(files) { RefreshInterval = file.RefreshInterval }, timeProvider));
        }
        foreach (var http in discovery.Http)
        {
            try
            {
                list.Add(new HttpDiscoverer(new HttpSdOptions(http.Url) { RefreshInterval = http.RefreshInterval }, CreateClient(http.HttpClient, root), timeProvider));
            }
            catch (InvalidOperationException e)
            {
                warning?.Invoke($"job {config.JobName}: http_sd_configs {http.Url}: {e.Message}");
            }
        }
        foreach (var dns in discovery.Dns)
        {
            list.Add(new DnsDiscoverer(new DnsSdOptions(dns.Names)
            {
                Type = DnsDiscoverer.ParseType(dns.Type),
                Port = dns.Port,
                RefreshInterval = dns.RefreshInterval,
            }, timeProvider: timeProvider));
        }
        foreach (var kubernetes in discovery.Kubernetes)
        {
            try
            {
                list.Add(new KubernetesDiscoverer(KubernetesOptions(kubernetes, root), timeProvider: timeProvider));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException)
            {
                warning?.Invoke($"job {config.JobName}: kubernetes_sd_configs role {kubernetes.Role}: {e.Message}");
            }
        }
        return list;
    }

    /// <summary>Prometheus's <c>kubernetes_sd_configs</c> entry as <see cref="KubernetesSdOptions"/>.</summary>
    /// <exception cref="InvalidOperationException">No <c>api_server</c> and not running in a cluster, or an unsupported role.</exception>
    public static KubernetesSdOptions KubernetesOptions(KubernetesSdConfig config, PrometheusConfig root)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(root);
        var role = ParseRole(config.Role);
        var options = config.ApiServer is null ? KubernetesSdOptions.InCluster(role) : new KubernetesSdOptions(role, config.ApiServer);
        var namespaces = new List<string>(config.Namespaces);
        if (config.OwnNamespace && KubernetesSdOptions.OwnNamespace() is { } own)
        {
            namespaces.Add(own);
        }
        var selectors = new List<Discovery.Kubernetes.KubernetesSelector>(config.Selectors.Count);
        foreach (var s in config.Selectors)
        {
            selectors.Add(new Discovery.Kubernetes.KubernetesSelector(ParseRole(s.Role), s.Label, s.Field));
        }
        options = options with { Namespaces = namespaces, Selectors = selectors };
        var http = config.HttpClient;
        if (http.Authorization is { } auth)
        {
            options = auth.CredentialsFile.Length > 0
                ? options with { BearerTokenFile = root.ResolvePath(auth.CredentialsFile), BearerToken = null }
                : options with { BearerToken = auth.Credentials.Value, BearerTokenFile = null };
        }
        if (http.Tls.CaFile.Length > 0)
        {
            options = options with { CaFile = root.ResolvePath(http.Tls.CaFile) };
        }
        if (http.Tls.InsecureSkipVerify)
        {
            options = options with { InsecureSkipVerify = true };
        }
        return options;
    }

    private static KubernetesRole ParseRole(string role) => role switch
    {
        "pod" => KubernetesRole.Pod,
        "service" => KubernetesRole.Service,
        "endpoints" => KubernetesRole.Endpoints,
        _ => throw new InvalidOperationException($"role {LabelText.Quote(role)} is not supported by Vigil (pod, service, endpoints are)"),
    };

    private static HttpClient CreateClient(HttpClientConfig config, PrometheusConfig root)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, UseCookies = false };
        HttpClientSettings.HandlerConfigurer(config, root)?.Invoke(handler);
        HttpMessageHandler outer = handler;
        if (HttpClientSettings.RequestConfigurer(config, root) is { } configure)
        {
            outer = new RequestConfiguringHandler(configure) { InnerHandler = handler };
        }
        return new HttpClient(outer, disposeHandler: true);
    }

    private sealed class RequestConfiguringHandler(Action<HttpRequestMessage> configure) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            configure(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
