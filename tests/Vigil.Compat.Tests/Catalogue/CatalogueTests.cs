using Vigil.Cli;
using Vigil.Rules.UnitTesting;
using Vigil.Testing;
using YamlDotNet.RepresentationModel;

namespace Vigil.Compat.Tests.Catalogue;

/// <summary>
/// The alert catalogue (monitoring/rules) against the real promtool: every rule file passes <c>promtool check
/// rules</c>, every unit-test file in monitoring/tests passes <c>promtool test rules</c>, and every alert is tested
/// both firing and quiet, with the labels and annotations every alert must carry. Vigil's own <c>vigil check
/// rules</c> and <c>vigil test rules</c> must agree on the same files.
/// </summary>
public sealed class CatalogueTests
{
    private static readonly string s_rules = RepoRoot.Combine("monitoring", "rules");
    private static readonly string s_tests = RepoRoot.Combine("monitoring", "tests");

    public static TheoryData<string> RuleFiles() => Files(s_rules, "*.yml");

    public static TheoryData<string> TestFiles() => Files(s_tests, "*.test.yml");

    [Theory]
    [MemberData(nameof(RuleFiles))]
    public async Task Rule_file_passes_promtool_check_rules(string file)
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var result = await ExternalTool.RunAsync(promtool, ["check", "rules", Path.Combine(s_rules, file)]);
        Assert.True(result.ExitCode == 0, $"promtool check rules {file} (exit {result.ExitCode}):\n{result.Output}");
    }

    [Theory]
    [MemberData(nameof(TestFiles))]
    public async Task Unit_test_file_passes_promtool_test_rules(string file)
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var result = await ExternalTool.RunAsync(promtool, ["test", "rules", Path.Combine(s_tests, file)]);
        Assert.True(result.ExitCode == 0, $"promtool test rules {file} (exit {result.ExitCode}):\n{result.Output}");
    }

    [Theory]
    [MemberData(nameof(RuleFiles))]
    public async Task Rule_file_passes_vigil_check_rules(string file)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await VigilCommand.RunAsync(["check", "rules", Path.Combine(s_rules, file)], output, error);
        Assert.True(exit == 0, $"vigil check rules {file} (exit {exit}):\n{output}{error}");
    }

    [Theory]
    [MemberData(nameof(TestFiles))]
    public void Unit_test_file_passes_vigil_test_rules(string file)
    {
        var report = new StringWriter();
        var exit = RuleUnitTestRunner.Run([Path.Combine(s_tests, file)], report);
        Assert.True(exit == 0, $"vigil test rules {file} (exit {exit}):\n{report}");
    }

    [Fact]
    public void Every_alert_has_a_severity_and_summary_description_and_runbook()
    {
        var runbooks = File.ReadAllText(Path.Combine(s_rules, "runbooks.md"));
        var alerts = 0;
        foreach (var (file, rule) in Rules())
        {
            if (!rule.Children.TryGetValue(new YamlScalarNode("alert"), out var name))
            {
                continue;
            }
            alerts++;
            var where = $"{file}: {name}";
            var labels = Map(rule, "labels");
            Assert.True(labels.TryGetValue("severity", out var severity), $"{where}: no severity label");
            Assert.Contains(severity, (string[])["critical", "warning", "page", "ticket"]);
            var annotations = Map(rule, "annotations");
            foreach (var key in (string[])["summary", "description", "runbook_url"])
            {
                Assert.True(annotations.TryGetValue(key, out var text) && text.Length > 0, $"{where}: no {key} annotation");
            }
            const string Base = "monitoring/rules/runbooks.md#";
            Assert.StartsWith(Base, annotations["runbook_url"], StringComparison.Ordinal);
            var anchor = annotations["runbook_url"][Base.Length..];
            Assert.True(
                runbooks.Split('\n').Any(line => line.StartsWith("## ", StringComparison.Ordinal) && line[3..].Trim().ToLowerInvariant() == anchor),
                $"{where}: runbooks.md has no section for #{anchor}");
        }
        Assert.True(alerts >= 17, $"the catalogue has {alerts} alerting rules");
    }

    [Fact]
    public void Every_alert_is_tested_firing_and_quiet()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (_, rule) in Rules())
        {
            if (rule.Children.TryGetValue(new YamlScalarNode("alert"), out var name))
            {
                names.Add(((YamlScalarNode)name).Value!);
            }
        }
        var firing = new HashSet<string>(StringComparer.Ordinal);
        var quiet = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(s_tests, "*.test.yml"))
        {
            var root = Load(file);
            foreach (var test in ((YamlSequenceNode)root.Children["tests"]).Children.Cast<YamlMappingNode>())
            {
                if (!test.Children.TryGetValue(new YamlScalarNode("alert_rule_test"), out var cases))
                {
                    continue;
                }
                foreach (var c in ((YamlSequenceNode)cases).Children.Cast<YamlMappingNode>())
                {
                    var alertname = ((YamlScalarNode)c.Children["alertname"]).Value!;
                    var expected = c.Children.TryGetValue(new YamlScalarNode("exp_alerts"), out var e) && e is YamlSequenceNode { Children.Count: > 0 };
                    (expected ? firing : quiet).Add(alertname);
                }
            }
        }
        var neverFiring = names.Where(n => !firing.Contains(n)).ToList();
        var neverQuiet = names.Where(n => !quiet.Contains(n)).ToList();
        Assert.True(neverFiring.Count == 0, $"alerts never tested firing: {string.Join(", ", neverFiring)}");
        Assert.True(neverQuiet.Count == 0, $"alerts never tested quiet: {string.Join(", ", neverQuiet)}");
        Assert.Contains("DiskSpaceLow", names);
    }

    private static IEnumerable<(string File, YamlMappingNode Rule)> Rules()
    {
        foreach (var file in Directory.EnumerateFiles(s_rules, "*.yml").Order(StringComparer.Ordinal))
        {
            foreach (var group in ((YamlSequenceNode)Load(file).Children["groups"]).Children.Cast<YamlMappingNode>())
            {
                foreach (var rule in ((YamlSequenceNode)group.Children["rules"]).Children.Cast<YamlMappingNode>())
                {
                    yield return (Path.GetFileName(file), rule);
                }
            }
        }
    }

    private static Dictionary<string, string> Map(YamlMappingNode rule, string key)
        => rule.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlMappingNode map
            ? map.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!)
            : [];

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(file)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static TheoryData<string> Files(string dir, string pattern)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(dir, pattern).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }
}
