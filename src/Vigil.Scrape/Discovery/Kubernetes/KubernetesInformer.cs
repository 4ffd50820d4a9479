using System.Net;
using System.Text.Json;

namespace Vigil.Scrape.Discovery.Kubernetes;

/// <summary>
/// Keeps a local copy of one resource collection (one namespace, or all) in sync with the API server, as client-go's
/// reflector and informer: list (in pages), then watch from the list's resource version, applying ADDED, MODIFIED and
/// DELETED events; a watch that ends is resumed from the last resource version seen; 410 Gone (the version is too old),
/// any other error or a dropped connection lists again after <see cref="KubernetesSdOptions.RetryDelay"/>. Every
/// changed key is reported through <c>changed</c>, deleted keys included (the store no longer has them then).
/// </summary>
internal sealed class KubernetesInformer<T>
    where T : KubeObject
{
    private const int PageSize = 500;

    private readonly KubernetesApi _api;
    private readonly string _path;
    private readonly KubernetesSelector? _selector;
    private readonly TimeSpan _retryDelay;
    private readonly TimeProvider _time;
    private readonly Action<string> _changed;
    private readonly Action<string?> _error;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<string, T> _store = new(StringComparer.Ordinal);

    public KubernetesInformer(KubernetesApi api, string resource, string? ns, KubernetesSelector? selector, TimeSpan retryDelay, TimeProvider time,
        Action<string> changed, Action<string?> error)
    {
        _api = api;
        _path = KubernetesApi.CollectionPath(resource, ns);
        _selector = selector;
        _retryDelay = retryDelay;
        _time = time;
        _changed = changed;
        _error = error;
    }

    /// <summary>Completes after the first successful list.</summary>
    public Task Synced => _synced.Task;

    /// <summary>How many times the collection was listed.</summary>
    public int Lists { get; private set; }

    /// <summary>The object stored under <c>namespace/name</c>, or null.</summary>
    public T? Get(string key)
    {
        lock (_gate)
        {
            return _store.GetValueOrDefault(key);
        }
    }

    /// <summary>A snapshot of every stored object.</summary>
    public List<T> List()
    {
        lock (_gate)
        {
            return [.. _store.Values];
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var version = await ListAsync(cancellationToken).ConfigureAwait(false);
                _error(null);
                while (true)
                {
                    // A watch that ended normally (the server's timeout) resumes where it stopped; one that
                    // ended without a single line waits first, so a misbehaving server cannot make us spin.
                    var (next, lines) = await WatchAsync(version, cancellationToken).ConfigureAwait(false);
                    version = next;
                    if (lines == 0)
                    {
                        await Task.Delay(_retryDelay, _time, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException e) when (e.Status == HttpStatusCode.Gone)
            {
                // The resource version is too old: list again at once.
                continue;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException or KubernetesApiException or InvalidOperationException)
            {
                _error($"{typeof(T).Name.ToLowerInvariant()}s {_path}: {e.Message}");
            }
            try
            {
                await Task.Delay(_retryDelay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Lists the collection, replaces the store, reports every key that was or is there; returns the list's resource version.</summary>
    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var items = new Dictionary<string, T>(StringComparer.Ordinal);
        var next = "";
        string version;
        do
        {
            var query = new List<KeyValuePair<string, string>> { new("limit", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
            if (next.Length > 0)
            {
                query.Add(new("continue", next));
            }
            using var response = await _api.GetAsync(_api.BuildUri(_path, _selector, query), cancellationToken).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var list = await JsonSerializer.DeserializeAsync<KubeList<T>>(stream, KubernetesApi.s_json, cancellationToken).ConfigureAwait(false)
                    ?? throw new JsonException("empty list response");
                foreach (var item in list.Items ?? [])
                {
                    items[item.Key] = item;
                }
                version = list.Metadata.ResourceVersion;
                next = list.Metadata.Continue ?? "";
            }
        }
        while (next.Length > 0);
        Dictionary<string, T> previous;
        lock (_gate)
        {
            previous = _store;
            _store = items;
        }
        Lists++;
        foreach (var key in previous.Keys)
        {
            if (!items.ContainsKey(key))
            {
                _changed(key);
            }
        }
        foreach (var (key, item) in items)
        {
            if (!previous.TryGetValue(key, out var old) || old.Metadata.ResourceVersion != item.Metadata.ResourceVersion || old.Metadata.ResourceVersion.Length == 0)
            {
                _changed(key);
            }
        }
        _synced.TrySetResult();
        return version;
    }

    /// <summary>Watches from <paramref name="version"/> until the server ends the stream; returns the last version seen and the number of lines read.</summary>
    private async Task<(string Version, int Lines)> WatchAsync(string version, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("watch", "1"),
            new("allowWatchBookmarks", "true"),
        };
        if (version.Length > 0)
        {
            query.Add(new("resourceVersion", version));
        }
        using var response = await _api.GetAsync(_api.BuildUri(_path, _selector, query), cancellationToken).ConfigureAwait(false);
        var lines = 0;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }
                lines++;
                var watchEvent = JsonSerializer.Deserialize<WatchEvent>(line, KubernetesApi.s_json) ?? throw new JsonException("empty watch event");
                switch (watchEvent.Type)
                {
                    case "ADDED" or "MODIFIED" or "DELETED":
                    {
                        var item = watchEvent.Object.Deserialize<T>(KubernetesApi.s_json) ?? throw new JsonException("watch event without object");
                        lock (_gate)
                        {
                            if (watchEvent.Type == "DELETED")
                            {
                                _store.Remove(item.Key);
                            }
                            else
                            {
                                _store[item.Key] = item;
                            }
                        }
                        if (item.Metadata.ResourceVersion.Length > 0)
                        {
                            version = item.Metadata.ResourceVersion;
                        }
                        _changed(item.Key);
                        break;
                    }
                    case "BOOKMARK":
                    {
                        var item = watchEvent.Object.Deserialize<T>(KubernetesApi.s_json);
                        if (item?.Metadata.ResourceVersion is { Length: > 0 } v)
                        {
                            version = v;
                        }
                        break;
                    }
                    case "ERROR":
                    {
                        var status = watchEvent.Object.Deserialize<KubeStatus>(KubernetesApi.s_json);
                        throw new KubernetesApiException((HttpStatusCode)(status?.Code ?? 500), status?.Message ?? "watch error");
                    }
                    default:
                        throw new JsonException($"unknown watch event type \"{watchEvent.Type}\"");
                }
            }
        }
        return (version, lines);
    }
}
