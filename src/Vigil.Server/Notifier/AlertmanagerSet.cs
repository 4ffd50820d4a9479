using System.Threading.Channels;
using Vigil.Model;
using Vigil.Model.Relabel;
using Vigil.Scrape.Config;
using Vigil.Scrape.Discovery;
using Vigil.Scrape.Manager;

namespace Vigil.Server.Notifier;

/// <summary>
/// One <c>alerting.alertmanagers</c> entry (Prometheus 2.42's <c>alertmanagerSet</c>): its discoverers
/// (static_configs, file_sd_configs, http_sd_configs, dns_sd_configs, kubernetes_sd_configs through Vigil.Scrape's
/// discovery), its relabeling into Alertmanager URLs (<c>__scheme__</c>, <c>__address__</c>, <c>__alerts_path__</c>),
/// its HTTP client (auth, TLS) and its timeout.
/// </summary>
public sealed class AlertmanagerSet : IAsyncDisposable
{
    private const string AlertsPathLabel = "__alerts_path__";
    private readonly Vigil.Scrape.Config.AlertmanagerConfig _config;
    private readonly IReadOnlyList<ITargetDiscoverer> _discoverers;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, TargetGroup> _groups = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Action<HttpRequestMessage>? _authorize;
    private readonly List<Task> _tasks = [];
    private Task? _run;
    private IReadOnlyList<Uri> _urls = [];

    /// <summary>Creates the set for entry <paramref name="index"/> of <paramref name="root"/>'s <c>alerting.alertmanagers</c>.</summary>
    public AlertmanagerSet(PrometheusConfig root, int index, TimeProvider time, Action<string>? warning = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        _config = root.Alerting.Alertmanagers[index];
        Name = $"config-{index}";
        _discoverers = Discoverers(_config.Discovery, root, time, warning);
        _authorize = HttpClientSettings.RequestConfigurer(_config.HttpClient, root);
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), UseCookies = false };
        HttpClientSettings.HandlerConfigurer(_config.HttpClient, root)?.Invoke(handler);
        Client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        Client.DefaultRequestHeaders.UserAgent.ParseAdd("Prometheus/2.42.0");
    }

    /// <summary>The discovery key Prometheus gives the entry (<c>config-0</c>, ...).</summary>
    public string Name { get; }

    /// <summary>The push timeout.</summary>
    public TimeSpan Timeout => _config.Timeout;

    /// <summary>The client requests go through.</summary>
    public HttpClient Client { get; }

    /// <summary>The Alertmanagers currently discovered, deduplicated.</summary>
    public IReadOnlyList<Uri> Urls => Volatile.Read(ref _urls);

    /// <summary>Sets the authentication header (basic_auth, authorization) on a request.</summary>
    public void Authorize(HttpRequestMessage request) => _authorize?.Invoke(request);

    /// <summary>Starts discovery; the first publication of every discoverer is applied before this returns (or after 5 s).</summary>
    public async Task StartAsync()
    {
        var channel = Channel.CreateUnbounded<IReadOnlyList<TargetGroup>>();
        foreach (var d in _discoverers)
        {
            _tasks.Add(Task.Run(() => d.RunAsync(channel.Writer, _stop.Token)));
        }
        var first = new TaskCompletionSource();
        var pending = _discoverers.Count;
        _run = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in channel.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                {
                    Apply(batch);
                    if (Interlocked.Decrement(ref pending) <= 0)
                    {
                        first.TrySetResult();
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        if (_discoverers.Count == 0)
        {
            first.TrySetResult();
        }
        await Task.WhenAny(first.Task, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
    }

    private void Apply(IReadOnlyList<TargetGroup> batch)
    {
        lock (_lock)
        {
            foreach (var group in batch)
            {
                if (group.Targets.Count == 0)
                {
                    _groups.Remove(group.Source);
                }
                else
                {
                    _groups[group.Source] = group;
                }
            }
            var urls = new List<Uri>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var group in _groups.Values)
            {
                foreach (var target in group.MergedTargets())
                {
                    if (ToUrl(target, _config) is { } url && seen.Add(url.AbsoluteUri))
                    {
                        urls.Add(url);
                    }
                }
            }
            Volatile.Write(ref _urls, urls);
        }
    }

    /// <summary>
    /// Prometheus's <c>AlertmanagerFromGroup</c> for one target: <c>__scheme__</c> and <c>__alerts_path__</c>
    /// (path_prefix + <c>/api/v2/alerts</c>) set, relabel_configs applied; null when dropped or without an address.
    /// </summary>
    public static Uri? ToUrl(Labels target, Vigil.Scrape.Config.AlertmanagerConfig config)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(config);
        var builder = new LabelsBuilder(target);
        builder.Set("__scheme__", config.Scheme);
        var prefix = config.PathPrefix.TrimEnd('/');
        builder.Set(AlertsPathLabel, (prefix.Length > 0 && !prefix.StartsWith('/') ? "/" + prefix : prefix) + "/api/" + config.ApiVersion + "/alerts");
        var labels = Relabeler.Process(builder.ToLabels(), config.RelabelConfigs);
        if (labels is null)
        {
            return null;
        }
        var address = labels.Get(TargetGroup.AddressLabel);
        if (address.Length == 0 || address.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }
        return Uri.TryCreate($"{labels.Get("__scheme__")}://{address}{labels.Get(AlertsPathLabel)}", UriKind.Absolute, out var url) ? url : null;
    }

    private static List<ITargetDiscoverer> Discoverers(DiscoveryConfigs discovery, PrometheusConfig root, TimeProvider time, Action<string>? warning)
    {
        var list = new List<ITargetDiscoverer>();
        if (discovery.Static.Count > 0)
        {
            list.Add(new StaticDiscoverer(discovery.Static.Select(s => StaticDiscoverer.Group(s.Targets, s.Labels)).ToList()));
        }
        foreach (var file in discovery.File)
        {
            list.Add(new FileDiscoverer(new FileSdOptions(file.Files.Select(root.ResolvePath).ToList()) { RefreshInterval = file.RefreshInterval }, time));
        }
        foreach (var dns in discovery.Dns)
        {
            list.Add(new DnsDiscoverer(new DnsSdOptions(dns.Names) { Type = DnsDiscoverer.ParseType(dns.Type), Port = dns.Port, RefreshInterval = dns.RefreshInterval }, timeProvider: time));
        }
        if (discovery.Http.Count > 0 || discovery.Kubernetes.Count > 0)
        {
            warning?.Invoke("alerting.alertmanagers: http_sd_configs and kubernetes_sd_configs are not supported for Alertmanager discovery yet; those entries are ignored");
        }
        return list;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            await _run.ConfigureAwait(false);
        }
        try
        {
            await Task.WhenAll(_tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        Client.Dispose();
        _stop.Dispose();
    }
}
