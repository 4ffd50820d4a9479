namespace Vigil.Alerting.Config;

/// <summary>
/// One <c>receivers</c> entry: a name and the integrations to notify. Vigil delivers to webhook, Slack, PagerDuty
/// and email; the other Alertmanager integrations are accepted (so a valid Alertmanager file stays valid) and
/// listed in <see cref="Unsupported"/> so callers can say clearly that they will not be notified.
/// </summary>
public sealed class ReceiverConfig
{
    /// <summary>The unique name routes refer to.</summary>
    public required string Name { get; init; }

    /// <summary><c>webhook_configs</c>.</summary>
    public IReadOnlyList<WebhookConfig> WebhookConfigs { get; init; } = [];

    /// <summary><c>slack_configs</c>.</summary>
    public IReadOnlyList<SlackConfig> SlackConfigs { get; init; } = [];

    /// <summary><c>pagerduty_configs</c>.</summary>
    public IReadOnlyList<PagerdutyConfig> PagerdutyConfigs { get; init; } = [];

    /// <summary><c>email_configs</c>.</summary>
    public IReadOnlyList<EmailConfig> EmailConfigs { get; init; } = [];

    /// <summary>Integrations Vigil does not deliver to (<c>opsgenie_configs</c>, ...), with where they are.</summary>
    public IReadOnlyList<UnsupportedIntegration> Unsupported { get; init; } = [];

    /// <summary>The line of the entry.</summary>
    public int Line { get; init; }
}

/// <summary>An integration section Vigil accepts but does not deliver to.</summary>
/// <param name="Key">The YAML key, e.g. <c>opsgenie_configs</c>.</param>
/// <param name="Count">How many configurations it lists.</param>
/// <param name="Line">Where it is.</param>
public sealed record UnsupportedIntegration(string Key, int Count, int Line);

/// <summary><c>webhook_configs</c> entry (payload version 4).</summary>
public sealed class WebhookConfig
{
    /// <summary><c>send_resolved</c> (default true).</summary>
    public bool SendResolved { get; init; } = true;

    /// <summary><c>http_config</c>, or the global one.</summary>
    public HttpClientConfig HttpConfig { get; init; } = new();

    /// <summary><c>url</c>: http or https, required.</summary>
    public required string Url { get; init; }

    /// <summary><c>max_alerts</c>: at most this many alerts per message; 0 means all.</summary>
    public ulong MaxAlerts { get; init; }

    /// <summary>The line of the entry.</summary>
    public int Line { get; init; }
}

/// <summary><c>slack_configs</c> entry, with Alertmanager 0.25's template defaults.</summary>
public sealed class SlackConfig
{
    /// <summary><c>send_resolved</c> (default false).</summary>
    public bool SendResolved { get; init; }

    /// <summary><c>http_config</c>, or the global one.</summary>
    public HttpClientConfig HttpConfig { get; init; } = new();

    /// <summary><c>api_url</c> (secret), or the global <c>slack_api_url</c>; null when a file is used.</summary>
    public string? ApiUrl { get; init; }

    /// <summary><c>api_url_file</c>, or the global one.</summary>
    public string ApiUrlFile { get; init; } = "";

    /// <summary><c>channel</c>.</summary>
    public string Channel { get; init; } = "";

    /// <summary><c>username</c>.</summary>
    public string Username { get; init; } = "{{ template \"slack.default.username\" . }}";

    /// <summary><c>color</c>.</summary>
    public string Color { get; init; } = "{{ if eq .Status \"firing\" }}danger{{ else }}good{{ end }}";

    /// <summary><c>title</c>.</summary>
    public string Title { get; init; } = "{{ template \"slack.default.title\" . }}";

    /// <summary><c>title_link</c>.</summary>
    public string TitleLink { get; init; } = "{{ template \"slack.default.titlelink\" . }}";

    /// <summary><c>pretext</c>.</summary>
    public string Pretext { get; init; } = "{{ template \"slack.default.pretext\" . }}";

    /// <summary><c>text</c>.</summary>
    public string Text { get; init; } = "{{ template \"slack.default.text\" . }}";

    /// <summary><c>fields</c>.</summary>
    public IReadOnlyList<SlackField> Fields { get; init; } = [];

