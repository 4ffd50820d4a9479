namespace Vigil.Templates;

internal static class PrometheusFunctions
{
    public static TemplateFunctions Create(long timestampMs, TemplateQueryFunc? query, string externalUrl) => throw new NotImplementedException($"{timestampMs}{query}{externalUrl}");
}
