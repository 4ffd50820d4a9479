using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vigil.ScrapeCompare.Load;

/// <summary>
/// Serves <see cref="LoadTarget"/>s over HTTP from this process: target i on its own port of 127.0.0.1 at
/// <c>/metrics</c> (one port per target, so the scraper's <c>instance</c> label tells them apart as in production).
/// OpenMetrics when the <c>Accept</c> header asks for <c>application/openmetrics-text</c>, text 0.0.4 otherwise; no
/// compression. Each target renders into its own reused buffer, one scrape at a time.
/// </summary>
public sealed class LoadServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<int, Slot> _slots;
    private long _scrapes;
    private long _openMetricsScrapes;
    private long _bytes;
    private long _renderTicks;

    private LoadServer(WebApplication app, Dictionary<int, Slot> slots, IReadOnlyList<int> ports)
    {
        _app = app;
        _slots = slots;
        Ports = ports;
    }

    public IReadOnlyList<int> Ports { get; }

    public IEnumerable<string> Addresses => Ports.Select(p => $"127.0.0.1:{p}");

    public int SeriesPerTarget { get; private init; }

    /// <summary>Scrapes served so far.</summary>
    public long Scrapes => Interlocked.Read(ref _scrapes);

    /// <summary>Scrapes served as OpenMetrics so far (the rest were text 0.0.4).</summary>
    public long OpenMetricsScrapes => Interlocked.Read(ref _openMetricsScrapes);

    /// <summary>Body bytes served so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Time spent advancing and rendering bodies so far.</summary>
    public TimeSpan RenderTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _renderTicks));

    /// <summary>
    /// Starts the targets on ports from <paramref name="freePort"/>. A port found free can be taken (or handed out twice)
    /// before Kestrel binds it, so a failed bind retries with new ports, at most five times.
    /// </summary>
    public static async Task<LoadServer> StartAsync(int targets, int seriesPerTarget, Func<int> freePort)
    {
        var loadTargets = new LoadTarget[targets];
        for (var i = 0; i < targets; i++)
        {
            loadTargets[i] = new LoadTarget(i, seriesPerTarget);
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryStartAsync(loadTargets, freePort);
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
    }

    private static async Task<LoadServer> TryStartAsync(LoadTarget[] targets, Func<int> freePort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var slots = new Dictionary<int, Slot>();
        var ports = new List<int>();
        for (var i = 0; i < targets.Length; i++)
        {
            var port = freePort();
            if (slots.ContainsKey(port))
            {
                i--;
                continue;
            }
            ports.Add(port);
            slots[port] = new Slot(targets[i]);
        }
        builder.WebHost.ConfigureKestrel(o =>
        {
            foreach (var port in ports)
            {
                o.Listen(IPAddress.Loopback, port);
            }
        });
        var app = builder.Build();
        var server = new LoadServer(app, slots, ports) { SeriesPerTarget = slots.Values.First().Target.SeriesCount };
        app.Run(server.HandleAsync);
        try
        {
            await app.StartAsync();
        }
        catch (IOException)
        {
            await app.DisposeAsync();
            throw;
        }
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path != "/metrics" || !_slots.TryGetValue(context.Connection.LocalPort, out var slot))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var openMetrics = context.Request.Headers.Accept.ToString().Contains("application/openmetrics-text", StringComparison.Ordinal);
        await slot.Lock.WaitAsync(context.RequestAborted);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var elapsed = slot.LastRender == 0 ? 10.0 : Stopwatch.GetElapsedTime(slot.LastRender, started).TotalSeconds;
            slot.LastRender = started;
            slot.Target.Render(slot.Body, openMetrics, elapsed);
            Interlocked.Add(ref _renderTicks, Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _scrapes);
            if (openMetrics)
            {
                Interlocked.Increment(ref _openMetricsScrapes);
            }
            Interlocked.Add(ref _bytes, slot.Body.Length);

            context.Response.ContentType = openMetrics
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
            context.Response.ContentLength = slot.Body.Length;
            await context.Response.Body.WriteAsync(slot.Body.Memory, context.RequestAborted);
        }
        finally
        {
            slot.Lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Slot(LoadTarget target)
    {
        public LoadTarget Target { get; } = target;

        public BodyBuffer Body { get; } = new(1 << 18);

        public SemaphoreSlim Lock { get; } = new(1, 1);

        public long LastRender { get; set; }
    }
}
