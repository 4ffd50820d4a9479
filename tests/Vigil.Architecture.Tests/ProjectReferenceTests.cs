using Vigil.Testing;

namespace Vigil.Architecture.Tests;

/// <summary>docs/ARCHITECTURE.md's table is the law for src/: these tests fail when a reference breaks it.</summary>
public sealed class ProjectReferenceTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> s_table =
        DependencyTable.Parse(File.ReadAllText(RepoRoot.Combine("docs", "ARCHITECTURE.md")));

    private static readonly IReadOnlyList<ProjectNode> s_sources = ProjectNode.Load(RepoRoot.Combine("src"));

    [Fact]
    public void Table_lists_every_project_the_design_names()
    {
        string[] expected =
        [
            "Vigil.Model", "Vigil.Storage", "Vigil.Tsdb", "Vigil.PromQL", "Vigil.Scrape", "Vigil.Remote",
            "Vigil.Templates", "Vigil.Rules", "Vigil.Alerting", "Vigil.Server", "Vigil.Cli", "Vigil.Instrumentation",
            "Vigil.Yaml", // not in the founding design: see ARCHITECTURE.md "Differences from the founding design"
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), s_table.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_src_project_has_a_row_in_the_table()
    {
        Assert.NotEmpty(s_sources);
        var missing = s_sources.Where(p => !s_table.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        Assert.True(missing.Count == 0, $"add a row to docs/ARCHITECTURE.md for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_project_reference_in_src_is_allowed_by_the_table()
    {
        var violations = new List<string>();
        foreach (var project in s_sources)
        {
            if (!s_table.TryGetValue(project.Name, out var allowed))
            {
                continue;
            }
            foreach (var reference in project.References)
            {
                if (!allowed.Contains(reference))
                {
                    violations.Add($"{project.Name} → {reference} (allowed: {(allowed.Count == 0 ? "nothing" : string.Join(", ", allowed))})");
                }
            }
        }
        Assert.True(violations.Count == 0, "references that break docs/ARCHITECTURE.md:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Rules_and_Alerting_never_reference_each_other()
    {
        Assert.DoesNotContain("Vigil.Alerting", s_table["Vigil.Rules"]);
        Assert.DoesNotContain("Vigil.Rules", s_table["Vigil.Alerting"]);
    }

    [Fact]
    public void The_table_has_no_cycles()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        bool Visit(string node, List<string> path)
        {
            if (state.TryGetValue(node, out var s))
            {
                return s == 2;
            }
            state[node] = 1;
            path.Add(node);
            foreach (var next in s_table.TryGetValue(node, out var refs) ? refs : new HashSet<string>())
            {
                if (!Visit(next, path))
                {
                    Assert.Fail("cycle: " + string.Join(" → ", path) + " → " + next);
                }
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return true;
        }
        foreach (var node in s_table.Keys)
        {
            Visit(node, []);
        }
    }

    [Fact]
    public void Src_never_references_tests_bench_or_samples()
    {
        var bad = s_sources.SelectMany(p => p.References.Where(r => !r.StartsWith("Vigil.", StringComparison.Ordinal) || r.EndsWith(".Tests", StringComparison.Ordinal) || r == "Vigil.Testing")
            .Select(r => $"{p.Name} → {r}")).ToList();
        Assert.Empty(bad);
    }

    [Fact]
    public void Instrumentation_ships_on_its_own()
    {
        var instrumentation = s_sources.Single(p => p.Name == "Vigil.Instrumentation");
        Assert.Equal(["Vigil.Model"], instrumentation.References);
        Assert.Empty(instrumentation.Packages);
    }

    [Theory]
    [InlineData("| project | owns | may reference |\n|---|---|---|\n| Vigil.A | x | — |\n| Vigil.B | y | A, C |\n", "Vigil.B", "Vigil.A,Vigil.C")]
    [InlineData("| project | owns | may reference |\n|---|---|---|\n| Vigil.A | x | — |\n", "Vigil.A", "")]
    public void Table_parser_reads_the_reference_column(string markdown, string project, string expected)
    {
        var table = DependencyTable.Parse(markdown);
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal), table[project].Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_forbidden_reference_is_detected()
    {
        // The check itself must bite: Model referencing Server is the canonical violation.
        using var dir = new TempDirectory();
        var csproj = dir.File("Vigil.Model.csproj");
        File.WriteAllText(csproj, """<Project><ItemGroup><ProjectReference Include="..\Vigil.Server\Vigil.Server.csproj" /></ItemGroup></Project>""");
        var node = ProjectNode.Parse(csproj);
        Assert.Equal(["Vigil.Server"], node.References);
        Assert.DoesNotContain(node.References[0], s_table["Vigil.Model"]);
    }
}
