using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Amtool;

/// <summary>A webhook receiver on loopback that keeps every payload it is sent.</summary>
public sealed class WebhookSink : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public WebhookSink()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    public ConcurrentQueue<JsonElement> Payloads { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using (var doc = await JsonDocument.ParseAsync(context.Request.InputStream))
            {
                Payloads.Enqueue(doc.RootElement.Clone());
            }
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> payloads arrived.</summary>
    public async Task WaitForAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (Payloads.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"expected {count} webhook payloads, got {Payloads.Count}");
            }
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }
}
