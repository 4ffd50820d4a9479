using System.Text.Json;
using Vigil.Model;
using Vigil.Testing;
using YamlDotNet.RepresentationModel;

namespace Vigil.Templates.Tests.Conformance;

/// <summary>
/// The template conformance corpus (tests/conformance/templates), recorded from promtool 2.42 by record.py: each
/// test file's alert has annotations a000, a001, … (in rules/TOPIC.yml) and the texts promtool's real template engine
/// produced for them (exp_annotations). Here the same templates run through <see cref="PrometheusTemplateExpander"/>
/// with the same data Prometheus gives them: the alert's labels (with <c>__name__</c>), no external labels, an
/// empty <c>$externalURL</c>, promtool's nil external URL, and the alert's value.
/// </summary>
public static class TemplateCorpus
{
    public static readonly string Directory = RepoRoot.Combine("tests", "conformance", "templates");

    public sealed record Case(string File, string Annotation, string Template, string Expected, double Value);

    public sealed record ParseErrorCase(string File, string Annotation, string Template, string Error);

    public static IEnumerable<string> TestFiles()
        => System.IO.Directory.EnumerateFiles(Directory, "*.yml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<Case>> s_cases = new(StringComparer.Ordinal);
    private static readonly Lazy<IReadOnlyList<ParseErrorCase>> s_parseErrors = new(ReadParseErrorCases);

    public static IReadOnlyList<Case> Cases(string file) => s_cases.GetOrAdd(file, ReadCases);

    private static IReadOnlyList<Case> ReadCases(string file)
    {
        var test = Load(Path.Combine(Directory, file));
        var ruleFile = ((YamlSequenceNode)test["rule_files"])[0].ToString();
        var rules = Load(Path.Combine(Directory, ruleFile));
        var rule = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)rules["groups"])[0])["rules"])[0];
        var annotations = (YamlMappingNode)rule["annotations"];
        var group = (YamlMappingNode)((YamlSequenceNode)test["tests"])[0];
        var series = (YamlMappingNode)((YamlSequenceNode)group["input_series"])[0];
        var value = ParseSeriesValue(series["values"].ToString());
        var alert = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)group["alert_rule_test"])[0])["exp_alerts"])[0];
        var expected = (YamlMappingNode)alert["exp_annotations"];
        var cases = new List<Case>();
        foreach (var (key, template) in annotations.Children)
        {
            cases.Add(new Case(file, key.ToString(), template.ToString(), expected[key].ToString(), value));
        }
        return cases;
    }

    /// <summary>Every case of every parse-errors*.json (what promtool check rules reported for templates that do not parse).</summary>
    public static IReadOnlyList<ParseErrorCase> ParseErrorCases() => s_parseErrors.Value;

    private static IReadOnlyList<ParseErrorCase> ReadParseErrorCases()
    {
        var cases = new List<ParseErrorCase>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "parse-errors*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            {
                cases.Add(new ParseErrorCase(Path.GetFileName(path), c.GetProperty("annotation").GetString()!, c.GetProperty("template").GetString()!, c.GetProperty("error").GetString()!));
            }
        }
        return cases;
    }

    /// <summary>What Prometheus 2.42 puts in the annotation: the expansion, or <c>&lt;error expanding template: ERR&gt;</c>.</summary>
    public static string ExpandLikePrometheus(string template, double value)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["__name__"] = "m", ["instance"] = "x:9090", ["job"] = "j" };
        var data = AlertTemplateData.Create(labels, new Dictionary<string, string>(), "", value);
        var expander = new PrometheusTemplateExpander(AlertTemplateData.Definitions + template, "__alert_A", data, 0, Query, externalUrl: null);
        try
        {
            return expander.Expand();
        }
        catch (TemplateException e)
        {
            return $"<error expanding template: {e.Message}>";
        }
    }

    /// <summary>The same through a <see cref="PrometheusTemplate"/> parsed once and expanded twice (both must agree).</summary>
    public static string ExpandParsedOnce(string template, double value)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["__name__"] = "m", ["instance"] = "x:9090", ["job"] = "j" };
        var data = AlertTemplateData.Create(labels, new Dictionary<string, string>(), "", value);
        var parsed = PrometheusTemplate.Parse(AlertTemplateData.Definitions + template, "__alert_A");
        var results = new string[2];
        for (var i = 0; i < results.Length; i++)
        {
            try
            {
                results[i] = parsed.Expand(data, 0, Query, externalUrl: null);
            }
            catch (TemplateException e)
            {
                results[i] = $"<error expanding template: {e.Message}>";
            }
        }
        Assert.Equal(results[0], results[1]);
        return results[0];
    }

    /// <summary>
    /// The corpus's queries and what PromQL answers on its series (up{instance="b:1"} = 1, up{instance="a:1"} = 0,
    /// in that storage order): the template engine is under test here, not PromQL.
    /// </summary>
    public static IReadOnlyList<TemplateQuerySample> Query(string query, long timestampMs)
    {
        Assert.Equal(0, timestampMs);
        var b = new TemplateQuerySample(Labels.Of("__name__", "up", "instance", "b:1", "job", "j"), 1);
        var a = new TemplateQuerySample(Labels.Of("__name__", "up", "instance", "a:1", "job", "j"), 0);
        return query switch
        {
            "up" or "sort_desc(up)" => [b, a],
            "up{instance='b:1'}" => [b],
            "up{instance='a:1'}" => [a],
            "nothing" => [],
            "count(up)" => [new TemplateQuerySample(Labels.Empty, 2)],
            "vector(42)" => [new TemplateQuerySample(Labels.Empty, 42)],
            "vector(1)" => [new TemplateQuerySample(Labels.Empty, 1)],
            "scalar(up{instance='b:1'}) * 3.14159" => [new TemplateQuerySample(Labels.Empty, 3.14159)],
            "up{" => throw new InvalidOperationException("1:4: parse error: unexpected end of input inside braces"),
            _ => throw new InvalidOperationException($"the corpus's fake PromQL does not know {query}"),
        };
    }

    private static double ParseSeriesValue(string values) => values switch
    {
        "NaN" => double.NaN,
        "Inf" or "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(values, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
