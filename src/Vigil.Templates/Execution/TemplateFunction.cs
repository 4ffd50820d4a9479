namespace Vigil.Templates.Execution;

internal sealed class TemplateFunction
{
    private TemplateFunction(string name) => Name = name;

    public string Name { get; }

    public static bool IsValidName(string name) => name.Length > 0;

    public static TemplateFunction FromDelegate(string name, Delegate function) => function is null ? throw new ArgumentNullException(nameof(function)) : new TemplateFunction(name);
}