    /// <summary><c>short_fields</c>.</summary>
    public bool ShortFields { get; init; }

    /// <summary><c>footer</c>.</summary>
    public string Footer { get; init; } = "{{ template \"slack.default.footer\" . }}";

    /// <summary><c>fallback</c>.</summary>
    public string Fallback { get; init; } = "{{ template \"slack.default.fallback\" . }}";

    /// <summary><c>callback_id</c>.</summary>
    public string CallbackId { get; init; } = "{{ template \"slack.default.callbackid\" . }}";

    /// <summary><c>icon_emoji</c>.</summary>
    public string IconEmoji { get; init; } = "{{ template \"slack.default.iconemoji\" . }}";

    /// <summary><c>icon_url</c>.</summary>
    public string IconUrl { get; init; } = "{{ template \"slack.default.iconurl\" . }}";

    /// <summary><c>image_url</c>.</summary>
    public string ImageUrl { get; init; } = "";

    /// <summary><c>thumb_url</c>.</summary>
    public string ThumbUrl { get; init; } = "";

    /// <summary><c>link_names</c>.</summary>
    public bool LinkNames { get; init; }

    /// <summary><c>mrkdwn_in</c>.</summary>
    public IReadOnlyList<string> MrkdwnIn { get; init; } = [];

    /// <summary><c>actions</c>.</summary>
    public IReadOnlyList<SlackAction> Actions { get; init; } = [];

    /// <summary>The line of the entry.</summary>
    public int Line { get; init; }
}

/// <summary>A Slack attachment field; title and value are required.</summary>
public sealed class SlackField
{
    /// <summary><c>title</c>.</summary>
    public string Title { get; init; } = "";

    /// <summary><c>value</c>.</summary>
    public string Value { get; init; } = "";

    /// <summary><c>short</c>, or null to use the config's <c>short_fields</c>.</summary>
    public bool? Short { get; init; }
}

/// <summary>A Slack message action (button); type and text are required, and url or name.</summary>
public sealed class SlackAction
{
    /// <summary><c>type</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary><c>text</c>.</summary>
    public string Text { get; init; } = "";

    /// <summary><c>url</c>.</summary>
    public string Url { get; init; } = "";

    /// <summary><c>style</c>.</summary>
    public string Style { get; init; } = "";

    /// <summary><c>name</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary><c>value</c>.</summary>
    public string Value { get; init; } = "";

    /// <summary><c>confirm</c>, or null.</summary>
    public SlackConfirmationField? Confirm { get; init; }
}

/// <summary>A Slack action's confirmation dialog; text is required.</summary>
public sealed class SlackConfirmationField
{
    /// <summary><c>text</c>.</summary>
    public string Text { get; init; } = "";

    /// <summary><c>title</c>.</summary>
    public string Title { get; init; } = "";

    /// <summary><c>ok_text</c>.</summary>
    public string OkText { get; init; } = "";

    /// <summary><c>dismiss_text</c>.</summary>
    public string DismissText { get; init; } = "";
}

/// <summary><c>pagerduty_configs</c> entry (Events API v2 with <c>routing_key</c>, v1 with <c>service_key</c>).</summary>
public sealed class PagerdutyConfig
{
    /// <summary><c>send_resolved</c> (default true).</summary>
    public bool SendResolved { get; init; } = true;

    /// <summary><c>http_config</c>, or the global one.</summary>
    public HttpClientConfig HttpConfig { get; init; } = new();

    /// <summary><c>service_key</c> (secret).</summary>
    public string ServiceKey { get; init; } = "";

    /// <summary><c>service_key_file</c>.</summary>
    public string ServiceKeyFile { get; init; } = "";

    /// <summary><c>routing_key</c> (secret).</summary>
    public string RoutingKey { get; init; } = "";

    /// <summary><c>routing_key_file</c>.</summary>
    public string RoutingKeyFile { get; init; } = "";

    /// <summary><c>url</c>, or the global <c>pagerduty_url</c>.</summary>
    public string Url { get; init; } = "";

    /// <summary><c>client</c>.</summary>
    public string Client { get; init; } = "{{ template \"pagerduty.default.client\" . }}";

