using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Vigil.Scrape.Discovery.Kubernetes;

/// <summary>
/// <c>kubernetes_sd_configs</c> for roles pod, service and endpoints, as Prometheus 2.42's <c>discovery/kubernetes</c>:
/// lists and watches the API server (per namespace, or cluster-wide), waits until every watched collection was
/// listed once, sends the full initial state, then a group per changed object (an empty group when it was deleted).
/// Role endpoints also watches services and pods: a changed service or pod rebuilds the endpoints that use it.
/// </summary>
public sealed class KubernetesDiscoverer : ITargetDiscoverer, IDisposable
{
    private readonly KubernetesSdOptions _options;
    private readonly TimeProvider _time;
    private readonly KubernetesApi _api;
    private readonly ConcurrentDictionary<string, string> _errors = new(StringComparer.Ordinal);
    private readonly Channel<(Kind Kind, string Key)> _queue = Channel.CreateUnbounded<(Kind, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<KubernetesInformer<Pod>> _pods = [];
    private readonly List<KubernetesInformer<Service>> _services = [];
    private readonly List<KubernetesInformer<Endpoints>> _endpoints = [];

    private enum Kind
    {
        Pod,
        Service,
        Endpoints,
    }

    /// <summary>Creates the discoverer; <paramref name="handler"/> replaces the HTTP stack (TLS and token settings then are the handler's business).</summary>
    public KubernetesDiscoverer(KubernetesSdOptions options, HttpMessageHandler? handler = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _api = new KubernetesApi(options, handler);
        IReadOnlyList<string?> namespaces = options.Namespaces.Count == 0 ? [null] : [.. options.Namespaces];
        foreach (var ns in namespaces)
        {
            switch (options.Role)
            {
                case KubernetesRole.Pod:
                    _pods.Add(Informer<Pod>("pods", ns, KubernetesRole.Pod, Kind.Pod));
                    break;
                case KubernetesRole.Service:
                    _services.Add(Informer<Service>("services", ns, KubernetesRole.Service, Kind.Service));
                    break;
                case KubernetesRole.Endpoints:
                    _endpoints.Add(Informer<Endpoints>("endpoints", ns, KubernetesRole.Endpoints, Kind.Endpoints));
                    _services.Add(Informer<Service>("services", ns, KubernetesRole.Service, Kind.Service));
                    _pods.Add(Informer<Pod>("pods", ns, KubernetesRole.Pod, Kind.Pod));
                    break;
                default:
                    throw new ArgumentException($"unknown Kubernetes SD role \"{options.Role}\"", nameof(options));
            }
        }
    }

    /// <inheritdoc/>
    public string? LastError
    {
        get
        {
            foreach (var error in _errors.Values)
            {
                return error;
            }
            return null;
        }
    }

    /// <summary>How many times collections were listed in total (the initial lists, then one per 410 Gone or failure).</summary>
    public int Lists
    {
        get
        {
            var n = 0;
            _pods.ForEach(i => n += i.Lists);
            _services.ForEach(i => n += i.Lists);
            _endpoints.ForEach(i => n += i.Lists);
            return n;
        }
    }

    /// <inheritdoc/>
    public async Task RunAsync(ChannelWriter<IReadOnlyList<TargetGroup>> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var runs = new List<Task>();
        var synced = new List<Task>();
        foreach (var informer in _pods)
        {
            runs.Add(informer.RunAsync(stop.Token));
            synced.Add(informer.Synced);
        }
        foreach (var informer in _services)
        {
            runs.Add(informer.RunAsync(stop.Token));
            synced.Add(informer.Synced);
        }
        foreach (var informer in _endpoints)
        {
            runs.Add(informer.RunAsync(stop.Token));
            synced.Add(informer.Synced);
        }
        try
        {
            // As Prometheus's cache.WaitForCacheSync: nothing is sent before every collection was listed.
            await Task.WhenAll(synced).WaitAsync(cancellationToken).ConfigureAwait(false);
            var pending = new HashSet<(Kind, string)>();
            while (true)
            {
                pending.Clear();
                pending.Add(await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false));
                while (_queue.Reader.TryRead(out var more))
                {
                    pending.Add(more);
                }
                var groups = Build(pending);
                if (groups.Count > 0)
                {
                    await updates.WriteAsync(groups, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(runs).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _api.Dispose();

    private KubernetesInformer<T> Informer<T>(string resource, string? ns, KubernetesRole selectorRole, Kind kind)
        where T : KubeObject
    {
        KubernetesSelector? selector = null;
        foreach (var s in _options.Selectors)
        {
            if (s.Role == selectorRole)
            {
                selector = s;
            }
        }
        var errorKey = resource + "/" + (ns ?? "");
        return new KubernetesInformer<T>(_api, resource, ns, selector, _options.RetryDelay, _time,
            key => _queue.Writer.TryWrite((kind, key)),
            error =>
            {
                if (error is null)
                {
                    _errors.TryRemove(errorKey, out _);
                }
                else
                {
                    _errors[errorKey] = error;
                }
            });
    }

    /// <summary>The groups for a batch of changed keys, each group once.</summary>
    private List<TargetGroup> Build(HashSet<(Kind Kind, string Key)> pending)
    {
        var groups = new List<TargetGroup>();
        var endpointsKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (kind, key) in pending)
        {
            switch (_options.Role, kind)
            {
                case (KubernetesRole.Pod, Kind.Pod):
                    groups.Add(Find(_pods, key) is { } pod ? KubernetesTargets.BuildPod(pod) : TargetGroup.Empty(KubernetesTargets.PodSource(key)));
                    break;
                case (KubernetesRole.Service, Kind.Service):
                    groups.Add(Find(_services, key) is { } service ? KubernetesTargets.BuildService(service) : TargetGroup.Empty(KubernetesTargets.ServiceSource(key)));
                    break;
                case (KubernetesRole.Endpoints, Kind.Endpoints):
                case (KubernetesRole.Endpoints, Kind.Service):
                    // A service shares its endpoints' namespace and name.
                    endpointsKeys.Add(key);
                    break;
                case (KubernetesRole.Endpoints, Kind.Pod):
                    foreach (var informer in _endpoints)
                    {
                        foreach (var endpoints in informer.List())
                        {
                            if (KubernetesTargets.References(endpoints, key))
                            {
                                endpointsKeys.Add(endpoints.Key);
                            }
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        foreach (var key in endpointsKeys)
        {
            if (Find(_endpoints, key) is { } endpoints)
            {
                groups.Add(KubernetesTargets.BuildEndpoints(endpoints, k => Find(_services, k), k => Find(_pods, k)));
            }
            else if (pending.Contains((Kind.Endpoints, key)))
            {
                groups.Add(TargetGroup.Empty(KubernetesTargets.EndpointsSource(key)));
            }
        }
        return groups;
    }

    private static T? Find<T>(List<KubernetesInformer<T>> informers, string key)
        where T : KubeObject
    {
        foreach (var informer in informers)
        {
            if (informer.Get(key) is { } item)
            {
                return item;
            }
        }
        return null;
    }
}
