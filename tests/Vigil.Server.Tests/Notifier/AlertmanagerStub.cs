using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Vigil.Testing;

namespace Vigil.Server.Tests.Notifier;

/// <summary>A loopback HTTP server standing in for an Alertmanager: records POSTs, answers with a fixed status.</summary>
internal sealed class AlertmanagerStub : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public sealed record Request(string Path, string? Authorization, string Body);

    public AlertmanagerStub(int status = 200)
    {
        Status = status;
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
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                Requests.Enqueue(new Request(context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], body));
                context.Response.StatusCode = Status;
                context.Response.Close();
                Received.Release();
            }
        });
    }

    public int Port { get; }

    public int Status { get; set; }

    public string Address => $"127.0.0.1:{Port}";

    public ConcurrentQueue<Request> Requests { get; } = new();

    public SemaphoreSlim Received { get; } = new(0);

    public async Task WaitForRequestsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await Received.WaitAsync(TimeSpan.FromSeconds(20)), $"expected {count} requests, got {i}");
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
