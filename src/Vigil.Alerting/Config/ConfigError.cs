using System.Globalization;

namespace Vigil.Alerting.Config;

/// <summary>
/// One problem in an Alertmanager configuration file: where (file, 1-based line) and what, in Alertmanager 0.25's
/// words (<c>field recever not found in type config.plain</c>, <c>undefined receiver "x" used in route</c>).
/// Printed as <c>file:line: message</c>.
/// </summary>
/// <param name="File">The file name as given, or null for text loaded from memory.</param>
/// <param name="Line">The 1-based line, or 0 when the problem has no place (an unreadable or empty file).</param>
/// <param name="Message">What is wrong, as Alertmanager says it.</param>
public sealed record ConfigError(string? File, int Line, string Message)
{
    /// <summary><c>file:line: message</c>, leaving out what is unknown.</summary>
    public override string ToString() => (File, Line) switch
    {
        (null, 0) => Message,
        (null, _) => $"line {Line.ToString(CultureInfo.InvariantCulture)}: {Message}",
        (_, 0) => $"{File}: {Message}",
        _ => $"{File}:{Line.ToString(CultureInfo.InvariantCulture)}: {Message}",
    };
}
