using Vigil.Rules.Loading;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Rules;

/// <summary>
/// <c>vigil check rules</c> and <c>promtool check rules</c> (2.42) print the same lines on the same streams and exit
/// with the same code, over good files, validation errors, YAML type errors, template errors and the duplicate-rules lint.
/// </summary>
public sealed class CheckRulesCompatTests
{
    public static TheoryData<string, string[]> Cases() => new()
    {
        {
            "good", ["""
            groups:
              - name: g1
                interval: 30s
                limit: 5
                rules:
                  - record: job:up:sum
                    expr: sum by (job) (up)
                  - alert: Down
                    expr: up == 0
                    for: 5m
                    keep_firing_for: 1m
                    labels: {severity: page}
                    annotations:
                      summary: "{{ $labels.instance }} down {{ $value | humanize }}"
            """]
        },
        {
            "validation", ["""
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
                  - record: "a{b}"
                    expr: up
                    for: 1m
                    keep_firing_for: 2m
                    annotations: {a: b}
                  - alert: Named
                    expr: up
                    labels: {__name__: x}
                    annotations: {"a-b": x}
              - name: g1
                rules:
                  - expr: up
              - name: ""
                rules:
                  - record: r
                    expr: ""
            """]
        },
        {
            // One bad template per rule: Go reports a rule's labels and annotations in map order, which is random.
            "templates", ["""
            groups:
              - name: t
                rules:
                  - alert: y1
                    expr: up
                    labels:
                      sev: "{{ .Foo }"
                      ok: "{{ $labels.job }}"
                  - alert: y2
                    expr: up
                    annotations: {a: "{{ nosuchfunc }}", ok: "{{ humanize $value }}"}
                  - alert: y3
                    expr: up
                    annotations: {b: "{{ $nosuch }}"}
                  - alert: y4
                    expr: up
                    annotations: {c: "{{ $labels.x }}{{ end }}"}
                  - alert: y5
                    expr: up
                    annotations: {d: "{{ range $labels }}{{ . }}{{ end }}{{ if }}"}
                  - record: not_a_template
                    expr: up
                    labels: {x: "{{ broken"}
            """]
        },
        {
            "yaml types", [
                "groups:\n  - name: a\n    rules:\n      - record: x\n        expr: up\n        bogus: 1\n        other: 2\nfoo: 1\n",
                "groups:\n  - name: a\n    limit: abc\n    rules: []\n",
                "groups: 5\n",
                "- a\n",
                "groups:\n  - x\n",
                "groups:\n  - name: a\n    rules: x\n",
                "groups:\n  - name: a\n    rules:\n      - x\n",
                "groups:\n  - name: a\n    rules:\n      - record: x\n        expr: up\n        labels: 3\n",
                "groups:\n  - name: a\n    rules:\n      - alert: x\n        expr: up\n        for: -1m\n",
                "",
            ]
        },
        {
            "duplicates", ["""
            groups:
              - name: a
                rules:
                  - {record: x, expr: up, labels: {b: "1", a: "2"}}
                  - {record: x, expr: up, labels: {b: "1", a: "2"}}
                  - {alert: y, expr: up}
                  - {alert: y, expr: up}
              - name: b
                rules:
                  - {alert: y, expr: up}
                  - {record: z, expr: up}
            """]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Check_rules_prints_what_promtool_prints(string name, string[] files)
    {
        using var dir = new TempDirectory("vigil-check-rules");
        var paths = new List<string>();
        for (var i = 0; i < files.Length; i++)
        {
            var path = dir.File($"{name.Replace(' ', '_')}{i}.yml");
            File.WriteAllText(path, files[i]);
            paths.Add(path);
        }
        foreach (var args in new[] { Array.Empty<string>(), ["--lint=none"], ["--lint-fatal"] })
        {
            var promtool = await ExternalTool.RunAsync(ExternalTool.Require("promtool", "prometheus"), ["check", "rules", .. args, .. paths]);
            var output = new StringWriter();
            var error = new StringWriter();
            var lint = RuleFileChecker.LintSettings.Parse(args.Contains("--lint=none") ? "none" : "duplicate-rules", args.Contains("--lint-fatal"), output);
            var exit = RuleFileChecker.Run(paths, lint, output, error);
            var what = $"{name} {string.Join(' ', args)}";
            Assert.True(promtool.StandardOutput == output.ToString(), $"{what}: stdout differs\npromtool:\n{promtool.StandardOutput}\nvigil:\n{output}");
            Assert.True(promtool.StandardError == error.ToString(), $"{what}: stderr differs\npromtool:\n{promtool.StandardError}\nvigil:\n{error}");
            Assert.Equal(promtool.ExitCode, exit);
        }
    }

    [Fact]
    public async Task The_vigil_executable_agrees_on_a_bad_file()
    {
        using var dir = new TempDirectory("vigil-check-rules");
        var path = dir.File("bad.yml");
        File.WriteAllText(path, "groups:\n  - name: a\n    rules:\n      - record: x\n        expr: 'sum('\n");
        var promtool = await ExternalTool.RunAsync(ExternalTool.Require("promtool", "prometheus"), ["check", "rules", path]);
        var vigil = await VigilProcess.RunAsync("check", "rules", path);
        Assert.Equal(1, promtool.ExitCode);
        Assert.Equal(promtool.ExitCode, vigil.ExitCode);
        Assert.Equal(promtool.StandardOutput, vigil.StandardOutput);
        Assert.Equal(promtool.StandardError, vigil.StandardError);
    }
}
