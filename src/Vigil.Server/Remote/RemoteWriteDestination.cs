using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vigil.Remote.Send;
using Vigil.Scrape.Config;
using Vigil.Scrape.Manager;

namespace Vigil.Server.Remote;

/// <summary>
/// Maps one <c>remote_write</c> entry of the configuration to the sender's <see cref="RemoteWriteOptions"/>: the queue's
/// name (the configured one, or a 6-hex-digit hash of the entry as Prometheus makes it), the HTTP handler (TLS,
/// basic_auth / authorization with credential files re-read per request, redirects), the queue settings, and the key
/// that says whether a reload changed the entry.
/// </summary>
public static class RemoteWriteDestination
{
    /// <summary>What identifies the entry's settings, secrets included: equal keys keep the running queue on reload.</summary>
    public static string Key(RemoteWriteConfig config, PrometheusConfig root)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(root);
        var b = new StringBuilder(Describe(config, root));
        var http = config.HttpClient;
        b.Append("\u0001secrets:").Append(http.BasicAuth?.Password.Value).Append('\u0001').Append(http.Authorization?.Credentials.Value);
        return b.ToString();
    }

    /// <summary>The queue's name: the configured one, else a hash of the entry (without secrets), as Prometheus names unnamed queues.</summary>
    public static string Name(RemoteWriteConfig config, PrometheusConfig root)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Name.Length > 0)
        {
            return config.Name;
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Describe(config, root)));
        return Convert.ToHexStringLower(hash)[..6];
    }

    /// <summary>
    /// The sender's options for <paramref name="config"/> with <paramref name="handler"/> (from <see cref="CreateHandler"/>).
    /// Progress is keyed by name and URL, so changing only queue settings or credentials resumes where the old queue stopped.
    /// </summary>
    public static RemoteWriteOptions Options(RemoteWriteConfig config, PrometheusConfig root, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(root);
        var q = config.Queue;
        return new RemoteWriteOptions
        {
            Name = Name(config, root),
            Url = config.Url,
            RemoteTimeout = config.RemoteTimeout,
            Headers = config.Headers,
            WriteRelabelConfigs = config.WriteRelabelConfigs,
            ExternalLabels = root.Global.ExternalLabels,
            Handler = handler,
            ProgressKey = config.Name + " " + config.Url,
            Queue = new QueueOptions
            {
                Capacity = q.Capacity,
                MaxShards = q.MaxShards,
                MinShards = q.MinShards,
                MaxSamplesPerSend = q.MaxSamplesPerSend,
                BatchSendDeadline = q.BatchSendDeadline,
                MinBackoff = q.MinBackoff,
                MaxBackoff = q.MaxBackoff,
                RetryOnRateLimit = q.RetryOnRateLimit,
            },
        };
    }

    /// <summary>
    /// The HTTP handler for the entry's <c>http_client_config</c>: a <see cref="SocketsHttpHandler"/> with its TLS and
    /// redirect settings, wrapped to add <c>basic_auth</c> or <c>authorization</c> to every request.
    /// </summary>
    /// <exception cref="InvalidOperationException">A TLS file cannot be read.</exception>
    public static HttpMessageHandler CreateHandler(RemoteWriteConfig config, PrometheusConfig root)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(root);
        var sockets = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = true };
        try
        {
            HttpClientSettings.HandlerConfigurer(config.HttpClient, root)?.Invoke(sockets);
        }
        catch
        {
            sockets.Dispose();
            throw;
        }
        return HttpClientSettings.RequestConfigurer(config.HttpClient, root) is { } configure
            ? new RequestConfiguringHandler(configure) { InnerHandler = sockets }
            : sockets;
    }

    private static string Describe(RemoteWriteConfig c, PrometheusConfig root)
    {
        var b = new StringBuilder();
        b.Append(c.Url).Append('\u0001').Append(c.Name).Append('\u0001').Append(c.RemoteTimeout.Ticks.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in c.Headers.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            b.Append("\u0001h:").Append(name).Append('=').Append(value);
        }
        foreach (var r in c.WriteRelabelConfigs)
        {
            b.Append("\u0001r:").AppendJoin(',', r.SourceLabels).Append('|').Append(r.Separator).Append('|').Append(r.Regex.Source)
                .Append('|').Append(r.Modulus.ToString(CultureInfo.InvariantCulture)).Append('|').Append(r.TargetLabel).Append('|')
                .Append(r.Replacement).Append('|').Append(r.Action.ToString());
        }
        var q = c.Queue;
        b.Append(CultureInfo.InvariantCulture, $"\u0001q:{q.Capacity},{q.MinShards},{q.MaxShards},{q.MaxSamplesPerSend},{q.BatchSendDeadline.Ticks},{q.MinBackoff.Ticks},{q.MaxBackoff.Ticks},{q.RetryOnRateLimit}");
        var http = c.HttpClient;
        b.Append("\u0001a:").Append(http.BasicAuth?.Username).Append('|').Append(http.BasicAuth?.PasswordFile).Append('|')
            .Append(http.Authorization?.Type).Append('|').Append(http.Authorization?.CredentialsFile).Append('|')
            .Append(HttpClientSettings.HandlerKey(http)).Append('|').Append(http.ProxyUrl);
        b.Append("\u0001e:").Append(root.Global.ExternalLabels.ToString()).Append("\u0001d:").Append(root.Directory);
        return b.ToString();
    }

    private sealed class RequestConfiguringHandler(Action<HttpRequestMessage> configure) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            configure(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
