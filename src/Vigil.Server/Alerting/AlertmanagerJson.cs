using System.Globalization;
using System.Text.Json;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Silencing;
using Vigil.Model;

namespace Vigil.Server.Alerting;

/// <summary>Writes Alertmanager 0.25's API v2 JSON objects, fields in the order Alertmanager serves them.</summary>
internal static class AlertmanagerJson
{
    /// <summary>go-openapi's strfmt.DateTime: RFC 3339 with milliseconds, UTC as <c>Z</c>.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static void WriteAlert(Utf8JsonWriter json, Alert alert, AlertStatus status, IReadOnlyList<string> receivers)
    {
        json.WriteStartObject();
        json.WriteStartObject("annotations");
        foreach (var (name, value) in alert.Annotations)
        {
            json.WriteString(name, value);
        }
        json.WriteEndObject();
        json.WriteString("endsAt", Time(alert.EndsAt));
        json.WriteString("fingerprint", AlertFingerprint.Format(alert.Fingerprint));
        json.WriteStartArray("receivers");
        foreach (var r in receivers)
        {
            json.WriteStartObject();
            json.WriteString("name", r);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("startsAt", Time(alert.StartsAt));
        json.WriteStartObject("status");
        WriteStrings(json, "inhibitedBy", status.InhibitedBy);
        WriteStrings(json, "silencedBy", status.SilencedBy);
        json.WriteString("state", status.StateName);
        json.WriteEndObject();
        json.WriteString("updatedAt", Time(alert.UpdatedAt));
        if (alert.GeneratorUrl.Length > 0)
        {
            json.WriteString("generatorURL", alert.GeneratorUrl);
        }
        WriteLabels(json, "labels", alert.Labels);
        json.WriteEndObject();
    }

    public static void WriteSilence(Utf8JsonWriter json, Silence s, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("id", s.Id);
        json.WriteStartObject("status");
        json.WriteString("state", Silence.StateName(s.StateAt(now)));
        json.WriteEndObject();
        json.WriteString("updatedAt", Time(s.UpdatedAt));
        json.WriteString("comment", s.Comment);
        json.WriteString("createdBy", s.CreatedBy);
        json.WriteString("endsAt", Time(s.EndsAt));
        json.WriteStartArray("matchers");
        foreach (var m in s.Matchers)
        {
            json.WriteStartObject();
            json.WriteBoolean("isEqual", m.Type is LabelMatchType.Equal or LabelMatchType.Regex);
            json.WriteBoolean("isRegex", m.Type is LabelMatchType.Regex or LabelMatchType.NotRegex);
            json.WriteString("name", m.Name);
            json.WriteString("value", m.Value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("startsAt", Time(s.StartsAt));
        json.WriteEndObject();
    }

    public static void WriteLabels(Utf8JsonWriter json, string property, Labels labels)
    {
        json.WriteStartObject(property);
        foreach (var l in labels.AsSpan())
        {
            json.WriteString(l.Name, l.Value);
        }
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string property, IReadOnlyList<string> values)
    {
        json.WriteStartArray(property);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }
        json.WriteEndArray();
    }
}
