using Vigil.Templates.Execution;

namespace Vigil.Templates;

/// <summary>
/// The data Prometheus 2.42 passes to alerting rules' label and annotation templates (<c>template.AlertTemplateData</c>),
/// and the variable definitions it puts in front of every such template (<c>rules/alerting.go</c>).
/// </summary>
public static class AlertTemplateData
{
    /// <summary>Prepended to every alert label/annotation template, so <c>$labels</c>, <c>$value</c>, … exist.</summary>
    public const string Definitions = "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}";

    /// <summary>The template data: <c>.Labels</c>, <c>.ExternalLabels</c> (maps), <c>.ExternalURL</c> (string), <c>.Value</c> (float64).</summary>
    public static object Create(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> externalLabels, string externalUrl, double value)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(externalLabels);
        ArgumentNullException.ThrowIfNull(externalUrl);
        return new AlertData(labels, externalLabels, externalUrl, value);
    }

    /// <summary>Go's anonymous struct <c>{Labels, ExternalLabels map[string]string; ExternalURL string; Value interface{}}</c>.</summary>
    public sealed class AlertData : IGoValue
    {
        internal AlertData(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> externalLabels, string externalUrl, double value)
        {
            Labels = labels;
            ExternalLabels = externalLabels;
            ExternalURL = externalUrl;
            Value = value;
        }

        /// <summary>The alert's labels.</summary>
        public IReadOnlyDictionary<string, string> Labels { get; }

        /// <summary>The server's external labels.</summary>
        public IReadOnlyDictionary<string, string> ExternalLabels { get; }

        /// <summary>The server's external URL.</summary>
        public string ExternalURL { get; }

        /// <summary>The alert's value.</summary>
        public double Value { get; }

        string IGoValue.GoTypeName => "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }";
    }
}
