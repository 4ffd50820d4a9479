using Vigil.Model;
using Vigil.Scrape.Config;

namespace Vigil.Scrape.Tests.Config;

public sealed class TargetGroupFileTests
{
    [Fact]
    public void Json_groups_are_read()
    {
        Assert.True(TargetGroupFile.TryParse("""[{"targets": ["a:1", "b:2"], "labels": {"env": "prod"}}, {"targets": []}]""", "t.json", out var groups, out var error), error);
        Assert.Equal(2, groups.Count);
        Assert.Equal(["a:1", "b:2"], groups[0].Targets);
        Assert.Equal(Labels.Of("env", "prod"), groups[0].Labels);
    }

    [Fact]
    public void Yaml_groups_are_read_strictly()
    {
        Assert.True(TargetGroupFile.TryParse("- targets: [a:1]\n  labels: {x: y}\n", "t.yml", out var groups, out _));
        Assert.Equal(["a:1"], groups[0].Targets);
        Assert.False(TargetGroupFile.TryParse("- targets: [a:1]\n  labelz: {}\n", "t.yaml", out _, out var error));
        Assert.Contains("line 2: field labelz not found in type struct { Targets []string", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"targets": ["a:1"], "labels": {"x-y": "1"}}]""", "t.json", "\"x-y\" is not a valid label name")]
    [InlineData("[null]", "t.json", "nil target group item found (index 0)")]
    [InlineData("[]", "t.txt", "invalid file extension: \".txt\"")]
    [InlineData("{", "t.json", "")]
    public void Bad_files_say_why(string content, string name, string expected)
    {
        Assert.False(TargetGroupFile.TryParse(content, name, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
