using Vigil.Templates.Execution;
using Vigil.Templates.Parsing;

namespace Vigil.Templates;

/// <summary>
/// A Go <c>text/template</c> (Go 1.19/1.20, what built Prometheus 2.42 and Alertmanager 0.25): a set of named templates
/// (<c>define</c>/<c>template</c>/<c>block</c>) sharing functions and options, parsed once and executed many times.
/// Every parse and execution error is a <see cref="TemplateException"/> whose message is Go's <c>err.Error()</c> text.
/// </summary>
/// <remarks>
/// Data is read as Go would read it: <see cref="IReadOnlyDictionary{TKey, TValue}"/> with string keys is a Go map
/// (<c>.key</c>, sorted ranging, <c>map[a:b]</c> printing), lists are slices, public properties and methods of other
/// objects are struct fields and methods; <see cref="string"/>, <see cref="double"/> (float64), <see cref="long"/>/<see cref="int"/>
/// (int), <see cref="bool"/> and null (nil) are the scalars. Instances are immutable once parsed except through
/// <see cref="ParseMore(string)"/>; executing is thread-safe.
/// </remarks>
public sealed class GoTemplate
{
    private readonly TemplateSet _set;

    private GoTemplate(TemplateSet set, string name)
    {
        _set = set;
        Name = name;
    }

    /// <summary>The name of the template <see cref="Execute(object?)"/> runs.</summary>
    public string Name { get; }

    /// <summary>The names of every template in the set (the top-level one and each <c>define</c>/<c>block</c>).</summary>
    public IReadOnlyCollection<string> TemplateNames => _set.Names;

    /// <summary>What executing a missing map key yields (Go's <c>Option("missingkey=…")</c>).</summary>
    public MissingKeyBehavior MissingKey => _set.MissingKey;

    /// <summary>
    /// Parses <paramref name="text"/> as the template <paramref name="name"/> (Go's <c>template.New(name).Funcs(functions).Parse(text)</c>).
    /// </summary>
    /// <exception cref="TemplateException">Go's parse error, e.g. <c>template: t:1: function "foo" not defined</c>.</exception>
    public static GoTemplate Parse(string name, string text, TemplateFunctions? functions = null)
        => Parse(name, text, functions, MissingKeyBehavior.Default);

    /// <summary>Like <see cref="Parse(string, string, TemplateFunctions?)"/>, with Go's <c>missingkey</c> option.</summary>
    public static GoTemplate Parse(string name, string text, TemplateFunctions? functions, MissingKeyBehavior missingKey, string leftDelimiter = "{{", string rightDelimiter = "}}")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(text);
        var set = new TemplateSet(functions ?? new TemplateFunctions(), missingKey, leftDelimiter, rightDelimiter);
        set.AddParse(name, text);
        return new GoTemplate(set, name);
    }

    /// <summary>
    /// Parses more text into the same set (Go's <c>t.Parse</c> again, or <c>ParseFiles</c>): its <c>define</c>s are added
    /// (replacing same-named ones) and, if it has content outside them, it replaces this template's body.
    /// </summary>
    /// <exception cref="TemplateException">Go's parse error.</exception>
    public GoTemplate ParseMore(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _set.AddParse(Name, text);
        return this;
    }

    /// <summary>
    /// Parses <paramref name="text"/> into the set as the template <paramref name="name"/> (Go's <c>ParseFiles</c>, which
    /// names each file's template after the file).
    /// </summary>
    public GoTemplate ParseMore(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(text);
        _set.AddParse(name, text);
        return this;
    }

    /// <summary>Executes this template on <paramref name="data"/> and returns the output.</summary>
    /// <exception cref="TemplateException">Go's execution error, e.g. <c>template: t:1:2: executing "t" at &lt;.A.B&gt;: …</c>.</exception>
    public string Execute(object? data) => _set.Execute(Name, data);

    /// <summary>Executes the template <paramref name="name"/> of the set on <paramref name="data"/>.</summary>
    /// <exception cref="TemplateException">Go's execution error, or <c>template: no template "x" associated with template "t"</c>.</exception>
    public string ExecuteTemplate(string name, object? data)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _set.ExecuteNamed(Name, name, data);
    }

    /// <summary>Executes this template on <paramref name="data"/>, appending to <paramref name="output"/>.</summary>
    public void Execute(System.Text.StringBuilder output, object? data)
    {
        ArgumentNullException.ThrowIfNull(output);
        _set.Execute(Name, Name, data, output);
    }

    /// <summary>
    /// Executes this template with <paramref name="boundFunctions"/> replacing the same-named functions it was parsed
    /// with, for this execution only (Go's <c>t.Funcs(m)</c> after parsing, without changing the shared template):
    /// functions that close over per-execution state, such as Prometheus's <c>query</c>, bind here.
    /// </summary>
    public void Execute(System.Text.StringBuilder output, object? data, TemplateFunctions boundFunctions)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(boundFunctions);
        _set.Execute(Name, Name, data, output, boundFunctions);
    }
}

/// <summary>Go's <c>missingkey</c> option: what <c>.key</c> on a map without that key yields.</summary>
public enum MissingKeyBehavior
{
    /// <summary><c>missingkey=default</c> (or <c>invalid</c>): no value, printed as <c>&lt;no value&gt;</c>.</summary>
    Default,

    /// <summary><c>missingkey=zero</c>: the zero value of the map's element type (<c>""</c> for map[string]string).</summary>
    Zero,

    /// <summary><c>missingkey=error</c>: execution stops with <c>map has no entry for key "k"</c>.</summary>
    Error,
}
