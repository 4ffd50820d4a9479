using System.Text.Json;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Config;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Templates;
using Vigil.Templates;

namespace Vigil.Alerting.Receivers;

/// <summary>
/// <c>slack_configs</c> through an incoming webhook (Alertmanager 0.25's <c>notify/slack</c>): one attachment with the
/// templated title (at most 1024 runes), title link, pretext, text, fallback, callback id, fields, actions, footer,
/// color and <c>mrkdwn_in</c> (default <c>fallback, pretext, text</c>); channel, username, icon and link_names on the
/// message. 2xx succeeds, 5xx and transport errors are retried.
/// </summary>
public sealed class SlackNotifier : INotifier
{
    private const int MaxTitleLenRunes = 1024;
    private readonly SlackConfig _config;
    private readonly NotificationTemplates _templates;
    private readonly HttpClient _client;
    private readonly TimeSpan _timeout;

    /// <summary>Creates the integration.</summary>
    public SlackNotifier(SlackConfig config, int index, NotificationTemplates templates, HttpClient client, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentNullException.ThrowIfNull(client);
        _config = config;
        _templates = templates;
        _client = client;
        _timeout = timeout;
        Index = index;
    }

    /// <inheritdoc/>
    public string Integration => "slack";

    /// <inheritdoc/>
    public int Index { get; }

    /// <inheritdoc/>
    public bool SendResolved => _config.SendResolved;

    /// <inheritdoc/>
    public Task<NotifyResult> NotifyAsync(NotificationContext context, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        byte[] body;
        try
        {
            body = Payload(TemplateData.Create(context, alerts));
        }
        catch (TemplateException e)
        {
            return Task.FromResult(NotifyResult.Permanent(e));
        }
        string url;
        try
        {
            url = _config.ApiUrl ?? NotifierHttp.ReadSecretFile(_config.ApiUrlFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(NotifyResult.Permanent(new IOException($"read api_url_file: {e.Message}", e)));
        }
        return NotifierHttp.PostJsonAsync(_client, url, body, _timeout, null, null, ct);
    }

    /// <summary>The JSON body for <paramref name="data"/>.</summary>
    public byte[] Payload(TemplateData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        string T(string text) => _templates.ExecuteText(text, data);
        var title = NotifierHttp.TruncateInRunes(T(_config.Title), MaxTitleLenRunes, out _);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, NotifierHttp.WriterOptions))
        {
            w.WriteStartObject();
            OmitEmpty(w, "channel", T(_config.Channel));
            OmitEmpty(w, "username", T(_config.Username));
            OmitEmpty(w, "icon_emoji", T(_config.IconEmoji));
            OmitEmpty(w, "icon_url", T(_config.IconUrl));
            if (_config.LinkNames)
            {
                w.WriteBoolean("link_names", true);
            }
            w.WriteStartArray("attachments");
            w.WriteStartObject();
            OmitEmpty(w, "title", title);
            OmitEmpty(w, "title_link", T(_config.TitleLink));
            OmitEmpty(w, "pretext", T(_config.Pretext));
            w.WriteString("text", T(_config.Text));
            w.WriteString("fallback", T(_config.Fallback));
            w.WriteString("callback_id", T(_config.CallbackId));
            if (_config.Fields.Count > 0)
            {
                w.WriteStartArray("fields");
                foreach (var f in _config.Fields)
                {
                    w.WriteStartObject();
                    w.WriteString("title", T(f.Title));
                    w.WriteString("value", T(f.Value));
                    w.WriteBoolean("short", f.Short ?? _config.ShortFields);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (_config.Actions.Count > 0)
            {
                w.WriteStartArray("actions");
                foreach (var a in _config.Actions)
                {
                    w.WriteStartObject();
                    w.WriteString("type", T(a.Type));
                    w.WriteString("text", T(a.Text));
                    OmitEmpty(w, "url", T(a.Url));
                    OmitEmpty(w, "style", T(a.Style));
                    OmitEmpty(w, "name", T(a.Name));
                    OmitEmpty(w, "value", T(a.Value));
                    if (a.Confirm is { } c)
                    {
                        w.WriteStartObject("confirm");
                        w.WriteString("text", T(c.Text));
                        OmitEmpty(w, "title", T(c.Title));
                        OmitEmpty(w, "ok_text", T(c.OkText));
                        OmitEmpty(w, "dismiss_text", T(c.DismissText));
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            OmitEmpty(w, "image_url", T(_config.ImageUrl));
            OmitEmpty(w, "thumb_url", T(_config.ThumbUrl));
            w.WriteString("footer", T(_config.Footer));
            OmitEmpty(w, "color", T(_config.Color));
            w.WriteStartArray("mrkdwn_in");
            foreach (var m in _config.MrkdwnIn.Count > 0 ? _config.MrkdwnIn : ["fallback", "pretext", "text"])
            {
                w.WriteStringValue(m);
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static void OmitEmpty(Utf8JsonWriter w, string name, string value)
    {
        if (value.Length > 0)
        {
            w.WriteString(name, value);
        }
    }
}
