using System.Text;
using Vigil.Model;

namespace Vigil.Alerting.Alerts;

/// <summary>Alertmanager 0.25's <c>types.Alert.Validate</c>, with its messages.</summary>
public static class AlertValidation
{
    /// <summary>Why <paramref name="alert"/> is invalid, or null when it is valid.</summary>
    public static string? Validate(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.StartsAt == DateTimeOffset.MinValue)
        {
            return "start time missing";
        }
        if (alert.EndsAt != DateTimeOffset.MinValue && alert.EndsAt < alert.StartsAt)
        {
            return "start time must be before end time";
        }
        if (LabelSetError(alert.Labels) is { } labelError)
        {
            return "invalid label set: " + labelError;
        }
        if (alert.Labels.Count == 0)
        {
            return "at least one label pair required";
        }
        foreach (var (name, value) in alert.Annotations)
        {
            if (NameOrValueError(name, value) is { } error)
            {
                return "invalid annotations: " + error;
            }
        }
        return null;
    }

    /// <summary>prometheus/common's <c>LabelSet.Validate</c>: <c>invalid name "a-b"</c> or <c>invalid value "..."</c>.</summary>
    public static string? LabelSetError(Labels labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var label in labels.AsSpan())
        {
            if (NameOrValueError(label.Name, label.Value) is { } error)
            {
                return error;
            }
        }
        return null;
    }

    private static string? NameOrValueError(string name, string value)
    {
        if (!LabelText.IsValidLabelName(name))
        {
            return "invalid name " + GoQuote(name);
        }
        // Go strings from JSON are valid UTF-8 unless they carry lone surrogates, which decode to U+FFFD there.
        foreach (var c in value)
        {
            if (char.IsSurrogate(c))
            {
                return "invalid value " + GoQuote(value);
            }
        }
        return null;
    }

    private static string GoQuote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }
}
