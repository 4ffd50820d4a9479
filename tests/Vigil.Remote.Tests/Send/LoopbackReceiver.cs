using System.Net;
using Vigil.Remote.Prompb;
using Vigil.Testing;

namespace Vigil.Remote.Tests.Send;

/// <summary>
/// A remote-write receiver on a real loopback port (HttpListener) that can go down (the port refuses connections)
/// and come back. It counts how often each sample arrived.
/// </summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Series, long T), int> _arrivals = [];
    private HttpListener? _listener;
    private Task _loop = Task.CompletedTask;
    private int _inFlight;
    private volatile bool _refusing;

    public LoopbackReceiver()
    {
        Port = FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{Port}/api/v1/write");
    }

    public int Port { get; }

    public Uri Url { get; }

    public int Requests { get; private set; }

    public Dictionary<(string Series, long T), int> Arrivals()
    {
        lock (_lock)
        {
            return new(_arrivals);
        }
    }

    public int Distinct
    {
        get
        {
            lock (_lock)
            {
                return _arrivals.Count;
            }
        }
    }

    public void Up()
    {
        _refusing = false;
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        _listener = listener;
        _loop = Task.Run(() => ServeAsync(listener));
    }

    /// <summary>Stops listening once no request is being answered, so none is half-answered.</summary>
    public async Task DownAsync()
    {
        _refusing = true;
        while (Volatile.Read(ref _inFlight) > 0)
        {
            await Task.Delay(5);
        }
        _listener?.Stop();
        _listener?.Close();
        _listener = null;
        await _loop;
    }

    private async Task ServeAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _inFlight);
            try
            {
                if (_refusing)
                {
                    context.Response.StatusCode = 503;
                    context.Response.Close();
                    continue;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var request = WriteRequest.Parser.ParseFrom(IronSnappy.Snappy.Decode(body.ToArray()));
                lock (_lock)
                {
                    Requests++;
                    foreach (var ts in request.Timeseries)
                    {
                        var series = FakeReceiver.Text(ts);
                        foreach (var s in ts.Samples)
                        {
                            _arrivals[(series, s.Timestamp)] = _arrivals.GetValueOrDefault((series, s.Timestamp)) + 1;
                        }
                    }
                }
                context.Response.StatusCode = 204;
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client went away; nothing to answer.
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    public async ValueTask DisposeAsync() => await DownAsync();
}
