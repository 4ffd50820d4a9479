namespace Vigil.Alerting.Config;

/// <summary>
/// prometheus/common's <c>http_config</c> as Alertmanager 0.25 accepts it: authentication (basic, authorization
/// header, bearer token, OAuth 2 client credentials), TLS, proxy and redirect settings, validated with common's rules.
/// File paths are resolved against the configuration file's directory.
/// </summary>
public sealed class HttpClientConfig
{
    /// <summary><c>basic_auth</c>, or null.</summary>
    public BasicAuth? BasicAuth { get; init; }

    /// <summary><c>authorization</c> (type defaults to <c>Bearer</c>), or null; <c>bearer_token(_file)</c> are folded into it.</summary>
    public Authorization? Authorization { get; init; }

    /// <summary><c>oauth2</c>, or null.</summary>
    public OAuth2? OAuth2 { get; init; }

    /// <summary><c>tls_config</c>.</summary>
    public TlsConfig Tls { get; init; } = new();

    /// <summary><c>proxy_url</c>, or "".</summary>
    public string ProxyUrl { get; init; } = "";

    /// <summary><c>proxy_connect_header</c>: header name to values.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ProxyConnectHeader { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary><c>follow_redirects</c> (default true).</summary>
    public bool FollowRedirects { get; init; } = true;

    /// <summary><c>enable_http2</c> (default true).</summary>
    public bool EnableHttp2 { get; init; } = true;
}

/// <summary><c>basic_auth</c>.</summary>
public sealed class BasicAuth
{
    /// <summary>The user name.</summary>
    public string Username { get; init; } = "";

    /// <summary>The password (secret), or "".</summary>
    public string Password { get; init; } = "";

    /// <summary>A file holding the password, or "".</summary>
    public string PasswordFile { get; init; } = "";
}

/// <summary><c>authorization</c>: an <c>Authorization: TYPE credentials</c> header.</summary>
public sealed class Authorization
{
    /// <summary>The scheme (default <c>Bearer</c>).</summary>
    public string Type { get; init; } = "Bearer";

    /// <summary>The credentials (secret), or "".</summary>
    public string Credentials { get; init; } = "";

    /// <summary>A file holding the credentials, or "".</summary>
    public string CredentialsFile { get; init; } = "";
}

/// <summary><c>oauth2</c>: the client-credentials grant.</summary>
public sealed class OAuth2
{
    /// <summary><c>client_id</c>.</summary>
    public string ClientId { get; init; } = "";

    /// <summary><c>client_secret</c> (secret).</summary>
    public string ClientSecret { get; init; } = "";

    /// <summary><c>client_secret_file</c>.</summary>
    public string ClientSecretFile { get; init; } = "";

    /// <summary><c>scopes</c>.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary><c>token_url</c>.</summary>
    public string TokenUrl { get; init; } = "";

    /// <summary><c>endpoint_params</c>.</summary>
    public IReadOnlyDictionary<string, string> EndpointParams { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>tls_config</c> for the token request.</summary>
    public TlsConfig Tls { get; init; } = new();

    /// <summary><c>proxy_url</c> for the token request.</summary>
    public string ProxyUrl { get; init; } = "";
}

/// <summary><c>tls_config</c>.</summary>
public sealed class TlsConfig
{
    /// <summary><c>ca_file</c>.</summary>
    public string CaFile { get; init; } = "";

    /// <summary><c>cert_file</c>.</summary>
    public string CertFile { get; init; } = "";

    /// <summary><c>key_file</c>.</summary>
    public string KeyFile { get; init; } = "";

    /// <summary><c>server_name</c>.</summary>
    public string ServerName { get; init; } = "";

    /// <summary><c>insecure_skip_verify</c>.</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary><c>min_version</c> (<c>TLS10</c>..<c>TLS13</c>), or "".</summary>
    public string MinVersion { get; init; } = "";

    /// <summary><c>max_version</c>, or "".</summary>
    public string MaxVersion { get; init; } = "";
}
