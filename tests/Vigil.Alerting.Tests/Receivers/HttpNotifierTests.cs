using System.Text.Json;
using Vigil.Alerting.Config;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Receivers;
using Vigil.Alerting.Templates;
using Vigil.Testing;

namespace Vigil.Alerting.Tests.Receivers;

public sealed class HttpNotifierTests : IDisposable
{
    // Bodies a real Alertmanager 0.25 POSTed for Scenario (firing alert's start at .NET's 100 ns precision).
    private const string AlertmanagerWebhook = """{"receiver":"all","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"Down","instance":"a:1","job":"api","severity":"page"},"annotations":{"description":"it is down","summary":"API down"},"startsAt":"2026-11-23T18:03:36.8507493Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom/graph?g0.expr=up","fingerprint":"ee238735509db162"},{"status":"resolved","labels":{"alertname":"Down","instance":"b:1","job":"api","severity":"page"},"annotations":{"summary":"API down"},"startsAt":"2026-11-23T18:00:00Z","endsAt":"2026-11-23T18:01:00Z","generatorURL":"","fingerprint":"c9c383d68e46a2fd"}],"groupLabels":{"alertname":"Down","job":"api"},"commonLabels":{"alertname":"Down","job":"api","severity":"page"},"commonAnnotations":{"summary":"API down"},"externalURL":"http://am.example:9093","version":"4","groupKey":"{}:{alertname=\"Down\", job=\"api\"}","truncatedAlerts":0}""";

    private const string AlertmanagerSlack = """{"channel":"#alerts","username":"Alertmanager","attachments":[{"title":"[FIRING:1] Down api (page)","title_link":"http://am.example:9093/#/alerts?receiver=all","text":"","fallback":"[FIRING:1] Down api (page) | http://am.example:9093/#/alerts?receiver=all","callback_id":"","footer":"","color":"danger","mrkdwn_in":["fallback","pretext","text"]}]}""";

    private const string AlertmanagerPagerduty = """{"routing_key":"abc123","dedup_key":"8b59f9f66bdadfc9573ce5c97b0e5a90e5b72126df7406588a73e80f677db85a","event_action":"trigger","payload":{"summary":"[FIRING:1] Down api (page)","source":"Alertmanager","severity":"error","custom_details":{"firing":"Labels:\n - alertname = Down\n - instance = a:1\n - job = api\n - severity = page\nAnnotations:\n - description = it is down\n - summary = API down\nSource: http://prom/graph?g0.expr=up\n","num_firing":"1","num_resolved":"1","resolved":"Labels:\n - alertname = Down\n - instance = b:1\n - job = api\n - severity = page\nAnnotations:\n - summary = API down\nSource: \n"}},"client":"Alertmanager","client_url":"http://am.example:9093/#/alerts?receiver=all"}""";

    private readonly CaptureServer _server = new();
    private readonly ReceiverNotifierFactory _factory = new(TimeSpan.FromSeconds(2));

    public void Dispose() => _server.Dispose();

    private IReadOnlyList<INotifier> Notifiers(string receivers)
    {
        var config = Scenario.Load(Scenario.Config(receivers));
        return _factory.Create(config.Receivers[0], config);
    }

    private CaptureServer.Request Single()
    {
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Equal("Alertmanager/0.25.0", request.Headers["User-Agent"]);
        return request;
    }

