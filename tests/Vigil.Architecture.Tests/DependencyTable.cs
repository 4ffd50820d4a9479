namespace Vigil.Architecture.Tests;

/// <summary>The "Projects and who may reference whom" table of docs/ARCHITECTURE.md, parsed.</summary>
public static class DependencyTable
{
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Parse(string markdown)
    {
        var table = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        string[]? header = null;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith('|'))
            {
                header = null;
                continue;
            }
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (header is null)
            {
                header = cells;
                continue;
            }
            if (cells.All(c => c.StartsWith('-')))
            {
                continue;
            }
            var projectColumn = Array.IndexOf(header, "project");
            var refColumn = Array.IndexOf(header, "may reference");
            if (projectColumn < 0 || refColumn < 0)
            {
                continue;
            }
            var allowed = cells[refColumn] is "—" or "-" or ""
                ? new HashSet<string>(StringComparer.Ordinal)
                : cells[refColumn].Split(',').Select(s => "Vigil." + s.Trim()).ToHashSet(StringComparer.Ordinal);
            table[cells[projectColumn]] = allowed;
        }
        return table;
    }
}
