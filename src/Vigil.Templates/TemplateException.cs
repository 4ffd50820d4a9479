namespace Vigil.Templates;

/// <summary>
/// A template failed to parse or to execute. <see cref="Exception.Message"/> is exactly the text Go's
/// <c>err.Error()</c> gives for the same failure, e.g. <c>template: t:1: function "foo" not defined</c>.
/// </summary>
public sealed class TemplateException : Exception
{
    /// <summary>Creates the exception with Go's error text.</summary>
    public TemplateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with Go's error text and the .NET exception that caused it.</summary>
    public TemplateException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with an empty message.</summary>
    public TemplateException()
    {
    }
}
