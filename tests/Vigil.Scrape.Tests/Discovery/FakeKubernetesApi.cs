using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Vigil.Scrape.Tests.Discovery;

/// <summary>One open watch request: lines sent through it reach the client as a chunked stream.</summary>
public sealed class FakeWatch
{
    private readonly Channel<string?> _lines = Channel.CreateUnbounded<string?>();

    public FakeWatch(string query) => Query = query;

    public string Query { get; }

    internal ChannelReader<string?> Lines => _lines.Reader;

    public void Send(string type, string objectJson) => _lines.Writer.TryWrite($"{{\"type\":\"{type}\",\"object\":{objectJson}}}");

    /// <summary>Ends the response normally (as the API server does when a watch times out).</summary>
    public void Close() => _lines.Writer.TryWrite(null);
}

/// <summary>
/// A Kubernetes API server on loopback for discovery tests: serves <see cref="Lists"/> for list requests and hands
/// every watch request (<c>?watch=1</c>) to the test as a <see cref="FakeWatch"/>, streaming what the test sends.
/// </summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private readonly ConcurrentDictionary<string, Channel<FakeWatch>> _watches = new();

    public FakeKubernetesApi()
        => _server = new LoopbackHttpServer(HandleAsync);

    public Uri BaseUri => _server.BaseUri;

    /// <summary>List bodies by path (<c>/api/v1/pods</c>).</summary>
    public ConcurrentDictionary<string, string> Lists { get; } = new();

    /// <summary>Every request as path and query, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<string> Authorizations { get; } = new();

    public int ListRequests(string path) => Requests.Count(r => r.StartsWith(path + "?", StringComparison.Ordinal) && !r.Contains("watch=1"));

    public async Task<FakeWatch> NextWatchAsync(string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await Watches(path).Reader.ReadAsync(timeout.Token);
    }

    private Channel<FakeWatch> Watches(string path) => _watches.GetOrAdd(path, _ => Channel.CreateUnbounded<FakeWatch>());

    private async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var path = context.Request.Url!.AbsolutePath;
        var query = context.Request.Url.Query;
        Requests.Enqueue(path + query);
        Authorizations.Enqueue(context.Request.Headers["Authorization"] ?? "");
        if (context.Request.QueryString["watch"] == "1")
        {
            var watch = new FakeWatch(query);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.SendChunked = true;
            await context.Response.OutputStream.FlushAsync(cancellationToken);
            Watches(path).Writer.TryWrite(watch);
            await foreach (var line in watch.Lines.ReadAllAsync(cancellationToken))
            {
                if (line is null)
                {
                    return;
                }
                await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
                await context.Response.OutputStream.FlushAsync(cancellationToken);
            }
            return;
        }
        if (Lists.TryGetValue(path, out var body))
        {
            await LoopbackHttpServer.WriteAsync(context, 200, "application/json", body);
            return;
        }
        await LoopbackHttpServer.WriteAsync(context, 404, "application/json", """{"kind":"Status","code":404,"message":"not found"}""");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    public static string List(string resourceVersion, params string[] items)
        => $"{{\"kind\":\"List\",\"apiVersion\":\"v1\",\"metadata\":{{\"resourceVersion\":\"{resourceVersion}\"}},\"items\":[{string.Join(",", items)}]}}";

    public static string Pod(string name, string ns = "default", string ip = "10.0.0.5", bool ready = true, string resourceVersion = "1",
        Dictionary<string, string>? annotations = null, Dictionary<string, string>? labels = null, object[]? containers = null, object[]? initContainers = null)
        => JsonSerializer.Serialize(new
        {
            kind = "Pod",
            metadata = new
            {
                name,
                @namespace = ns,
                uid = "uid-" + name,
                resourceVersion,
                labels = labels ?? new Dictionary<string, string> { ["app"] = "web" },
                annotations = annotations ?? [],
                ownerReferences = new object[] { new { kind = "ReplicaSet", name = "web-5d8f", controller = true } },
            },
            spec = new
            {
                nodeName = "node-1",
                containers = containers ?? [new { name = "app", image = "web:1.2", ports = new object[] { new { name = "http", containerPort = 8080, protocol = "TCP" } } }],
                initContainers = initContainers ?? [],
            },
            status = new
            {
                phase = "Running",
                podIP = ip,
                hostIP = "192.168.1.10",
                conditions = new object[] { new { type = "Initialized", status = "True" }, new { type = "Ready", status = ready ? "True" : "False" } },
                containerStatuses = new object[] { new { name = "app", containerID = "containerd://abc123" } },
            },
        });
}
