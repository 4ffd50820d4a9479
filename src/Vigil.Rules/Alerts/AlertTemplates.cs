using Vigil.Model;
using Vigil.Templates;

namespace Vigil.Rules.Alerts;

/// <summary>
/// Alerting rules' label and annotation templates as Prometheus 2.42 runs them (<c>rules/alerting.go</c>): the text is
/// prefixed with <see cref="AlertTemplateData.Definitions"/> and named <c>__alert_NAME</c>; a failure while expanding
/// becomes the value itself, <c>&lt;error expanding template: ...&gt;</c>.
/// </summary>
public static class AlertTemplates
{
    /// <summary>The template name Prometheus gives an alert's templates.</summary>
    public static string TemplateName(string alertName) => "__alert_" + alertName;

    /// <summary>Parses <paramref name="text"/> as <c>promtool check rules</c> does; the Go error text, or null when it parses.</summary>
    public static string? ParseTest(string alertName, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            // Text without actions always parses.
            return null;
        }
        var data = AlertTemplateData.Create(s_empty, s_empty, "", 0);
        var expander = new PrometheusTemplateExpander(AlertTemplateData.Definitions + text, TemplateName(alertName), data, 0, null, "");
        try
        {
            expander.ParseTest();
            return null;
        }
        catch (TemplateException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Expands one label or annotation value for an alert with <paramref name="labels"/> and <paramref name="value"/>,
    /// at <paramref name="timestampMs"/> (when <c>query</c> runs). Errors become the text, as Prometheus does.
    /// <paramref name="functionsUrl"/> is what the <c>externalURL</c>/<c>pathPrefix</c> functions see (null: Go's nil URL,
    /// as in promtool), while <paramref name="externalUrl"/> is <c>$externalURL</c>.
    /// </summary>
    public static string Expand(
        string alertName,
        string text,
        IReadOnlyDictionary<string, string> labels,
        double value,
        IReadOnlyDictionary<string, string> externalLabels,
        string externalUrl,
        long timestampMs,
        TemplateQueryFunc? query,
        string? functionsUrl)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            // Nothing to expand: the definitions alone produce no output.
            return text;
        }
        var data = AlertTemplateData.Create(labels, externalLabels, externalUrl, value);
        var expander = new PrometheusTemplateExpander(AlertTemplateData.Definitions + text, TemplateName(alertName), data, timestampMs, query, functionsUrl);
        try
        {
            return expander.Expand();
        }
        catch (TemplateException e)
        {
            return $"<error expanding template: {e.Message}>";
        }
    }

    /// <summary>A label set as the map templates see in <c>$labels</c>.</summary>
    public static Dictionary<string, string> ToMap(Labels labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var map = new Dictionary<string, string>(labels.Count, StringComparer.Ordinal);
        foreach (var l in labels)
        {
            map[l.Name] = l.Value;
        }
        return map;
    }

    private static readonly Dictionary<string, string> s_empty = new(StringComparer.Ordinal);
}

/// <summary>How Prometheus prints an alert's value in its API (<c>strconv.FormatFloat(v, 'e', -1, 64)</c>: <c>1e+00</c>).</summary>
public static class AlertValueFormat
{
    /// <summary>Formats <paramref name="value"/>: shortest digits, exponent of at least two digits, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string Format(double value) => UnitTesting.GoExponentFloat.Format(value).Replace('E', 'e');
}
