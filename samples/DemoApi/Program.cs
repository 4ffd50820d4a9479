using System.Diagnostics.Metrics;
using DemoApi;

// A small order service with realistic latency and failure rates, instrumented in two lines
// (marked below). Run: dotnet run --project samples/DemoApi -- --urls http://127.0.0.1:5080
// Configuration: Demo:Seed (int, default 42) seeds the randomness; Demo:LatencyScale (default 1)
// multiplies every simulated delay (0 makes the service answer at once, for tests).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddVigilMetrics();                                   // 1
builder.Services.AddSingleton<DemoMetrics>();
builder.Services.AddSingleton(sp => new Chaos(
    sp.GetRequiredService<IConfiguration>().GetValue("Demo:Seed", 42),
    sp.GetRequiredService<IConfiguration>().GetValue("Demo:LatencyScale", 1.0)));

var app = builder.Build();
app.MapPrometheusScrapingEndpoint();                                  // 2

app.MapGet("/health", () => Results.Ok(new { status = "ok" }));

app.MapGet("/orders/{id}", async (int id, Chaos chaos, CancellationToken ct) =>
{
    await chaos.DelayAsync(10, 50, ct);
    if (chaos.Chance(0.02))
    {
        return Results.Problem("order store unavailable", statusCode: 500);
    }
    return id > 1_000_000 ? Results.NotFound() : Results.Ok(new Order(id, chaos.Region(), 19.99m));
});

app.MapPost("/orders", async (OrderRequest? request, Chaos chaos, DemoMetrics metrics, CancellationToken ct) =>
{
    var started = TimeProvider.System.GetTimestamp();
    await chaos.DelayAsync(20, 80, ct);
    var region = string.IsNullOrWhiteSpace(request?.Region) ? chaos.Region() : request.Region;
    var id = chaos.NextId();
    metrics.OrdersCreated.Add(1, new KeyValuePair<string, object?>("region", region));
    metrics.PaymentLatency.Record(TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
    return Results.Created($"/orders/{id}", new Order(id, region, request?.Amount ?? 19.99m));
});

app.MapPost("/login", async (Chaos chaos, DemoMetrics metrics, CancellationToken ct) =>
{
    await chaos.DelayAsync(5, 30, ct);
    if (chaos.Chance(0.20))
    {
        metrics.LoginsFailed.Add(1, new KeyValuePair<string, object?>("reason", "bad_password"));
        return Results.Unauthorized();
    }
    return Results.Ok(new { token = "demo" });
});

app.MapGet("/slow", async (Chaos chaos, CancellationToken ct) =>
{
    await chaos.DelayAsync(200, 800, ct);
    return Results.Ok(new { slow = true });
});

app.MapGet("/boom", () =>
{
    throw new InvalidOperationException("the demo's deliberate failure");
});

app.Run();

/// <summary>Visible to WebApplicationFactory&lt;Program&gt; in tests.</summary>
public partial class Program;

namespace DemoApi
{
    internal sealed record Order(int Id, string Region, decimal Amount);

    internal sealed record OrderRequest(string? Region, decimal? Amount);

    /// <summary>The demo's own business metrics, on a meter from the app's IMeterFactory.</summary>
    internal sealed class DemoMetrics
    {
        public DemoMetrics(IMeterFactory meterFactory)
        {
            var meter = meterFactory.Create("DemoApi");
            OrdersCreated = meter.CreateCounter<long>("demo.orders.created", "{order}", "Orders created, by region.");
            LoginsFailed = meter.CreateCounter<long>("demo.logins.failed", "{login}", "Failed login attempts, by reason.");
            // Declared in milliseconds on purpose: exported as demo_payment_latency_seconds, values in seconds.
            PaymentLatency = meter.CreateHistogram<double>(
                "demo.payment.latency", "ms", "Time taken to take payment for an order.",
                advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [10, 25, 50, 100, 250] });
        }

        public Counter<long> OrdersCreated { get; }

        public Counter<long> LoginsFailed { get; }

        public Histogram<double> PaymentLatency { get; }
    }

    /// <summary>Seeded randomness for latency, failures and regions; thread-safe.</summary>
    internal sealed class Chaos(int seed, double latencyScale)
    {
        private static readonly string[] s_regions = ["eu-west", "us-east", "ap-south"];
        private readonly Random _random = new(seed);
        private readonly Lock _gate = new();
        private int _nextId = 1000;

        public bool Chance(double probability)
        {
            lock (_gate)
            {
                return _random.NextDouble() < probability;
            }
        }

        public string Region()
        {
            lock (_gate)
            {
                return s_regions[_random.Next(s_regions.Length)];
            }
        }

        public int NextId() => Interlocked.Increment(ref _nextId);

        public Task DelayAsync(int minMs, int maxMs, CancellationToken ct)
        {
            int ms;
            lock (_gate)
            {
                ms = _random.Next(minMs, maxMs + 1);
            }
            var scaled = ms * latencyScale;
            return scaled < 1 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(scaled), ct);
        }
    }
}
