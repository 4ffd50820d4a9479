using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vigil.Model;
using Vigil.Rules.Alerts;

namespace Vigil.Server.Notifier;

/// <summary>
/// The body Prometheus 2.42 POSTs to <c>/api/v2/alerts</c> (<c>models.PostableAlerts</c>, go-openapi's field order:
/// annotations, endsAt, startsAt, generatorURL, labels; times as <c>strfmt.DateTime</c>, RFC 3339 with milliseconds).
/// </summary>
public static class AlertmanagerPayload
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON array for <paramref name="alerts"/>.</summary>
    public static byte[] Write(IReadOnlyList<OutgoingAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        using var stream = new MemoryStream(256 * alerts.Count + 2);
        using (var w = new Utf8JsonWriter(stream, s_options))
        {
            w.WriteStartArray();
            foreach (var a in alerts)
            {
                w.WriteStartObject();
                if (a.Annotations.Count > 0)
                {
                    WriteLabels(w, "annotations", a.Annotations);
                }
                if (a.EndsAt != DateTimeOffset.MinValue)
                {
                    w.WriteString("endsAt", Time(a.EndsAt));
                }
                if (a.StartsAt != DateTimeOffset.MinValue)
                {
                    w.WriteString("startsAt", Time(a.StartsAt));
                }
                if (a.GeneratorUrl.Length > 0)
                {
                    w.WriteString("generatorURL", a.GeneratorUrl);
                }
                WriteLabels(w, "labels", a.Labels);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return stream.ToArray();
    }

    /// <summary>strfmt.DateTime's format: <c>2006-01-02T15:04:05.000Z07:00</c>, in UTC.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteLabels(Utf8JsonWriter w, string name, Labels labels)
    {
        w.WriteStartObject(name);
        foreach (var l in labels.AsSpan())
        {
            w.WriteString(l.Name, l.Value);
        }
        w.WriteEndObject();
    }
}
