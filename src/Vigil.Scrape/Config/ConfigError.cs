namespace Vigil.Scrape.Config;

/// <summary>
/// One problem in a configuration file: where (file, 1-based line) and what, in Prometheus's words where it has
/// them (<c>field scrape_intervall not found in type config.ScrapeConfig</c>). Printed as <c>file:line: message</c>.
/// </summary>
/// <param name="File">The file name as given, or null for text loaded from memory.</param>
/// <param name="Line">The 1-based line, or 0 when the problem has no place (an unreadable file).</param>
/// <param name="Message">What is wrong.</param>
public sealed record ConfigError(string? File, int Line, string Message)
{
    /// <summary><c>file:line: message</c>, leaving out what is unknown.</summary>
    public override string ToString() => (File, Line) switch
    {
        (null, 0) => Message,
        (null, _) => $"line {Line.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {Message}",
        (_, 0) => $"{File}: {Message}",
        _ => $"{File}:{Line.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {Message}",
    };
}
