using System.Text.Json;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Config;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Templates;

namespace Vigil.Alerting.Receivers;

/// <summary>
/// <c>webhook_configs</c> (Alertmanager 0.25's <c>notify/webhook</c>): POSTs the payload version 4 with the fields in
/// Alertmanager's order, at most <c>max_alerts</c> alerts (the rest counted in <c>truncatedAlerts</c>). 2xx succeeds,
/// 5xx and transport errors are retried, other statuses are given up.
/// </summary>
public sealed class WebhookNotifier : INotifier
{
    private readonly WebhookConfig _config;
    private readonly HttpClient _client;
    private readonly TimeSpan _timeout;

    /// <summary>Creates the integration.</summary>
    public WebhookNotifier(WebhookConfig config, int index, HttpClient client, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(client);
        _config = config;
        _client = client;
        _timeout = timeout;
        Index = index;
    }

    /// <inheritdoc/>
    public string Integration => "webhook";

    /// <inheritdoc/>
    public int Index { get; }

    /// <inheritdoc/>
    public bool SendResolved => _config.SendResolved;

    /// <inheritdoc/>
    public Task<NotifyResult> NotifyAsync(NotificationContext context, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        var body = Payload(context, alerts, _config.MaxAlerts);
        return NotifierHttp.PostJsonAsync(_client, _config.Url, body, _timeout, null, null, ct);
    }

    /// <summary>The JSON body: <c>receiver, status, alerts, groupLabels, commonLabels, commonAnnotations, externalURL, version, groupKey, truncatedAlerts</c>.</summary>
    public static byte[] Payload(NotificationContext context, IReadOnlyList<Alert> alerts, ulong maxAlerts)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(alerts);
        var data = TemplateData.Create(context, alerts);
        var count = data.Alerts.Count;
        var truncated = 0;
        if (maxAlerts > 0 && (ulong)count > maxAlerts)
        {
            truncated = count - (int)maxAlerts;
            count = (int)maxAlerts;
        }
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, NotifierHttp.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("receiver", data.Receiver);
            w.WriteString("status", data.Status);
            w.WriteStartArray("alerts");
            for (var i = 0; i < count; i++)
            {
                var a = data.Alerts[i];
                w.WriteStartObject();
                w.WriteString("status", a.Status);
                WriteKv(w, "labels", a.Labels);
                WriteKv(w, "annotations", a.Annotations);
                w.WriteString("startsAt", NotifierHttp.FormatTime(a.StartsAt));
                w.WriteString("endsAt", NotifierHttp.FormatTime(a.EndsAt));
                w.WriteString("generatorURL", a.GeneratorURL);
                w.WriteString("fingerprint", a.Fingerprint);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WriteKv(w, "groupLabels", data.GroupLabels);
            WriteKv(w, "commonLabels", data.CommonLabels);
            WriteKv(w, "commonAnnotations", data.CommonAnnotations);
            w.WriteString("externalURL", data.ExternalURL);
            w.WriteString("version", "4");
            w.WriteString("groupKey", context.GroupKey);
            w.WriteNumber("truncatedAlerts", truncated);
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>A Go map[string]string: keys sorted bytewise, as encoding/json writes maps.</summary>
    internal static void WriteKv(Utf8JsonWriter w, string name, KV kv)
    {
        w.WriteStartObject(name);
        var map = kv.AsDictionary();
        var keys = map.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        foreach (var k in keys)
        {
            w.WriteString(k, map[k]);
        }
        w.WriteEndObject();
    }

    internal static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        var keys = map.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        foreach (var k in keys)
        {
            w.WriteString(k, map[k]);
        }
        w.WriteEndObject();
    }
}
