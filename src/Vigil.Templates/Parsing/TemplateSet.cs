using System.Text;

namespace Vigil.Templates.Parsing;

internal sealed class TemplateSet
{
    private readonly Dictionary<string, object> _trees = new(StringComparer.Ordinal);

    public TemplateSet(TemplateFunctions functions, MissingKeyBehavior missingKey, string leftDelimiter, string rightDelimiter)
    {
        Functions = functions;
        MissingKey = missingKey;
        LeftDelimiter = leftDelimiter;
        RightDelimiter = rightDelimiter;
    }

    public TemplateFunctions Functions { get; }

    public MissingKeyBehavior MissingKey { get; }

    public string LeftDelimiter { get; }

    public string RightDelimiter { get; }

    public IReadOnlyCollection<string> Names => _trees.Keys;

    public void AddParse(string name, string text) => throw new NotImplementedException(name + text);

    public string Execute(string name, object? data) => throw new NotImplementedException(name + data);

    public string ExecuteNamed(string owner, string name, object? data) => throw new NotImplementedException(owner + name + data);

    public void Execute(string owner, string name, object? data, StringBuilder output) => throw new NotImplementedException(owner + name + data + output);
}
