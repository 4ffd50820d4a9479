using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Vigil.PromQL.Tests.Parser;

/// <summary>The goldens recorded from Prometheus 2.42 by <c>record-golden.sh</c>.</summary>
public static class GoldenCases
{
    /// <summary>One recorded case: the printed form of a valid query, or the error text of an invalid one.</summary>
    public sealed record Case(string Query, string? Printed, string? Error);

    private static readonly Lazy<IReadOnlyList<Case>> s_exprs = new(() => Load("golden-exprs.jsonl"));
    private static readonly Lazy<IReadOnlyList<Case>> s_selectors = new(() => Load("golden-selectors.jsonl"));

    public static IReadOnlyList<Case> Exprs => s_exprs.Value;

    public static IReadOnlyList<Case> Selectors => s_selectors.Value;

    public static IEnumerable<string> ValidQueries => Exprs.Where(c => c.Printed is not null).Select(c => c.Query);

    private static string Directory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static IReadOnlyList<Case> Load(string name)
    {
        var cases = new List<Case>();
        foreach (var line in File.ReadLines(Path.Combine(Directory(), name)))
        {
            if (line.Length == 0)
            {
                continue;
            }
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            cases.Add(new Case(
                root.GetProperty("query").GetString()!,
                root.TryGetProperty("printed", out var p) ? p.GetString() : null,
                root.TryGetProperty("error", out var e) ? e.GetString() : null));
        }
        return cases;
    }
}
