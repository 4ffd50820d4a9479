using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Vigil.Scrape.Discovery.Kubernetes;

/// <summary>Thrown when the API server answers a list or watch with an error status; 410 means the resource version is gone.</summary>
internal sealed class KubernetesApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// The HTTP side of list and watch: builds request URLs with selectors, adds the bearer token (re-read from its
/// file on every request, as client-go rotates it), and checks the server's certificate against the configured CA.
/// </summary>
internal sealed class KubernetesApi : IDisposable
{
    internal static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly KubernetesSdOptions _options;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;

    public KubernetesApi(KubernetesSdOptions options, HttpMessageHandler? handler)
    {
        _options = options;
        _ownsClient = true;
        _client = new HttpClient(handler ?? CreateHandler(options), disposeHandler: handler is null)
        {
            // Watches stream for minutes; the per-request token bounds each call instead.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The path of a resource collection: <c>/api/v1/pods</c> or <c>/api/v1/namespaces/NS/pods</c>.</summary>
    public static string CollectionPath(string resource, string? ns)
        => string.IsNullOrEmpty(ns) ? $"/api/v1/{resource}" : $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/{resource}";

    /// <summary>The URL of a list (page) or watch request.</summary>
    public Uri BuildUri(string path, KubernetesSelector? selector, IEnumerable<KeyValuePair<string, string>> query)
    {
        var text = new StringBuilder(_options.ApiServer.GetLeftPart(UriPartial.Path).TrimEnd('/')).Append(path);
        var separator = '?';
        void Add(string name, string value)
        {
            text.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        foreach (var (name, value) in query)
        {
            Add(name, value);
        }
        if (!string.IsNullOrEmpty(selector?.Label))
        {
            Add("labelSelector", selector.Label);
        }
        if (!string.IsNullOrEmpty(selector?.Field))
        {
            Add("fieldSelector", selector.Field);
        }
        return new Uri(text.ToString());
    }

    /// <summary>Sends a GET and returns the response once its headers arrived; throws <see cref="KubernetesApiException"/> for a non-2xx status.</summary>
    public async Task<HttpResponseMessage> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("User-Agent", "Vigil/discovery");
        var token = await ReadTokenAsync(cancellationToken).ConfigureAwait(false);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var message = body;
            try
            {
                message = JsonSerializer.Deserialize<KubeStatus>(body, s_json)?.Message is { Length: > 0 } m ? m : body;
            }
            catch (JsonException)
            {
            }
            throw new KubernetesApiException(response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}: {message}".TrimEnd(' ', ':'));
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async Task<string?> ReadTokenAsync(CancellationToken cancellationToken)
    {
        if (_options.BearerTokenFile is { Length: > 0 } file)
        {
            return (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim();
        }
        return _options.BearerToken;
    }

    private static SocketsHttpHandler CreateHandler(KubernetesSdOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.GZip,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
        if (options.InsecureSkipVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (options.CaFile is { Length: > 0 } caFile)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
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
        return handler;
    }
}
