using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Config;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Templates;
using Vigil.Templates;

namespace Vigil.Alerting.Receivers;

/// <summary>
/// <c>pagerduty_configs</c> (Alertmanager 0.25's <c>notify/pagerduty</c>): Events API v2 with <c>routing_key</c>
/// (<c>trigger</c> while anything fires, else <c>resolve</c>; <c>dedup_key</c> = SHA-256 of the group key in hex;
/// summary at most 1024 runes; severity default <c>error</c>; source default the client; templated custom details),
/// or v1 with <c>service_key</c>. An event over 512 KB loses its details, as in Alertmanager. 2xx succeeds; 5xx, 429
/// and transport errors are retried.
/// </summary>
public sealed class PagerdutyNotifier : INotifier
{
    private const int MaxSummaryLenRunes = 1024;
    private const int MaxEventSize = 512000;
    private static readonly int[] s_retryCodes = [429];
    private readonly PagerdutyConfig _config;
    private readonly NotificationTemplates _templates;
    private readonly HttpClient _client;
    private readonly TimeSpan _timeout;
    private readonly string _url;

    /// <summary>Creates the integration; <paramref name="defaultUrl"/> is the global <c>pagerduty_url</c>.</summary>
    public PagerdutyNotifier(PagerdutyConfig config, int index, NotificationTemplates templates, HttpClient client, TimeSpan timeout, string defaultUrl)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentNullException.ThrowIfNull(client);
        _config = config;
        _templates = templates;
        _client = client;
        _timeout = timeout;
        _url = config.Url.Length > 0 ? config.Url : defaultUrl;
        if (IsV1 && config.Url.Length == 0)
        {
            _url = "https://events.pagerduty.com/generic/2010-04-15/create_event.json";
        }
        Index = index;
    }

    private bool IsV1 => _config.ServiceKey.Length > 0 || _config.ServiceKeyFile.Length > 0;

    /// <inheritdoc/>
    public string Integration => "pagerduty";

    /// <inheritdoc/>
    public int Index { get; }

    /// <inheritdoc/>
    public bool SendResolved => _config.SendResolved;

    /// <summary>Alertmanager's <c>Key.Hash</c>: the SHA-256 of the group key, lower-case hex.</summary>
    public static string DedupKey(string groupKey)
    {
        ArgumentNullException.ThrowIfNull(groupKey);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(groupKey)));
    }

    /// <inheritdoc/>
    public Task<NotifyResult> NotifyAsync(NotificationContext context, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        byte[] body;
        try
        {
            body = Payload(context, TemplateData.Create(context, alerts));
        }
        catch (TemplateException e)
        {
            return Task.FromResult(NotifyResult.Permanent(e));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(NotifyResult.Permanent(new IOException($"failed to read routing or service key from file: {e.Message}", e)));
        }
        return NotifierHttp.PostJsonAsync(_client, _url, body, _timeout, s_retryCodes, ErrorDetails, ct);
    }

    /// <summary>The JSON event for one notification.</summary>
    public byte[] Payload(NotificationContext context, TemplateData data)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        string T(string text) => _templates.ExecuteText(text, data);
        var resolved = data.Status == "resolved";
        var details = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in _config.Details.Count > 0 ? _config.Details : PagerdutyConfig.DefaultDetails)
        {
            details[k] = T(v);
        }
        var body = Write(context, data, details, T, resolved);
        if (body.Length > MaxEventSize)
        {
            var error = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["error"] = "Custom details have been removed because the original event exceeds the maximum size of 512kB",
            };
            body = Write(context, data, error, T, resolved);
        }
        return body;
    }

    private byte[] Write(NotificationContext context, TemplateData data, IReadOnlyDictionary<string, string> details, Func<string, string> T, bool resolved)
    {
        var key = DedupKey(context.GroupKey);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, NotifierHttp.WriterOptions))
        {
            w.WriteStartObject();
            if (IsV1)
            {
                var serviceKey = _config.ServiceKey.Length > 0 ? _config.ServiceKey : NotifierHttp.ReadSecretFile(_config.ServiceKeyFile);
                w.WriteString("service_key", serviceKey);
                w.WriteString("incident_key", key);
                w.WriteString("event_type", resolved ? "resolve" : "trigger");
                var description = NotifierHttp.TruncateInRunes(T(_config.Description), MaxSummaryLenRunes, out _);
                if (description.Length > 0)
                {
                    w.WriteString("description", description);
                }
                // v1 has no event_action or payload; Go's struct still writes "event_action" and "payload" (null).
                w.WriteString("event_action", "");
                w.WriteNull("payload");
                OmitEmpty(w, "client", T(_config.Client));
                OmitEmpty(w, "client_url", T(_config.ClientUrl));
                if (details.Count > 0)
                {
                    WebhookNotifier.WriteMap(w, "details", details);
                }
            }
            else
            {
                var routingKey = _config.RoutingKey.Length > 0 ? _config.RoutingKey : NotifierHttp.ReadSecretFile(_config.RoutingKeyFile);
                w.WriteString("routing_key", routingKey);
                w.WriteString("dedup_key", key);
                w.WriteString("event_action", resolved ? "resolve" : "trigger");
                w.WriteStartObject("payload");
                w.WriteString("summary", NotifierHttp.TruncateInRunes(T(_config.Description), MaxSummaryLenRunes, out _));
                var client = T(_config.Client);
                var source = T(_config.Source);
                w.WriteString("source", source.Length > 0 ? source : client);
                var severity = T(_config.Severity);
                w.WriteString("severity", severity.Length > 0 ? severity : "error");
                OmitEmpty(w, "class", T(_config.Class));
                OmitEmpty(w, "component", T(_config.Component));
                OmitEmpty(w, "group", T(_config.Group));
                if (details.Count > 0)
                {
                    WebhookNotifier.WriteMap(w, "custom_details", details);
                }
                w.WriteEndObject();
                OmitEmpty(w, "client", client);
                OmitEmpty(w, "client_url", T(_config.ClientUrl));
                if (_config.Images.Count > 0)
                {
                    w.WriteStartArray("images");
                    foreach (var image in _config.Images)
                    {
                        w.WriteStartObject();
                        w.WriteString("src", T(image.Src));
                        OmitEmpty(w, "href", T(image.Href));
                        OmitEmpty(w, "alt", T(image.Alt));
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                if (_config.Links.Count > 0)
                {
                    w.WriteStartArray("links");
                    foreach (var link in _config.Links)
                    {
                        w.WriteStartObject();
                        w.WriteString("href", T(link.Href));
                        w.WriteString("text", T(link.Text));
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
            }
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    // Alertmanager's errDetails: the Events API's {"status","message","errors"} body, summarised.
    private static string ErrorDetails(int status, string body)
    {
        if (status is not (400 or 413 or 429) && status / 100 != 5)
        {
            return body;
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : "";
            var errors = new List<string>();
            if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray())
                {
                    errors.Add(item.ToString());
                }
            }
            return $"{message}: {string.Join(",", errors)}";
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private static void OmitEmpty(Utf8JsonWriter w, string name, string value)
    {
        if (value.Length > 0)
        {
            w.WriteString(name, value);
        }
    }
}
