using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Vigil.Testing;

namespace Vigil.Alerting.Tests.Receivers;

/// <summary>
/// A real HTTP receiver on loopback (HttpListener): records every request (method, path, headers, body) and answers
/// with the next scripted response (status, body, optional stall until the test ends), else 200.
/// </summary>
public sealed class CaptureServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public sealed record Request(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    public sealed record Response(int Status, string Body = "", bool Stall = false);

    public CaptureServer()
    {
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort.Next();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public ConcurrentQueue<Request> Requests { get; } = new();

    public ConcurrentQueue<Response> Script { get; } = new();

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string? name in context.Request.Headers.Keys)
        {
            if (name is not null)
            {
                headers[name] = context.Request.Headers[name] ?? "";
            }
        }
        Requests.Enqueue(new Request(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, headers, body));
        var response = Script.TryDequeue(out var r) ? r : new Response(200, "ok");
        if (response.Stall)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        try
        {
            context.Response.StatusCode = response.Status;
            var bytes = Encoding.UTF8.GetBytes(response.Body);
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
