using Vigil.Model.Relabel;

namespace Vigil.Model.Tests.Relabel;

/// <summary>Prometheus 2.42's validation messages (checked with promtool check config).</summary>
public sealed class RelabelConfigTests
{
    public static TheoryData<RelabelConfig, string?> Cases() => new()
    {
        { new RelabelConfig { SourceLabels = ["a"], TargetLabel = "b" }, null },
        { new RelabelConfig { Action = RelabelAction.HashMod, SourceLabels = ["a"], TargetLabel = "b" }, "relabel configuration for hashmod requires non-zero modulus" },
        { new RelabelConfig { Action = RelabelAction.HashMod, Modulus = 2, SourceLabels = ["a"], TargetLabel = "b" }, null },
        { new RelabelConfig { SourceLabels = ["a"] }, "relabel configuration for replace action requires 'target_label' value" },
        { new RelabelConfig { Action = RelabelAction.Lowercase, SourceLabels = ["a"] }, "relabel configuration for lowercase action requires 'target_label' value" },
        { new RelabelConfig { SourceLabels = ["a"], TargetLabel = "1y" }, "\"1y\" is invalid 'target_label' for replace action" },
        { new RelabelConfig { SourceLabels = ["a"], TargetLabel = "x_$1" }, null },
        { new RelabelConfig { SourceLabels = ["a"], TargetLabel = "${1}" }, null },
        { new RelabelConfig { SourceLabels = ["a"], TargetLabel = "x-$1" }, "\"x-$1\" is invalid 'target_label' for replace action" },
        { new RelabelConfig { Action = RelabelAction.Uppercase, SourceLabels = ["a"], TargetLabel = "y", Replacement = "z" }, "'replacement' can not be set for uppercase action" },
        { new RelabelConfig { Action = RelabelAction.Uppercase, SourceLabels = ["a"], TargetLabel = "$1" }, "\"$1\" is invalid 'target_label' for uppercase action" },
        { new RelabelConfig { Action = RelabelAction.LabelMap, Regex = RelabelRegex.Create("x"), Replacement = "a-b" }, "\"a-b\" is invalid 'replacement' for labelmap action" },
        { new RelabelConfig { Action = RelabelAction.LabelMap, Regex = RelabelRegex.Create("__meta_(.+)") }, null },
        { new RelabelConfig { Action = RelabelAction.HashMod, Modulus = 3, SourceLabels = ["a"], TargetLabel = "$1" }, "\"$1\" is invalid 'target_label' for hashmod action" },
        { new RelabelConfig { Action = RelabelAction.KeepEqual, SourceLabels = ["x"], TargetLabel = "y", Regex = RelabelRegex.Create("(.*)") }, "keepequal action requires only 'source_labels' and `target_label`, and no other fields" },
        { new RelabelConfig { Action = RelabelAction.DropEqual, SourceLabels = ["x"], TargetLabel = "y", Separator = "," }, "dropequal action requires only 'source_labels' and `target_label`, and no other fields" },
        { new RelabelConfig { Action = RelabelAction.KeepEqual, SourceLabels = ["x"], TargetLabel = "y" }, null },
        { new RelabelConfig { Action = RelabelAction.LabelDrop, Regex = RelabelRegex.Create("foo"), SourceLabels = [] }, "labeldrop action requires only 'regex', and no other fields" },
        { new RelabelConfig { Action = RelabelAction.LabelKeep, Regex = RelabelRegex.Create("foo"), TargetLabel = "x" }, "labelkeep action requires only 'regex', and no other fields" },
        { new RelabelConfig { Action = RelabelAction.LabelDrop, Regex = RelabelRegex.Create("foo") }, null },
        { new RelabelConfig { Action = RelabelAction.Keep, SourceLabels = ["a"] }, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_uses_Prometheus_wording(RelabelConfig config, string? expected)
        => Assert.Equal(expected, config.Validate());

    [Theory]
    [InlineData("replace", RelabelAction.Replace)]
    [InlineData("KeepEqual", RelabelAction.KeepEqual)]
    [InlineData("HASHMOD", RelabelAction.HashMod)]
    public void Actions_parse_case_insensitively(string name, RelabelAction expected)
    {
        Assert.True(RelabelActionNames.TryParse(name, out var action, out _));
        Assert.Equal(expected, action);
    }

    [Fact]
    public void Unknown_action_is_named()
    {
        Assert.False(RelabelActionNames.TryParse("frobnicate", out _, out var error));
        Assert.Equal("unknown relabel action \"frobnicate\"", error);
    }
}