    /// <summary><c>client_url</c>.</summary>
    public string ClientUrl { get; init; } = "{{ template \"pagerduty.default.clientURL\" . }}";

    /// <summary><c>description</c>.</summary>
    public string Description { get; init; } = "{{ template \"pagerduty.default.description\" .}}";

    /// <summary><c>details</c>, with the defaults (firing, resolved, num_firing, num_resolved) added where not set.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>images</c>.</summary>
    public IReadOnlyList<PagerdutyImage> Images { get; init; } = [];

    /// <summary><c>links</c>.</summary>
    public IReadOnlyList<PagerdutyLink> Links { get; init; } = [];

    /// <summary><c>source</c> (defaults to <see cref="Client"/> when sending).</summary>
    public string Source { get; init; } = "";

    /// <summary><c>severity</c>.</summary>
    public string Severity { get; init; } = "";

    /// <summary><c>class</c>.</summary>
    public string Class { get; init; } = "";

    /// <summary><c>component</c>.</summary>
    public string Component { get; init; } = "";

    /// <summary><c>group</c>.</summary>
    public string Group { get; init; } = "";

    /// <summary>The line of the entry.</summary>
    public int Line { get; init; }

    /// <summary>Alertmanager's default <c>details</c>.</summary>
    public static IReadOnlyDictionary<string, string> DefaultDetails { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["firing"] = "{{ template \"pagerduty.default.instances\" .Alerts.Firing }}",
        ["resolved"] = "{{ template \"pagerduty.default.instances\" .Alerts.Resolved }}",
        ["num_firing"] = "{{ .Alerts.Firing | len }}",
        ["num_resolved"] = "{{ .Alerts.Resolved | len }}",
    };
}

/// <summary>A PagerDuty image.</summary>
/// <param name="Src">The image URL.</param>
/// <param name="Alt">Alternative text.</param>
/// <param name="Href">A link.</param>
public sealed record PagerdutyImage(string Src, string Alt, string Href);

/// <summary>A PagerDuty link.</summary>
/// <param name="Href">The URL.</param>
/// <param name="Text">The text.</param>
public sealed record PagerdutyLink(string Href, string Text);

/// <summary><c>email_configs</c> entry; unset SMTP settings come from <c>global</c>.</summary>
public sealed class EmailConfig
{
    /// <summary><c>send_resolved</c> (default false).</summary>
    public bool SendResolved { get; init; }

    /// <summary><c>to</c>, required.</summary>
    public required string To { get; init; }

    /// <summary><c>from</c>, or <c>smtp_from</c>.</summary>
    public string From { get; init; } = "";

    /// <summary><c>hello</c>, or <c>smtp_hello</c>.</summary>
    public string Hello { get; init; } = "";

    /// <summary><c>smarthost</c> (<c>host:port</c>), or <c>smtp_smarthost</c>.</summary>
    public string Smarthost { get; init; } = "";

    /// <summary><c>auth_username</c>, or the global one.</summary>
    public string AuthUsername { get; init; } = "";

    /// <summary><c>auth_password</c> (secret), or the global one.</summary>
    public string AuthPassword { get; init; } = "";

    /// <summary><c>auth_password_file</c>, or the global one.</summary>
    public string AuthPasswordFile { get; init; } = "";

    /// <summary><c>auth_secret</c> (secret), or the global one.</summary>
    public string AuthSecret { get; init; } = "";

    /// <summary><c>auth_identity</c>, or the global one.</summary>
    public string AuthIdentity { get; init; } = "";

    /// <summary><c>headers</c>, names in Go's <c>strings.Title</c> case (<c>subject</c> → <c>Subject</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>html</c> body template.</summary>
    public string Html { get; init; } = "{{ template \"email.default.html\" . }}";

    /// <summary><c>text</c> body template, or "".</summary>
    public string Text { get; init; } = "";

    /// <summary><c>require_tls</c>, or <c>smtp_require_tls</c>.</summary>
    public bool RequireTls { get; init; } = true;

    /// <summary><c>tls_config</c>.</summary>
    public TlsConfig Tls { get; init; } = new();

    /// <summary>The line of the entry.</summary>
    public int Line { get; init; }
}
