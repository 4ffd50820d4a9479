using System.Net.Mail;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Receivers;
using Vigil.Testing;

namespace Vigil.Alerting.Tests.Receivers;

public sealed class EmailNotifierTests : IDisposable
{
    private readonly SmtpSink _smtp = new();

    public void Dispose() => _smtp.Dispose();

    private INotifier Notifier(string extra = "", int? port = null)
    {
        var config = Scenario.Load(Scenario.Config($"""
              email_configs:
              - to: 'ops@example.com, oncall@example.com'
                from: am@example.com
                smarthost: 127.0.0.1:{port ?? _smtp.Port}
                require_tls: false
            {extra}
            """));
        return Assert.Single(new ReceiverNotifierFactory(TimeSpan.FromSeconds(5)).Create(config.Receivers[0], config));
    }

    [Fact]
    public async Task Delivers_a_multipart_message_with_alertmanagers_subject()
    {
        var notifier = Notifier("""
                text: 'Firing: {{ len .Alerts }}'
                headers:
                  X-Team: '{{ .CommonLabels.job }}'
            """);
        Assert.Equal(("email", false), (notifier.Integration, notifier.SendResolved));
        var result = await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        Assert.True(result.Succeeded, result.Error?.Message);
        var message = Assert.Single(_smtp.Messages);
        Assert.Equal("<am@example.com>", message.MailFrom);
        Assert.Equal(["<ops@example.com>", "<oncall@example.com>"], message.RcptTo);
        var data = message.Data;
        Assert.Contains("Subject: [FIRING:1] Down api (page)\r\n", data, StringComparison.Ordinal);
        Assert.Contains("X-Team: api\r\n", data, StringComparison.Ordinal);
        Assert.Contains("From: am@example.com\r\n", data, StringComparison.Ordinal);
        Assert.Contains("multipart/alternative", data, StringComparison.Ordinal);
        var text = data.IndexOf("text/plain", StringComparison.Ordinal);
        var html = data.IndexOf("text/html", StringComparison.Ordinal);
        Assert.True(text >= 0 && html > text, "text part first, then HTML");
        Assert.Contains("Firing: 2", data, StringComparison.Ordinal);
        Assert.Contains("[1] Firing", data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_message_is_retryable_and_the_retry_delivers_once()
    {
        _smtp.DataReplies.Enqueue("451 4.3.0 try again later");
        var notifier = Notifier();
        var first = await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        Assert.True(first.Retry);
        Assert.Contains("send mail to 127.0.0.1:", first.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(_smtp.Messages);
        var second = await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        Assert.True(second.Succeeded);
        Assert.Single(_smtp.Messages);
    }

    [Fact]
    public async Task Connection_refused_is_retryable()
    {
        var notifier = Notifier(port: FreePort.Next());
        var result = await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        Assert.True(result.Retry);
        Assert.IsType<SmtpException>(result.Error);
    }

    [Fact]
    public async Task Require_tls_fails_when_the_server_does_not_offer_starttls()
    {
        var config = Scenario.Load(Scenario.Config($"""
              email_configs:
              - to: ops@example.com
                from: am@example.com
                smarthost: 127.0.0.1:{_smtp.Port}
            """));
        Assert.True(config.Receivers[0].EmailConfigs[0].RequireTls);
        var notifier = Assert.Single(new ReceiverNotifierFactory().Create(config.Receivers[0], config));
        var result = await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        Assert.True(result.Retry);
        Assert.Empty(_smtp.Messages);
    }

    [Fact]
    public async Task A_template_error_is_permanent_and_nothing_is_sent()
    {
        var notifier = Notifier("    html: '{{ template \"nope\" . }}'");
        var result = await notifier.NotifyAsync(Scenario.Context(), Scenario.Both, CancellationToken.None);
        Assert.False(result.Retry);
        Assert.Equal(0, _smtp.Sessions);
    }
}
