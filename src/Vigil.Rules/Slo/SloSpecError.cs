namespace Vigil.Rules.Slo;

/// <summary>
/// A problem in an SLO spec file, with where it is and which field: <c>slos.yml:12: slos[1].objective: must be
/// greater than 0 and less than 100, got 100</c>.
/// </summary>
/// <param name="Path">The file, as given.</param>
/// <param name="Line">The 1-based line of the offending node (0 when the file itself is the problem).</param>
/// <param name="Field">The field's path in the spec (<c>slos[0].sli.events.error_query</c>), or empty.</param>
/// <param name="Message">What is wrong, and what was expected.</param>
public sealed record SloSpecError(string Path, int Line, string Field, string Message)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        var where = Line > 0 ? $"{Path}:{Line}" : Path;
        return Field.Length > 0 ? $"{where}: {Field}: {Message}" : $"{where}: {Message}";
    }
}
