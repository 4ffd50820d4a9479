namespace Vigil.Scrape.Config;

/// <summary>
/// Prometheus's common HTTP client settings (inlined into scrape configs, HTTP and Kubernetes discovery, Alertmanager,
/// remote write and read). The legacy <c>bearer_token</c>/<c>bearer_token_file</c> are folded into
/// <see cref="Authorization"/> with type Bearer on load, as Prometheus does.
/// </summary>
public sealed class HttpClientConfig
{
    /// <summary><c>basic_auth</c>, or null.</summary>
    public BasicAuth? BasicAuth { get; internal set; }

    /// <summary><c>authorization</c> (or the legacy bearer token), or null.</summary>
    public Authorization? Authorization { get; internal set; }

    /// <summary><c>tls_config</c>.</summary>
    public TlsConfig Tls { get; internal set; } = new();

    /// <summary><c>proxy_url</c> as written, or empty. Vigil's scraper does not use proxies; the field is accepted for compatibility.</summary>
    public string ProxyUrl { get; internal set; } = "";

    /// <summary>Whether to follow HTTP 3xx redirects (true).</summary>
    public bool FollowRedirects { get; internal set; } = true;

    /// <summary>Whether HTTP/2 may be used (true).</summary>
    public bool EnableHttp2 { get; internal set; } = true;

    /// <summary>Whether anything differs from the defaults (Kubernetes discovery needs an api_server then).</summary>
    public bool IsDefault => BasicAuth is null && Authorization is null && Tls.IsDefault && ProxyUrl.Length == 0 && FollowRedirects && EnableHttp2;
}

/// <summary><c>basic_auth</c>.</summary>
public sealed class BasicAuth
{
    /// <summary>The user name.</summary>
    public string Username { get; internal set; } = "";

    /// <summary>The password, or unset when it comes from <see cref="PasswordFile"/>.</summary>
    public Secret Password { get; internal set; }

    /// <summary>A file holding the password, or empty.</summary>
    public string PasswordFile { get; internal set; } = "";
}

/// <summary><c>authorization</c>: the <c>Authorization</c> header as <c>type credentials</c>.</summary>
public sealed class Authorization
{
    /// <summary>The scheme, <c>Bearer</c> by default.</summary>
    public string Type { get; internal set; } = "Bearer";

    /// <summary>The credentials, or unset when they come from <see cref="CredentialsFile"/>.</summary>
    public Secret Credentials { get; internal set; }

    /// <summary>A file holding the credentials, or empty.</summary>
    public string CredentialsFile { get; internal set; } = "";
}

/// <summary><c>tls_config</c>.</summary>
public sealed class TlsConfig
{
    /// <summary>The CA certificate file used to validate the server, or empty for the system roots.</summary>
    public string CaFile { get; internal set; } = "";

    /// <summary>The client certificate file, or empty.</summary>
    public string CertFile { get; internal set; } = "";

    /// <summary>The client key file, or empty.</summary>
    public string KeyFile { get; internal set; } = "";

    /// <summary>The server name to expect (SNI), or empty.</summary>
    public string ServerName { get; internal set; } = "";

    /// <summary>Whether to skip validating the server certificate.</summary>
    public bool InsecureSkipVerify { get; internal set; }

    /// <summary>The minimum TLS version as written (<c>TLS12</c>), or empty.</summary>
    public string MinVersion { get; internal set; } = "";

    /// <summary>Whether nothing is set.</summary>
    public bool IsDefault => CaFile.Length == 0 && CertFile.Length == 0 && KeyFile.Length == 0 && ServerName.Length == 0 && !InsecureSkipVerify && MinVersion.Length == 0;
}
