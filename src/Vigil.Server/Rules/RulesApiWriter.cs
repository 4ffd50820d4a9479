using System.Text;
using System.Text.Json;
using Vigil.Model.Exposition;
using Vigil.Rules.Alerts;
using Vigil.Rules.Evaluation;
using Vigil.Server.Api;

namespace Vigil.Server.Rules;

/// <summary>
/// The bodies of <c>/api/v1/rules</c> and <c>/api/v1/alerts</c> in Prometheus 2.42's shapes (<c>web/api/v1/api.go</c>):
/// groups with their rules (alerting: state, duration, keepFiringFor, labels, annotations, alerts; recording: labels
/// only when present), health, lastError, evaluationTime and lastEvaluation.
/// </summary>
public static class RulesApiWriter
{
    private const string ZeroTime = "0001-01-01T00:00:00Z";

    /// <summary>Writes <c>{"groups":[...]}</c>; <paramref name="type"/> is <c>""</c>, <c>alert</c> or <c>record</c>.</summary>
    public static void WriteRules(Utf8JsonWriter w, RuleManager? manager, string type)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        w.WriteStartArray("groups"u8);
        if (manager is not null)
        {
            foreach (var g in manager.Groups)
            {
                var rules = new List<Rule>(g.Rules.Count);
                foreach (var r in g.Rules)
                {
                    if (type.Length == 0 || (type == "alert" && r is AlertingRule) || (type == "record" && r is RecordingRule))
                    {
                        rules.Add(r);
                    }
                }
                // Prometheus leaves out groups that have no rule of the requested type.
                if (type.Length > 0 && rules.Count == 0)
                {
                    continue;
                }
                w.WriteStartObject();
                w.WriteString("name"u8, g.Name);
                w.WriteString("file"u8, g.File);
                w.WriteStartArray("rules"u8);
                foreach (var r in rules)
                {
                    WriteRule(w, r);
                }
                w.WriteEndArray();
                WriteGoNumber(w, "interval"u8, g.Interval.TotalSeconds);
                w.WriteNumber("limit"u8, g.Limit);
                WriteGoNumber(w, "evaluationTime"u8, g.EvaluationDuration.TotalSeconds);
                w.WriteString("lastEvaluation"u8, Time(g.LastEvaluation));
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes <c>{"alerts":[...]}</c>: every pending and firing alert of every alerting rule.</summary>
    public static void WriteAlerts(Utf8JsonWriter w, RuleManager? manager)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        w.WriteStartArray("alerts"u8);
        if (manager is not null)
        {
            foreach (var rule in manager.AlertingRules())
            {
                foreach (var a in rule.ActiveAlerts())
                {
                    WriteAlert(w, a);
                }
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter w, Rule r)
    {
        w.WriteStartObject();
        if (r is AlertingRule a)
        {
            var alerts = a.ActiveAlerts();
            w.WriteString("state"u8, StateName(a.State));
            w.WriteString("name"u8, a.Name);
            w.WriteString("query"u8, a.Query);
            WriteGoNumber(w, "duration"u8, a.HoldDuration.TotalSeconds);
            WriteGoNumber(w, "keepFiringFor"u8, a.KeepFiringFor.TotalSeconds);
            w.WriteStartObject("labels"u8);
            QueryResultWriter.WriteLabels(w, a.Labels);
            w.WriteEndObject();
            w.WriteStartObject("annotations"u8);
            QueryResultWriter.WriteLabels(w, a.Annotations);
            w.WriteEndObject();
            w.WriteStartArray("alerts"u8);
            foreach (var alert in alerts)
            {
                WriteAlert(w, alert);
            }
            w.WriteEndArray();
        }
        else
        {
            w.WriteString("name"u8, r.Name);
            w.WriteString("query"u8, r.Query);
            if (r.Labels.Count > 0)
            {
                w.WriteStartObject("labels"u8);
                QueryResultWriter.WriteLabels(w, r.Labels);
                w.WriteEndObject();
            }
        }
        w.WriteString("health"u8, r.Health switch { RuleHealth.Good => "ok", RuleHealth.Bad => "err", _ => "unknown" });
        if (r.LastError is { Length: > 0 } error)
        {
            w.WriteString("lastError"u8, error);
        }
        WriteGoNumber(w, "evaluationTime"u8, r.EvaluationDuration.TotalSeconds);
        w.WriteString("lastEvaluation"u8, Time(r.LastEvaluation));
        w.WriteString("type"u8, r is AlertingRule ? "alerting" : "recording");
        w.WriteEndObject();
    }

    private static void WriteAlert(Utf8JsonWriter w, Alert a)
    {
        w.WriteStartObject();
        w.WriteStartObject("labels"u8);
        QueryResultWriter.WriteLabels(w, a.Labels);
        w.WriteEndObject();
        w.WriteStartObject("annotations"u8);
        QueryResultWriter.WriteLabels(w, a.Annotations);
        w.WriteEndObject();
        w.WriteString("state"u8, StateName(a.State));
        w.WriteString("activeAt"u8, Time(a.ActiveAt));
        w.WriteString("value"u8, AlertValueFormat.Format(a.Value));
        w.WriteEndObject();
    }

    private static string StateName(AlertState state) => state switch
    {
        AlertState.Firing => "firing",
        AlertState.Pending => "pending",
        _ => "inactive",
    };

    private static string Time(DateTimeOffset t) => t == default ? ZeroTime : PrometheusApi.FormatRfc3339Nano(t);

    /// <summary>A float64 as Go's encoding/json writes it: 'f' form, or 'e' below 1e-6 and from 1e21 (with <c>e-7</c>, not <c>e-07</c>).</summary>
    internal static void WriteGoNumber(Utf8JsonWriter w, ReadOnlySpan<byte> name, double value)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(GoJsonNumber(value), skipInputValidation: true);
    }

    internal static string GoJsonNumber(double value)
    {
        var abs = Math.Abs(value);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            var s = AlertValueFormat.Format(value);
            var n = s.Length;
            if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0')
            {
                s = new StringBuilder(s).Remove(n - 2, 1).ToString();
            }
            return s;
        }
        return GoFloat.FormatFixed(value);
    }
}
