using Vigil.Templates.Execution;

namespace Vigil.Templates;

/// <summary>
/// The custom functions a template may call (Go's <c>template.FuncMap</c>), by name. Go's builtins (<c>and</c>,
/// <c>printf</c>, <c>index</c>, …) are always present; a function added under a builtin's name replaces it, as in Go.
/// </summary>
/// <remarks>
/// A function is any delegate returning one value, or nothing. Parameters are matched by Go's rules against the
/// delegate's .NET types (<see cref="string"/> = string, <see cref="double"/> = float64, <see cref="long"/>/<see cref="int"/> = int,
/// <see cref="bool"/>, <see cref="object"/> = interface{}, a trailing <c>params object?[]</c> = <c>...interface{}</c>).
/// An exception thrown by the delegate is the function's error (<c>error calling NAME: MESSAGE</c>).
/// </remarks>
public sealed class TemplateFunctions
{
    private readonly Dictionary<string, TemplateFunction> _functions = new(StringComparer.Ordinal);

    /// <summary>The number of custom functions.</summary>
    public int Count => _functions.Count;

    /// <summary>The custom functions' names.</summary>
    public IEnumerable<string> Names => _functions.Keys;

    /// <summary>Adds (or replaces) the function <paramref name="name"/>.</summary>
    public TemplateFunctions Add(string name, Delegate function)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(function);
        if (!TemplateFunction.IsValidName(name))
        {
            throw new ArgumentException($"function name \"{name}\" is not a valid identifier", nameof(name));
        }
        _functions[name] = TemplateFunction.FromDelegate(name, function);
        return this;
    }

    /// <summary>Adds every function of <paramref name="other"/>, replacing same-named ones.</summary>
    public TemplateFunctions AddAll(TemplateFunctions other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (name, function) in other._functions)
        {
            _functions[name] = function;
        }
        return this;
    }

    /// <summary>Whether a custom function <paramref name="name"/> exists.</summary>
    public bool Contains(string name) => _functions.ContainsKey(name);

    internal void AddInternal(TemplateFunction function) => _functions[function.Name] = function;

    internal bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TemplateFunction? function)
        => _functions.TryGetValue(name, out function);
}