    [Fact]
    public async Task Webhook_posts_payload_version_4_exactly_as_alertmanager()
    {
        var notifier = Assert.Single(Notifiers($"  webhook_configs:\n  - url: {_server.Url("/webhook")}"));
        Assert.Equal(("webhook", 0, true), (notifier.Integration, notifier.Index, notifier.SendResolved));
        var result = await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        Assert.True(result.Succeeded);
        var request = Single();
        Assert.Equal("/webhook", request.Path);
        Assert.Equal(AlertmanagerWebhook + "\n", request.Body);
        // Field order is part of the contract.
        using var doc = JsonDocument.Parse(request.Body);
        Assert.Equal(["receiver", "status", "alerts", "groupLabels", "commonLabels", "commonAnnotations", "externalURL", "version", "groupKey", "truncatedAlerts"],
            doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"],
            doc.RootElement.GetProperty("alerts")[0].EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public async Task Webhook_max_alerts_truncates_and_counts()
    {
        var notifier = Assert.Single(Notifiers($"  webhook_configs:\n  - url: {_server.Url("/w")}\n    max_alerts: 1"));
        Assert.True((await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None)).Succeeded);
        using var doc = JsonDocument.Parse(Single().Body);
        Assert.Equal(1, doc.RootElement.GetProperty("alerts").GetArrayLength());
        Assert.Equal("a:1", doc.RootElement.GetProperty("alerts")[0].GetProperty("labels").GetProperty("instance").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("truncatedAlerts").GetInt32());
        // Common labels and status still describe the whole group.
        Assert.Equal("firing", doc.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Webhook_receiver_name_is_regexp_quoted_like_alertmanager()
    {
        var notifier = Assert.Single(Notifiers($"  webhook_configs:\n  - url: {_server.Url("/w")}"));
        await notifier.NotifyAsync(Scenario.Context("team.a"), Scenario.Both, CancellationToken.None);
        using var doc = JsonDocument.Parse(Single().Body);
        Assert.Equal("team\\.a", doc.RootElement.GetProperty("receiver").GetString());
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(429, false)]
    [InlineData(404, false)]
    [InlineData(400, false)]
    public async Task Webhook_retries_5xx_only(int status, bool retry)
    {
        _server.Script.Enqueue(new CaptureServer.Response(status, "nope"));
        var notifier = Assert.Single(Notifiers($"  webhook_configs:\n  - url: {_server.Url("/w")}"));
        var result = await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        Assert.False(result.Succeeded);
        Assert.Equal(retry, result.Retry);
        Assert.Equal($"unexpected status code {status}: nope", result.Error!.Message);
    }

    [Fact]
    public async Task Connection_refused_is_retryable_and_the_url_is_redacted()
    {
        var port = FreePort.Next();
        var notifier = Assert.Single(Notifiers($"  webhook_configs:\n  - url: http://127.0.0.1:{port}/secret-token/hook"));
        var result = await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        Assert.True(result.Retry);
        Assert.DoesNotContain("secret-token", result.Error!.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Post \"http://127.0.0.1:{port}/<redacted>\":", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_that_outlives_the_timeout_is_retryable()
    {
        _server.Script.Enqueue(new CaptureServer.Response(200, Stall: true));
        var factory = new ReceiverNotifierFactory(TimeSpan.FromMilliseconds(300));
        var config = Scenario.Load(Scenario.Config($"  webhook_configs:\n  - url: {_server.Url("/w")}"));
        var notifier = Assert.Single(factory.Create(config.Receivers[0], config));
        var result = await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        Assert.True(result.Retry);
        Assert.Contains("context deadline exceeded", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retried_failures_deliver_exactly_once_through_the_retry_stage()
    {
        // Two 500s, then success: the pipeline's own retry stage retries, the receiver sees three identical requests,
        // exactly one of which was accepted; nothing lost, nothing accepted twice.
        _server.Script.Enqueue(new CaptureServer.Response(500, "busy"));
        _server.Script.Enqueue(new CaptureServer.Response(502, "busy"));
        var config = Scenario.Load(Scenario.Config($"  webhook_configs:\n  - url: {_server.Url("/w")}"));
        var notifier = Assert.Single(_factory.Create(config.Receivers[0], config));
        var clock = new ManualClock(Scenario.Now);
        var stage = new RetryStage(notifier, "all", null, null, clock);
        var context = new PipelineContext { Notification = Scenario.Context(), Route = Vigil.Alerting.Routing.Route.Build(config.Route), FiringAlerts = [1] };
        var run = stage.ExecAsync(context, Scenario.Both, CancellationToken.None);
        while (!run.IsCompleted)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }
        await run;
        var requests = _server.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.All(requests, r => Assert.Equal(requests[0].Body, r.Body));
    }

    [Fact]
    public async Task Webhook_sends_basic_auth_from_http_config()
    {
        var notifier = Assert.Single(Notifiers($"  webhook_configs:\n  - url: {_server.Url("/w")}\n    http_config:\n      basic_auth:\n        username: u\n        password: p"));
        await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        Assert.Equal("Basic dTpw", Single().Headers["Authorization"]);
    }

    [Fact]
    public async Task Slack_posts_alertmanagers_attachment()
    {
        var notifier = Assert.Single(Notifiers($"  slack_configs:\n  - api_url: {_server.Url("/slack")}\n    channel: '#alerts'\n    send_resolved: true"));
        Assert.Equal(("slack", true), (notifier.Integration, notifier.SendResolved));
        Assert.True((await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None)).Succeeded);
        Assert.Equal(AlertmanagerSlack + "\n", Single().Body);
    }

    [Fact]
    public async Task Slack_resolved_is_good_and_custom_fields_are_templated()
    {
        var notifier = Assert.Single(Notifiers($$$"""
              slack_configs:
              - api_url: {{{_server.Url("/slack")}}}
                title: '{{ .CommonLabels.alertname }} {{ "x" | toUpper }}'
                icon_emoji: ':fire:'
                link_names: true
                fields:
                - title: Severity
                  value: '{{ .CommonLabels.severity }}'
                  short: true
            """));
        await notifier.NotifyAsync(Scenario.Context(), [Scenario.Resolved], CancellationToken.None);
        using var doc = JsonDocument.Parse(Single().Body);
        var root = doc.RootElement;
        Assert.False(root.TryGetProperty("channel", out _));
        Assert.Equal(":fire:", root.GetProperty("icon_emoji").GetString());
        Assert.True(root.GetProperty("link_names").GetBoolean());
        var attachment = root.GetProperty("attachments")[0];
        Assert.Equal("Down X", attachment.GetProperty("title").GetString());
        Assert.Equal("good", attachment.GetProperty("color").GetString());
        Assert.Equal("""[{"title":"Severity","value":"page","short":true}]""", attachment.GetProperty("fields").GetRawText());
    }

    [Fact]
    public async Task Slack_title_is_truncated_to_1024_runes()
    {
        var notifier = Assert.Single(Notifiers($"  slack_configs:\n  - api_url: {_server.Url("/slack")}\n    title: '{new string('é', 1100)}'"));
        await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        using var doc = JsonDocument.Parse(Single().Body);
        var title = doc.RootElement.GetProperty("attachments")[0].GetProperty("title").GetString()!;
        Assert.Equal(new string('é', 1023) + "…", title);
    }

    [Fact]
    public async Task Slack_template_error_is_permanent()
    {
        var notifier = Assert.Single(Notifiers($"  slack_configs:\n  - api_url: {_server.Url("/slack")}\n    title: '{{{{ template \"missing\" . }}}}'"));
        var result = await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        Assert.False(result.Retry);
        Assert.Contains("template \"missing\" not defined", result.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Pagerduty_triggers_with_alertmanagers_event()
    {
        var notifier = Assert.Single(Notifiers($"  pagerduty_configs:\n  - routing_key: abc123\n    url: {_server.Url("/pd")}"));
        Assert.True((await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None)).Succeeded);
        Assert.Equal(AlertmanagerPagerduty + "\n", Single().Body);
    }

    [Fact]
    public async Task Pagerduty_resolves_with_the_same_dedup_key()
    {
        var notifier = Assert.Single(Notifiers($"  pagerduty_configs:\n  - routing_key: abc123\n    url: {_server.Url("/pd")}\n    severity: '{{{{ .CommonLabels.severity }}}}'"));
        await notifier.NotifyAsync(Scenario.Context(), [Scenario.Resolved], CancellationToken.None);
        using var doc = JsonDocument.Parse(Single().Body);
        Assert.Equal("resolve", doc.RootElement.GetProperty("event_action").GetString());
        Assert.Equal("8b59f9f66bdadfc9573ce5c97b0e5a90e5b72126df7406588a73e80f677db85a", doc.RootElement.GetProperty("dedup_key").GetString());
        Assert.Equal("page", doc.RootElement.GetProperty("payload").GetProperty("severity").GetString());
        Assert.Equal("[RESOLVED] Down api (b:1 page)", doc.RootElement.GetProperty("payload").GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Pagerduty_summary_is_truncated_to_1024_runes()
    {
        var notifier = Assert.Single(Notifiers($"  pagerduty_configs:\n  - routing_key: k\n    url: {_server.Url("/pd")}\n    description: '{new string('x', 2000)}'"));
        await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        using var doc = JsonDocument.Parse(Single().Body);
        Assert.Equal(new string('x', 1023) + "…", doc.RootElement.GetProperty("payload").GetProperty("summary").GetString());
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(400, false)]
    [InlineData(403, false)]
    public async Task Pagerduty_retries_429_and_5xx(int status, bool retry)
    {
        _server.Script.Enqueue(new CaptureServer.Response(status, """{"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect"]}"""));
        var notifier = Assert.Single(Notifiers($"  pagerduty_configs:\n  - routing_key: k\n    url: {_server.Url("/pd")}"));
        var result = await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        Assert.Equal(retry, result.Retry);
        if (status == 400)
        {
            Assert.Equal("unexpected status code 400: Event object is invalid: Length of 'routing_key' is incorrect", result.Error!.Message);
        }
    }

    [Fact]
    public void Integrations_come_in_alertmanagers_order()
    {
        var notifiers = Notifiers($"""
              slack_configs:
              - api_url: {_server.Url("/s")}
              webhook_configs:
              - url: {_server.Url("/a")}
              - url: {_server.Url("/b")}
              pagerduty_configs:
              - routing_key: k
            """);
        Assert.Equal(["webhook/0", "webhook/1", "pagerduty/0", "slack/0"], notifiers.Select(n => $"{n.Integration}/{n.Index}").ToArray());
    }

    [Fact]
    public void Dedup_key_is_sha256_of_the_group_key()
    {
        Assert.Equal("8b59f9f66bdadfc9573ce5c97b0e5a90e5b72126df7406588a73e80f677db85a", PagerdutyNotifier.DedupKey("{}:{alertname=\"Down\", job=\"api\"}"));
    }

    [Fact]
    public void Go_time_json()
    {
        Assert.Equal("0001-01-01T00:00:00Z", NotifierHttp.FormatTime(DateTimeOffset.MinValue));
        Assert.Equal("2026-11-23T18:00:00.5Z", NotifierHttp.FormatTime(new DateTimeOffset(2026, 11, 23, 18, 0, 0, 500, TimeSpan.Zero)));
        Assert.Equal("2026-11-23T18:00:00+01:00", NotifierHttp.FormatTime(new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.FromHours(1))));
    }
}
