namespace Vigil.Templates;

/// <summary>
/// Prometheus 2.42's <c>template.Expander</c> in text mode: parses <c>text</c> as template <c>name</c> with
/// <c>missingkey=zero</c> and Prometheus's functions (<c>query</c>, <c>humanize</c>, <c>reReplaceAll</c>, …), executes it
/// on the data, and wraps errors as Prometheus does (<c>error parsing template NAME: …</c>, <c>error executing template NAME: …</c>).
/// </summary>
public sealed class PrometheusTemplateExpander
{
    private readonly string _text;
    private readonly string _name;
    private readonly object? _data;
    private readonly long _timestampMs;
    private readonly TemplateQueryFunc? _query;
    private readonly string? _externalUrl;

    /// <summary>Creates the expander (Prometheus's <c>NewTemplateExpander</c>).</summary>
    /// <param name="text">The template text (for alerts, <see cref="AlertTemplateData.Definitions"/> + the annotation).</param>
    /// <param name="name">The template name (Prometheus uses <c>__alert_NAME</c>).</param>
    /// <param name="data">The data (<see cref="AlertTemplateData.Create"/> for alerts).</param>
    /// <param name="timestampMs">The evaluation time: <c>query</c> runs at it.</param>
    /// <param name="query">Runs <c>query</c>'s PromQL; null makes <c>query</c> fail.</param>
    /// <param name="externalUrl">
    /// The server's external URL (<c>externalURL</c>, <c>pathPrefix</c>); null is Go's nil <c>*url.URL</c> (what
    /// <c>promtool test rules</c> passes), which makes both functions fail with Go's nil-pointer error.
    /// </param>
    public PrometheusTemplateExpander(string text, string name, object? data, long timestampMs, TemplateQueryFunc? query, string? externalUrl)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        _text = text;
        _name = name;
        _data = data;
        _timestampMs = timestampMs;
        _query = query;
        _externalUrl = externalUrl;
    }

    /// <summary>Parses and executes the template.</summary>
    /// <exception cref="TemplateException">Prometheus's wrapped error text.</exception>
    public string Expand()
    {
        PrometheusTemplate template;
        try
        {
            template = PrometheusTemplate.Parse(_text, _name);
        }
        catch (TemplateException e)
        {
            throw new TemplateException($"error parsing template {_name}: {e.Message}", e);
        }
        return template.Expand(_data, _timestampMs, _query, _externalUrl);
    }

    /// <summary>Only parses the template (what <c>promtool check rules</c> runs); the error is Go's, unwrapped.</summary>
    /// <exception cref="TemplateException">Go's parse error.</exception>
    public void ParseTest() => PrometheusTemplate.Parse(_text, _name);
}
