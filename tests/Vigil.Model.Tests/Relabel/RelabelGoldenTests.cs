using System.Globalization;
using System.Text.Json;
using Vigil.Model.Relabel;
using Vigil.Testing;

namespace Vigil.Model.Tests.Relabel;

/// <summary>
/// Every case in relabel-cases.yml, with the input and output the real Prometheus 2.42 produced
/// (relabel-golden.json, written by record-relabel-golden.py).
/// </summary>
public sealed class RelabelGoldenTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(Load);

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var name in s_cases.Value.Keys)
        {
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Relabeling_matches_Prometheus(string name)
    {
        var c = s_cases.Value[name];
        var configs = new List<RelabelConfig>();
        foreach (var rule in c.GetProperty("relabel_configs").EnumerateArray())
        {
            var config = FromJson(rule);
            Assert.Null(config.Validate());
            configs.Add(config);
        }
        var input = ToLabels(c.GetProperty("input"));
        var output = Relabeler.Process(input, configs);
        var expected = c.GetProperty("output");
        if (expected.ValueKind == JsonValueKind.Null)
        {
            Assert.Null(output);
        }
        else
        {
            Assert.NotNull(output);
            Assert.Equal(ToLabels(expected).ToString(), output.ToString());
        }
    }

    [Fact]
    public void The_golden_file_covers_every_action()
    {
        var seen = new HashSet<RelabelAction>();
        foreach (var c in s_cases.Value.Values)
        {
            foreach (var rule in c.GetProperty("relabel_configs").EnumerateArray())
            {
                seen.Add(FromJson(rule).Action);
            }
        }
        Assert.Equal(Enum.GetValues<RelabelAction>().Length, seen.Count);
    }

    /// <summary>Builds a rule from the JSON form of its YAML, the way the config loader does.</summary>
    internal static RelabelConfig FromJson(JsonElement rule)
    {
        string[]? sources = null;
        string separator = RelabelConfig.DefaultSeparator, target = "", replacement = RelabelConfig.DefaultReplacement;
        var regex = RelabelRegex.Default;
        ulong modulus = 0;
        var action = RelabelAction.Replace;
        foreach (var p in rule.EnumerateObject())
        {
            switch (p.Name)
            {
                case "source_labels": sources = [.. p.Value.EnumerateArray().Select(e => e.GetString()!)]; break;
                case "separator": separator = p.Value.GetString()!; break;
                case "regex": regex = RelabelRegex.Create(p.Value.GetString()!); break;
                case "modulus": modulus = ulong.Parse(p.Value.GetRawText(), CultureInfo.InvariantCulture); break;
                case "target_label": target = p.Value.GetString()!; break;
                case "replacement": replacement = p.Value.GetString()!; break;
                case "action": Assert.True(RelabelActionNames.TryParse(p.Value.GetString()!, out action, out _)); break;
                default: throw new InvalidOperationException("unknown field " + p.Name);
            }
        }
        return new RelabelConfig
        {
            SourceLabels = sources!,
            Separator = separator,
            Regex = regex,
            Modulus = modulus,
            TargetLabel = target,
            Replacement = replacement,
            Action = action,
        };
    }

    private static Model.Labels ToLabels(JsonElement obj)
        => Model.Labels.From(obj.EnumerateObject().Select(p => new Label(p.Name, p.Value.GetString()!)));

    private static Dictionary<string, JsonElement> Load()
    {
        var path = RepoRoot.Combine("tests", "Vigil.Model.Tests", "Relabel", "relabel-golden.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var cases = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            cases.Add(c.GetProperty("name").GetString()!, c.Clone());
        }
        return cases;
    }
}
