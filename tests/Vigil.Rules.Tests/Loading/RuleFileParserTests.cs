using Vigil.Rules.Loading;

namespace Vigil.Rules.Tests.Loading;

/// <summary>Rule file loading and validation with promtool 2.42's error texts (observed with the real promtool).</summary>
public sealed class RuleFileParserTests
{
    private static IReadOnlyList<string> Errors(string yaml)
    {
        Assert.False(RuleFileParser.TryParse(yaml, "r.yml", out _, out var errors));
        return errors;
    }

    [Fact]
    public void A_valid_file_keeps_groups_rules_and_durations()
    {
        Assert.True(RuleFileParser.TryParse("""
            groups:
              - name: g1
                interval: 30s
                limit: 10
                rules:
                  - record: job:up:sum
                    expr: sum by (job) (up)
                    labels: {team: a}
                  - alert: Down
                    expr: up == 0
                    for: 5m
                    keep_firing_for: 1m
                    annotations:
                      summary: '{{ $labels.instance }} down'
            """, "r.yml", out var file, out var errors), string.Join("\n", errors));
        var g = Assert.Single(file!.Groups);
        Assert.Equal(("g1", TimeSpan.FromSeconds(30), 10), (g.Name, g.Interval, g.Limit));
        Assert.Equal(2, file.RuleCount);
        Assert.Equal("a", g.Rules[0].Labels.Get("team"));
        Assert.Equal(TimeSpan.FromMinutes(5), g.Rules[1].For);
        Assert.Equal(TimeSpan.FromMinutes(1), g.Rules[1].KeepFiringFor);
        Assert.Equal(9, g.Rules[1].Line);
    }

    [Fact]
    public void Validation_errors_carry_positions_group_and_rule()
    {
        Assert.Equal(
            [
                "r.yml: 4:17: 5:16: group \"g1\", rule 1, \"Foo\": only one of 'record' and 'alert' must be set",
                "r.yml: 6:15: group \"g1\", rule 1, \"Foo\": could not parse expression: 1:17: parse error: unclosed left parenthesis",
                "r.yml: group \"g1\", rule 2, \"Down\": invalid label name: 0bad",
                "r.yml: 13:17: group \"g1\", rule 3, \"a{b}\": invalid field 'for' in recording rule",
                "r.yml: 13:17: group \"g1\", rule 3, \"a{b}\": invalid recording rule name: a{b}",
                "r.yml: 16:5: groupname: \"g1\" is repeated in the same file",
                "r.yml: 0:0: group \"g1\", rule 1, \"\": one of 'record' or 'alert' must be set",
            ],
            Errors("""
                groups:
                  - name: g1
                    rules:
                      - record: job:up:sum
                        alert: Foo
                        expr: sum by (job) (up
                      - alert: Down
                        expr: up == 0
                        labels:
                          "0bad": x
                        annotations:
                          summary: "ok"
                      - record: "a{b}"
                        expr: up
                        for: 1m
                  - name: g1
                    rules:
                      - expr: up
                """));
    }

    [Fact]
    public void Unknown_fields_and_type_errors_are_yaml_unmarshal_errors_with_lines()
    {
        Assert.Equal(
            ["r.yml: yaml: unmarshal errors:\n  line 6: field bogus not found in type rulefmt.RuleNode\n  line 7: field other not found in type rulefmt.RuleNode\n  line 8: field foo not found in type rulefmt.RuleGroups"],
            Errors("groups:\n  - name: a\n    rules:\n      - record: x\n        expr: up\n        bogus: 1\n        other: 2\nfoo: 1\n"));
        Assert.Equal(["r.yml: yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `abc` into int"], Errors("groups:\n  - name: a\n    limit: abc\n    rules: []\n"));
        Assert.Equal(["r.yml: yaml: unmarshal errors:\n  line 7: cannot unmarshal !!seq into string"], Errors("groups:\n  - name: a\n    rules:\n      - record: x\n        expr: up\n        labels:\n          a: [1]\n"));
        Assert.Equal(
            ["r.yml: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!int `5` into []rulefmt.RuleGroup", "r.yml: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!int `5` into []yaml.Node"],
            Errors("groups: 5\n"));
    }

    [Fact]
    public void A_bad_duration_is_the_only_error()
    {
        Assert.Equal(["r.yml: not a valid duration string: \"-1m\""], Errors("groups:\n  - name: a\n    rules:\n      - alert: x\n        expr: up\n        for: -1m\n"));
    }

    [Fact]
    public void Recording_rules_reject_alert_fields()
    {
        Assert.Equal(
            [
                "r.yml: 4:17: group \"a\", rule 1, \"x\": invalid field 'annotations' in recording rule",
                "r.yml: 4:17: group \"a\", rule 1, \"x\": invalid field 'keep_firing_for' in recording rule",
            ],
            Errors("groups:\n  - name: a\n    rules:\n      - record: x\n        expr: up\n        keep_firing_for: 1m\n        annotations:\n          a: b\n"));
    }

    [Fact]
    public void An_empty_file_has_no_groups()
    {
        Assert.True(RuleFileParser.TryParse("", "r.yml", out var file, out _));
        Assert.Empty(file!.Groups);
    }

    [Fact]
    public void Duplicate_rules_are_reported_by_name_and_labels()
    {
        Assert.True(RuleFileParser.TryParse("""
            groups:
              - name: a
                rules:
                  - {record: x, expr: up, labels: {b: "1", a: "2"}}
                  - {record: x, expr: up, labels: {b: "1", a: "2"}}
                  - {alert: y, expr: up}
                  - {alert: y, expr: up}
                  - {record: z, expr: up}
            """, "r.yml", out var file, out _));
        Assert.Equal("2 duplicate rule(s) found.\nMetric: x\nLabel(s):\n\ta: 2\n\tb: 1\nMetric: y\nLabel(s):\nMight cause inconsistency while recording expressions", RuleFileChecker.DuplicateRulesMessage(file!));
    }
}
