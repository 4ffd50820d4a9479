using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vigil.Alerting.Config;
using Vigil.Alerting.Pipeline;

namespace Vigil.Alerting.Receivers;

/// <summary>
/// What the HTTP integrations share (Alertmanager 0.25's <c>notify.PostJSON</c>, <c>notify.Retrier</c>,
/// <c>commoncfg.NewClientFromConfig</c>): one <see cref="HttpClient"/> per <c>http_config</c>, JSON POSTs with
/// <c>User-Agent: Alertmanager/0.25.0</c>, and the retry decision from the response.
/// </summary>
public static class NotifierHttp
{
    /// <summary>The User-Agent Alertmanager 0.25 sends (receivers sometimes filter on it).</summary>
    public const string UserAgent = "Alertmanager/0.25.0";

    /// <summary>JSON as Go's encoding/json writes it for these payloads (no escaping of non-ASCII or HTML characters).</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds a client for <paramref name="config"/>: authentication headers, TLS, proxy, redirects.</summary>
    public static HttpClient CreateClient(HttpClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = config.FollowRedirects,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseCookies = false,
        };
        if (config.ProxyUrl.Length > 0)
        {
            handler.Proxy = new WebProxy(new Uri(config.ProxyUrl));
            handler.UseProxy = true;
        }
        var tls = config.Tls;
        if (tls.InsecureSkipVerify || tls.CaFile.Length > 0 || tls.CertFile.Length > 0 || tls.ServerName.Length > 0)
        {
            var ssl = new SslClientAuthenticationOptions();
            if (tls.ServerName.Length > 0)
            {
                ssl.TargetHost = tls.ServerName;
            }
            if (tls.CertFile.Length > 0 && tls.KeyFile.Length > 0)
            {
                ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(tls.CertFile, tls.KeyFile)];
            }
            if (tls.InsecureSkipVerify)
            {
                ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
            }
            else if (tls.CaFile.Length > 0)
            {
                var roots = new X509Certificate2Collection();
                roots.ImportFromPemFile(tls.CaFile);
                ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }
                    if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                    {
                        return false;
                    }
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                };
            }
            handler.SslOptions = ssl;
        }
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        if (config.BasicAuth is { } basic)
        {
            var password = basic.PasswordFile.Length > 0 ? File.ReadAllText(basic.PasswordFile).Trim() : basic.Password;
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(basic.Username + ":" + password)));
        }
        else if (config.Authorization is { } auth)
        {
            var credentials = auth.CredentialsFile.Length > 0 ? File.ReadAllText(auth.CredentialsFile).Trim() : auth.Credentials;
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", auth.Type + " " + credentials);
        }
        return client;
    }

    /// <summary>
    /// POSTs <paramref name="body"/> as JSON and turns the outcome into a <see cref="NotifyResult"/>: 2xx succeeds; 5xx
    /// and <paramref name="retryCodes"/> are retryable; any other status is permanent; a transport error or a timeout
    /// (after <paramref name="timeout"/>) is retryable. The error text is Alertmanager's
    /// (<c>unexpected status code 500: BODY</c>), with the URL redacted out of transport errors.
    /// </summary>
    public static async Task<NotifyResult> PostJsonAsync(HttpClient client, string url, byte[] body, TimeSpan timeout, IReadOnlyList<int>? retryCodes,
        Func<int, string, string>? details, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            attempt.CancelAfter(timeout);
        }
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(url, content, attempt.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status / 100 == 2)
            {
                return NotifyResult.Success;
            }
            var text = await response.Content.ReadAsStringAsync(attempt.Token).ConfigureAwait(false);
            return CheckStatus(status, text, retryCodes, details);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return NotifyResult.Retryable(new TimeoutException($"Post \"{Redact(url)}\": context deadline exceeded"));
        }
        catch (HttpRequestException e)
        {
            return NotifyResult.Retryable(new HttpRequestException($"Post \"{Redact(url)}\": {e.Message}", e));
        }
    }

    /// <summary>Alertmanager's <c>Retrier.Check</c> for a non-2xx status.</summary>
    public static NotifyResult CheckStatus(int status, string body, IReadOnlyList<int>? retryCodes, Func<int, string, string>? details)
    {
        var retry = status / 100 == 5 || (retryCodes is not null && retryCodes.Contains(status));
        var message = $"unexpected status code {status}";
        var detail = details is null ? body : details(status, body);
        if (detail.Length > 0)
        {
            message += ": " + detail;
        }
        var error = new HttpRequestException(message, null, (HttpStatusCode)status);
        return retry ? NotifyResult.Retryable(error) : NotifyResult.Permanent(error);
    }

    /// <summary>The URL without user info, query or path beyond the host: secrets live in webhook URLs.</summary>
    public static string Redact(string url)
    {
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/<redacted>" : "<redacted>";
    }

    /// <summary>Go's <c>time.Time.MarshalJSON</c> (RFC 3339 with trailing-zero-trimmed nanoseconds; zero time for MinValue).</summary>
    public static string FormatTime(DateTimeOffset time)
    {
        if (time == DateTimeOffset.MinValue)
        {
            return "0001-01-01T00:00:00Z";
        }
        var text = time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
        return time.Offset == TimeSpan.Zero ? text + "Z" : text + time.ToString("zzz", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Alertmanager's <c>notify.TruncateInRunes</c>: at most <paramref name="n"/> runes, the last one "…" when cut.</summary>
    public static string TruncateInRunes(string s, int n, out bool truncated)
    {
        ArgumentNullException.ThrowIfNull(s);
        var count = 0;
        foreach (var _ in s.EnumerateRunes())
        {
            count++;
        }
        truncated = count > n;
        if (!truncated)
        {
            return s;
        }
        var sb = new StringBuilder();
        var i = 0;
        foreach (var r in s.EnumerateRunes())
        {
            if (i++ >= n - 1)
            {
                break;
            }
            sb.Append(r.ToString());
        }
        return sb.Append('…').ToString();
    }

    /// <summary>Reads a secret file (<c>*_file</c> settings) at send time, trimmed like Alertmanager does.</summary>
    public static string ReadSecretFile(string path) => File.ReadAllText(path).Trim();
}
