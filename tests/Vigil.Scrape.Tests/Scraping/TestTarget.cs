using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Scrape.Tests.Scraping;

/// <summary>A request as the test target saw it.</summary>
public sealed record TestRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers)
{
    public string Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : "";
}

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (a raw socket, so tests control every byte: status lines, broken
/// bodies, bodies that never end). One request per connection; the handler writes the whole response.
/// </summary>
public sealed class TestTarget : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public TestTarget(Func<TestRequest, Stream, CancellationToken, Task> handler)
    {
        Handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accept = Task.Run(AcceptAsync);
    }

    /// <summary>A target always answering with <paramref name="body"/> as text format 0.0.4.</summary>
    public static TestTarget Text(string body) => new(Respond(body));

    public Func<TestRequest, Stream, CancellationToken, Task> Handler { get; set; }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/metrics");

    public ConcurrentQueue<TestRequest> Requests { get; } = new();

    /// <summary>A handler writing a complete response.</summary>
    public static Func<TestRequest, Stream, CancellationToken, Task> Respond(string body, string contentType = "text/plain; version=0.0.4; charset=utf-8",
        int status = 200, string reason = "OK", bool gzip = false)
        => (_, stream, ct) => WriteAsync(stream, Encoding.UTF8.GetBytes(body), contentType, status, reason, gzip, ct);

    public static async Task WriteAsync(Stream stream, byte[] body, string contentType, int status = 200, string reason = "OK", bool gzip = false, CancellationToken ct = default)
    {
        if (gzip)
        {
            using var compressed = new MemoryStream();
            await using (var z = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await z.WriteAsync(body, ct);
            }
            body = compressed.ToArray();
        }
        var head = new StringBuilder();
        head.Append($"HTTP/1.1 {status} {reason}\r\n");
        head.Append($"Content-Type: {contentType}\r\n");
        if (gzip)
        {
            head.Append("Content-Encoding: gzip\r\n");
        }
        head.Append($"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct);
        await stream.WriteAsync(body, ct);
        await stream.FlushAsync(ct);
    }

    /// <summary>Headers for a body delimited by closing the connection (no length), for bodies written piecemeal.</summary>
    public static Task WriteOpenHeadAsync(Stream stream, CancellationToken ct, string contentType = "text/plain; version=0.0.4")
        => stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nConnection: close\r\n\r\n"), ct).AsTask();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, _stop.Token);
                if (request is null)
                {
                    return;
                }
                Requests.Enqueue(request);
                await Handler(request, stream, _stop.Token);
            }
            catch (Exception)
            {
                // The client went away (timeout, cancellation) or the test is over.
            }
        }
    }

    private static async Task<TestRequest?> ReadRequestAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (true)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (n == 0)
            {
                return null;
            }
            length += n;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }
            var lines = text[..end].Split("\r\n");
            var first = lines[0].Split(' ');
            var headers = new Dictionary<string, string>();
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':');
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
            return new TestRequest(first[0], first[1], headers);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (Exception)
        {
        }
        _stop.Dispose();
    }
}
