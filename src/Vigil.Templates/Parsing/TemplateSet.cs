using System.Text;
using Vigil.Templates.Execution;

namespace Vigil.Templates.Parsing;

/// <summary>
/// Go's template "common" part: every template of a set by name, the functions and the options they share.
/// Parsing adds to it (Go's <c>AddParseTree</c>/<c>associate</c>); executing only reads it.
/// </summary>
internal sealed class TemplateSet
{
    private readonly Dictionary<string, ParseTree> _trees = new(StringComparer.Ordinal);
    private readonly object _gate = new();

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

    public IReadOnlyCollection<string> Names
    {
        get
        {
            lock (_gate)
            {
                return [.. _trees.Keys];
            }
        }
    }

    public bool TryFindFunction(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TemplateFunction? function)
        => Functions.TryGet(name, out function) || Builtins.TryGet(name, out function);

    private bool HasFunction(string name) => Functions.Contains(name) || Builtins.Contains(name);

    public ParseTree? Lookup(string name)
    {
        lock (_gate)
        {
            return _trees.GetValueOrDefault(name);
        }
    }

    /// <summary>Parses <paramref name="text"/> as template <paramref name="name"/> and adds every tree it defines.</summary>
    public void AddParse(string name, string text)
    {
        var trees = Parser.Parse(name, text, LeftDelimiter, RightDelimiter, HasFunction);
        lock (_gate)
        {
            foreach (var (treeName, tree) in trees)
            {
                // Go's associate: a template that is only whitespace and comments does not replace a defined one.
                if (_trees.TryGetValue(treeName, out var old) && ParseTree.IsEmpty(tree.Root) && old.Root is not null)
                {
                    continue;
                }
                _trees[treeName] = tree;
            }
        }
    }

    public string Execute(string name, object? data)
    {
        var sb = new StringBuilder(256);
        Execute(name, name, data, sb);
        return sb.ToString();
    }

    public string ExecuteNamed(string owner, string name, object? data)
    {
        var sb = new StringBuilder(256);
        Execute(owner, name, data, sb);
        return sb.ToString();
    }

    public void Execute(string owner, string name, object? data, StringBuilder output, TemplateFunctions? bound = null)
    {
        var tree = Lookup(name);
        if (tree is null)
        {
            if (owner == name)
            {
                throw new TemplateException($"template: {name}: {GoQuoting.Quote(name)} is an incomplete or empty template");
            }
            throw new TemplateException($"template: no template {GoQuoting.Quote(name)} associated with template {GoQuoting.Quote(owner)}");
        }
        Executor.Execute(this, tree, data, output, bound);
    }
}
