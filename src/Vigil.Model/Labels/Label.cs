namespace Vigil.Model;

/// <summary>One label: a name and a value. Empty values mean "label absent", as in Prometheus.</summary>
/// <param name="Name">The label name, e.g. <c>job</c> or <c>__name__</c>.</param>
/// <param name="Value">The label value; any UTF-8 string.</param>
public readonly record struct Label(string Name, string Value)
{
    /// <summary>The reserved label that carries a series' metric name.</summary>
    public const string MetricName = "__name__";

    /// <summary>Prometheus's <c>name="value"</c> notation.</summary>
    public override string ToString() => $"{Name}={LabelText.Quote(Value)}";
}
