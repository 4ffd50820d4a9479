using System.Runtime.CompilerServices;
using Vigil.Alerting.Config;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Templates;

namespace Vigil.Alerting.Receivers;

/// <summary>
/// Vigil's <see cref="INotifierFactory"/>: the webhook, email, PagerDuty and Slack integrations of a receiver, in
/// Alertmanager 0.25's order (<c>buildReceiverIntegrations</c>: webhook, email, pagerduty, ..., slack), each in
/// configuration order. The configuration's <c>templates:</c> are loaded once per configuration; one HTTP client is
/// kept per <c>http_config</c>.
/// </summary>
public sealed class ReceiverNotifierFactory : INotifierFactory
{
    private readonly ConditionalWeakTable<AlertmanagerConfig, NotificationTemplates> _templates = new();
    private readonly ConditionalWeakTable<HttpClientConfig, HttpClient> _clients = new();

    /// <summary>Creates the factory; <paramref name="requestTimeout"/> bounds each attempt (Alertmanager 0.25 has no per-request limit; the retry stage's deadline still applies).</summary>
    public ReceiverNotifierFactory(TimeSpan? requestTimeout = null) => RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take before it counts as a retryable failure.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>The template set of <paramref name="config"/> (loaded on first use).</summary>
    /// <exception cref="NotificationTemplateException">A template file is unreadable or invalid.</exception>
    public NotificationTemplates Templates(AlertmanagerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return _templates.GetValue(config, c => c.Templates.Count == 0 ? NotificationTemplates.Default : NotificationTemplates.Load(c.Templates));
    }

    /// <inheritdoc/>
    public IReadOnlyList<INotifier> Create(ReceiverConfig receiver, AlertmanagerConfig config)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(config);
        var templates = Templates(config);
        var result = new List<INotifier>();
        for (var i = 0; i < receiver.WebhookConfigs.Count; i++)
        {
            var c = receiver.WebhookConfigs[i];
            result.Add(new WebhookNotifier(c, i, Client(c.HttpConfig), RequestTimeout));
        }
        for (var i = 0; i < receiver.EmailConfigs.Count; i++)
        {
            result.Add(new EmailNotifier(receiver.EmailConfigs[i], i, templates, RequestTimeout));
        }
        for (var i = 0; i < receiver.PagerdutyConfigs.Count; i++)
        {
            var c = receiver.PagerdutyConfigs[i];
            result.Add(new PagerdutyNotifier(c, i, templates, Client(c.HttpConfig), RequestTimeout, config.Global.PagerdutyUrl));
        }
        for (var i = 0; i < receiver.SlackConfigs.Count; i++)
        {
            var c = receiver.SlackConfigs[i];
            result.Add(new SlackNotifier(c, i, templates, Client(c.HttpConfig), RequestTimeout));
        }
        return result;
    }

    private HttpClient Client(HttpClientConfig config) => _clients.GetValue(config, NotifierHttp.CreateClient);
}
