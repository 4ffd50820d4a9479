namespace Vigil.Alerting.Config;

/// <summary>
/// The <c>global</c> section: defaults for receivers, with Alertmanager 0.25's values when unset. The settings of
/// integrations Vigil does not deliver to (OpsGenie, WeChat, VictorOps, Telegram, Webex) are validated as URLs
/// where Alertmanager does and kept in <see cref="OtherSettings"/>, otherwise ignored.
/// </summary>
public sealed class GlobalConfig
{
    /// <summary>After how long an alert that is no longer updated is resolved (default 5m).</summary>
    public TimeSpan ResolveTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The HTTP client settings receivers inherit when they have none.</summary>
    public HttpClientConfig HttpConfig { get; init; } = new();

    /// <summary><c>smtp_from</c>.</summary>
    public string SmtpFrom { get; init; } = "";

    /// <summary><c>smtp_hello</c> (default <c>localhost</c>).</summary>
    public string SmtpHello { get; init; } = "localhost";

    /// <summary><c>smtp_smarthost</c> as <c>host:port</c>, or "".</summary>
    public string SmtpSmarthost { get; init; } = "";

    /// <summary><c>smtp_auth_username</c>.</summary>
    public string SmtpAuthUsername { get; init; } = "";

    /// <summary><c>smtp_auth_password</c> (secret).</summary>
    public string SmtpAuthPassword { get; init; } = "";

    /// <summary><c>smtp_auth_password_file</c>.</summary>
    public string SmtpAuthPasswordFile { get; init; } = "";

    /// <summary><c>smtp_auth_identity</c>.</summary>
    public string SmtpAuthIdentity { get; init; } = "";

    /// <summary><c>smtp_auth_secret</c> (secret, for CRAM-MD5).</summary>
    public string SmtpAuthSecret { get; init; } = "";

    /// <summary><c>smtp_require_tls</c> (default true).</summary>
    public bool SmtpRequireTls { get; init; } = true;

    /// <summary><c>slack_api_url</c> (secret), or null.</summary>
    public string? SlackApiUrl { get; init; }

    /// <summary><c>slack_api_url_file</c>.</summary>
    public string SlackApiUrlFile { get; init; } = "";

    /// <summary><c>pagerduty_url</c> (default <c>https://events.pagerduty.com/v2/enqueue</c>).</summary>
    public string PagerdutyUrl { get; init; } = "https://events.pagerduty.com/v2/enqueue";

    /// <summary>Settings for integrations Vigil does not deliver to, by key, as written.</summary>
    public IReadOnlyDictionary<string, string> OtherSettings { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
