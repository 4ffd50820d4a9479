using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Vigil.Testing;

namespace Vigil.Compat.Tests.EndToEnd;

/// <summary>
/// The whole SLO path in one real <c>vigil serve</c> process, everything on 127.0.0.1: a DemoApi-like target whose
/// error ratio is far above the page burn-rate threshold is scraped, the committed <c>monitoring/slos/demoapi.yml</c>
/// is compiled in-process (<c>--slo.file</c>, the real compiler), its rules are evaluated, the page alert goes through
/// the built-in Alertmanager pipeline (<c>--alertmanager.config.file</c>) and arrives at a webhook receiver as a
/// webhook v4 payload with the alert's labels. Fast because the intervals are 200ms and every scrape adds many
/// requests, half of them 5xx: a few seconds of data already give the 5m and 1h windows an error ratio of 0.5, far
/// over 14.4 × 0.001.
/// </summary>
public sealed class SloAlertEndToEndTests
{
    [Fact]
    public async Task A_burning_slo_pages_through_the_alertmanager_pipeline_to_the_webhook()
    {
        using var dir = new TempDirectory("vigil-e2e");
        using var target = new FakeDemoApi();
        using var webhook = new WebhookReceiver();

        var config = dir.File("prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 200ms
              scrape_timeout: 200ms
              evaluation_interval: 200ms
            scrape_configs:
              - job_name: demo-api
                static_configs:
                  - targets: ["127.0.0.1:{target.Port}"]
            """);
        var alertmanager = dir.File("alertmanager.yml");
        File.WriteAllText(alertmanager, $"""
            route:
              receiver: pager
              group_by: [alertname, slo_service]
              group_wait: 100ms
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: pager
                webhook_configs:
                  - url: http://127.0.0.1:{webhook.Port}/hook
                    send_resolved: false
            """);

        await using var vigil = await VigilProcess.StartServeAsync(dir.File("data"),
            $"--config.file={config}", $"--alertmanager.config.file={alertmanager}",
            $"--slo.file={RepoRoot.Combine("monitoring", "slos", "demoapi.yml")}");

        var payload = await webhook.WaitForAsync(
            p => p.GetProperty("alerts").EnumerateArray().Any(a => a.GetProperty("labels").GetProperty("alertname").GetString() == "DemoApiAvailabilityBudgetBurn"
                && a.GetProperty("labels").GetProperty("severity").GetString() == "page"),
            TimeSpan.FromSeconds(45), () => vigil.Output);

        Assert.Equal("4", payload.GetProperty("version").GetString());
        Assert.Equal("pager", payload.GetProperty("receiver").GetString());
        Assert.Equal("firing", payload.GetProperty("status").GetString());
        var alert = payload.GetProperty("alerts").EnumerateArray()
            .First(a => a.GetProperty("labels").GetProperty("severity").GetString() == "page");
        var labels = alert.GetProperty("labels");
        Assert.Equal("firing", alert.GetProperty("status").GetString());
        Assert.Equal("demoapi", labels.GetProperty("slo_service").GetString());
        Assert.Equal("requests-availability", labels.GetProperty("slo_name").GetString());
        Assert.Equal("demoapi-requests-availability", labels.GetProperty("slo_id").GetString());
        Assert.Equal("shop", labels.GetProperty("team").GetString());
        Assert.Equal("availability", labels.GetProperty("category").GetString());
        Assert.Equal("page", labels.GetProperty("slo_severity").GetString());
        Assert.Equal("monitoring/rules/runbooks.md#slo-error-budget-burn", alert.GetProperty("annotations").GetProperty("runbook_url").GetString());
        Assert.Contains("SLO is burning its error budget fast", alert.GetProperty("annotations").GetProperty("summary").GetString(), StringComparison.Ordinal);
        // The latency SLO is met (every request is fast): its alert never fires.
        Assert.DoesNotContain(webhook.Received, p => p.Contains("DemoApiLatencyBudgetBurn", StringComparison.Ordinal));
    }

    /// <summary>
    /// Serves <c>/metrics</c> as Vigil.Instrumentation writes it (text 0.0.4, labels code, method, route; le as a
    /// Go float): every scrape adds 100 requests to <c>/api/orders</c>, 50 of them 500s, all under 50ms.
    /// </summary>
    private sealed class FakeDemoApi : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private long _ok;
        private long _errors;

        public FakeDemoApi()
        {
            Port = FreePort.Next();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public int Port { get; }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                _ok += 50;
                _errors += 50;
                var body = Encoding.UTF8.GetBytes(Exposition(_ok, _errors));
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }

        private static string Exposition(long ok, long errors)
        {
            var text = new StringBuilder();
            text.Append("# HELP http_requests_total Number of HTTP requests handled.\n# TYPE http_requests_total counter\n");
            text.Append(CultureInfo.InvariantCulture, $"http_requests_total{{code=\"200\",method=\"GET\",route=\"/api/orders\"}} {ok}\n");
            text.Append(CultureInfo.InvariantCulture, $"http_requests_total{{code=\"500\",method=\"GET\",route=\"/api/orders\"}} {errors}\n");
            text.Append("# HELP http_request_duration_seconds Duration of HTTP requests.\n# TYPE http_request_duration_seconds histogram\n");
            foreach (var (code, count) in new[] { ("200", ok), ("500", errors) })
            {
                foreach (var le in new[] { "0.005", "0.01", "0.025" })
                {
                    text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_bucket{{code=\"{code}\",method=\"GET\",route=\"/api/orders\",le=\"{le}\"}} 0\n");
                }
                foreach (var le in new[] { "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf" })
                {
                    text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_bucket{{code=\"{code}\",method=\"GET\",route=\"/api/orders\",le=\"{le}\"}} {count}\n");
                }
                text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_sum{{code=\"{code}\",method=\"GET\",route=\"/api/orders\"}} {(count * 0.03).ToString(CultureInfo.InvariantCulture)}\n");
                text.Append(CultureInfo.InvariantCulture, $"http_request_duration_seconds_count{{code=\"{code}\",method=\"GET\",route=\"/api/orders\"}} {count}\n");
            }
            return text.ToString();
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>A webhook receiver on a loopback <see cref="HttpListener"/>: keeps every POSTed body.</summary>
    private sealed class WebhookReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<string> _received = [];
        private readonly Task _loop;

        public WebhookReceiver()
        {
            Port = FreePort.Next();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public int Port { get; }

        public IReadOnlyList<string> Received
        {
            get { lock (_received) { return [.. _received]; } }
        }

        public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> condition, TimeSpan timeout, Func<string> diagnostics)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                foreach (var body in Received)
                {
                    var payload = JsonDocument.Parse(body).RootElement;
                    if (condition(payload))
                    {
                        return payload;
                    }
                }
                Assert.True(DateTime.UtcNow < deadline,
                    $"no matching webhook within {timeout}; received: [{string.Join(", ", Received)}]\nvigil output:\n{diagnostics()}");
                await Task.Delay(100);
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                {
                    var body = await reader.ReadToEndAsync();
                    lock (_received)
                    {
                        _received.Add(body);
                    }
                }
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
