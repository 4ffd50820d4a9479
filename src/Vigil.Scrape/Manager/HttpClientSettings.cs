using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vigil.Scrape.Config;

namespace Vigil.Scrape.Manager;

/// <summary>
/// Turns Prometheus's common HTTP client settings into what the scrape engine takes: a request customiser for
/// <c>basic_auth</c> and <c>authorization</c> (credential files re-read on every request, as Prometheus does) and a
/// handler customiser for <c>tls_config</c> and <c>follow_redirects</c>.
/// </summary>
public static class HttpClientSettings
{
    /// <summary>
    /// A customiser that sets the <c>Authorization</c> header, or null when no credentials are configured.
    /// Relative credential files are resolved against <paramref name="root"/>'s directory.
    /// </summary>
    public static Action<HttpRequestMessage>? RequestConfigurer(HttpClientConfig config, PrometheusConfig root)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(root);
        if (config.BasicAuth is { } basic)
        {
            var user = basic.Username;
            var password = basic.Password.Value ?? "";
            var file = basic.PasswordFile.Length > 0 ? root.ResolvePath(basic.PasswordFile) : null;
            return request =>
            {
                var secret = file is null ? password : ReadSecret(file);
                var token = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret));
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
            };
        }
        if (config.Authorization is { } auth)
        {
            var type = auth.Type.Length > 0 ? auth.Type : "Bearer";
            var credentials = auth.Credentials.Value ?? "";
            var file = auth.CredentialsFile.Length > 0 ? root.ResolvePath(auth.CredentialsFile) : null;
            return request =>
            {
                var secret = file is null ? credentials : ReadSecret(file);
                request.Headers.TryAddWithoutValidation("Authorization", type + " " + secret);
            };
        }
        return null;
    }

    /// <summary>
    /// A customiser for the pool's handler (<c>tls_config</c>: CA, client certificate, server name,
    /// insecure_skip_verify, min_version; <c>follow_redirects</c>), or null when everything is default.
    /// </summary>
    /// <exception cref="InvalidOperationException">A certificate file cannot be read.</exception>
    public static Action<SocketsHttpHandler>? HandlerConfigurer(HttpClientConfig config, PrometheusConfig root)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(root);
        var tls = config.Tls;
        if (tls.IsDefault && config.FollowRedirects)
        {
            return null;
        }
        X509Certificate2Collection? roots = null;
        X509Certificate2? clientCertificate = null;
        try
        {
            if (tls.CaFile.Length > 0)
            {
                roots = [];
                roots.ImportFromPemFile(root.ResolvePath(tls.CaFile));
            }
            if (tls.CertFile.Length > 0 && tls.KeyFile.Length > 0)
            {
                clientCertificate = X509Certificate2.CreateFromPemFile(root.ResolvePath(tls.CertFile), root.ResolvePath(tls.KeyFile));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"unable to load TLS settings: {e.Message}", e);
        }
        var protocols = tls.MinVersion switch
        {
            "TLS13" => SslProtocols.Tls13,
            "TLS12" or "" => SslProtocols.Tls12 | SslProtocols.Tls13,
            _ => SslProtocols.None,
        };
        var followRedirects = config.FollowRedirects;
        return handler =>
        {
            handler.AllowAutoRedirect = followRedirects;
            if (tls.IsDefault)
            {
                return;
            }
            var ssl = handler.SslOptions;
            ssl.EnabledSslProtocols = protocols;
            if (tls.ServerName.Length > 0)
            {
                ssl.TargetHost = tls.ServerName;
            }
            if (clientCertificate is not null)
            {
                ssl.ClientCertificates = [clientCertificate];
            }
            if (tls.InsecureSkipVerify)
            {
                ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
            }
            else if (roots is not null)
            {
                ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                    {
                        return false;
                    }
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                };
            }
        };
    }

    /// <summary>What distinguishes two handlers: configurations with the same key can share a connection pool.</summary>
    public static string HandlerKey(HttpClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var t = config.Tls;
        return string.Join('\u0001', t.CaFile, t.CertFile, t.KeyFile, t.ServerName, t.InsecureSkipVerify.ToString(CultureInfo.InvariantCulture),
            t.MinVersion, config.FollowRedirects.ToString(CultureInfo.InvariantCulture), config.EnableHttp2.ToString(CultureInfo.InvariantCulture));
    }

    private static string ReadSecret(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Prometheus fails the request ("unable to read ... file"); an empty secret gets the target's 401 instead.
            return "";
        }
    }
}
