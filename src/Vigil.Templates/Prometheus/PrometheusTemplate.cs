using System.Text;

namespace Vigil.Templates;

/// <summary>
/// A Prometheus 2.42 template parsed once (with Prometheus's functions and <c>missingkey=zero</c>) and expanded many
/// times, each time with its own data, evaluation time, query function and external URL. Expanding is thread-safe.
/// <see cref="PrometheusTemplateExpander"/> is the one-shot form Prometheus itself uses.
/// </summary>
public sealed class PrometheusTemplate
{
    private readonly GoTemplate _template;

    private PrometheusTemplate(GoTemplate template) => _template = template;

    /// <summary>The template's name.</summary>
    public string Name => _template.Name;

    /// <summary>Parses <paramref name="text"/> as template <paramref name="name"/>.</summary>
    /// <exception cref="TemplateException">Go's parse error, unwrapped (as <c>promtool check rules</c> prints it).</exception>
    public static PrometheusTemplate Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        return new PrometheusTemplate(GoTemplate.Parse(name, text, PrometheusFunctions.Unbound, MissingKeyBehavior.Zero));
    }

    /// <summary>Expands the template (see <see cref="PrometheusTemplateExpander"/> for the parameters).</summary>
    /// <exception cref="TemplateException">Prometheus's wrapped text, <c>error executing template NAME: …</c>.</exception>
    public string Expand(object? data, long timestampMs, TemplateQueryFunc? query, string? externalUrl)
    {
        var output = new StringBuilder(128);
        try
        {
            _template.Execute(output, data, PrometheusFunctions.Bind(timestampMs, query, externalUrl));
        }
        catch (TemplateException e)
        {
            throw new TemplateException($"error executing template {Name}: {e.Message}", e);
        }
        return output.ToString();
    }
}
