using System.Text.RegularExpressions;
using Vigil.Cli.Commands;

namespace Vigil.Compat.Tests.Alertmanager;

/// <summary>
/// <c>amtool check-config</c> (0.25) and <c>vigil check alertmanager</c> agree on every corpus file: valid files pass
/// both with identical output; invalid files fail both, and Vigil's output holds amtool's message (for yaml.v2's
/// decoding errors, at the same line). YAML syntax errors (files named syntax_*) are worded by different YAML
/// parsers, so there only the failure is compared.
/// </summary>
public sealed partial class CheckAlertmanagerCorpusTests
{
    public static TheoryData<string> Valid() => AlertmanagerCorpus.Names(AlertmanagerCorpus.ValidFiles());

    public static TheoryData<string> Invalid() => AlertmanagerCorpus.Names(AlertmanagerCorpus.InvalidFiles());

    [Theory]
    [MemberData(nameof(Valid))]
    public async Task Valid_files_pass_both_with_the_same_output(string name)
    {
        var path = Path.Combine(AlertmanagerCorpus.Directory, name);
        var amtool = (await AlertmanagerCorpus.RunAmtoolAsync([["check-config", path]]))[0];
        var (exit, stdout, stderr) = RunVigil(path);
        Assert.True(amtool.ExitCode == 0, amtool.Output);
        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal(amtool.StandardOutput, stdout);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Invalid_files_fail_both_with_alertmanagers_message(string name)
    {
        var path = Path.Combine(AlertmanagerCorpus.Directory, name);
        var amtool = (await AlertmanagerCorpus.RunAmtoolAsync([["check-config", path]]))[0];
        var (exit, stdout, stderr) = RunVigil(path);
        Assert.Equal(1, amtool.ExitCode);
        Assert.Equal(1, exit);
        Assert.Contains("amtool: error: failed to validate 1 file(s)", amtool.StandardError, StringComparison.Ordinal);
        Assert.Contains("vigil: error: failed to validate 1 file(s)", stderr, StringComparison.Ordinal);
        Assert.StartsWith($"Checking '{path}'  FAILED: {path}:", stdout, StringComparison.Ordinal);
        if (Path.GetFileName(name).StartsWith("syntax_", StringComparison.Ordinal))
        {
            Assert.Contains("yaml: ", stdout, StringComparison.Ordinal);
            return;
        }
        var failed = amtool.StandardOutput.IndexOf("FAILED: ", StringComparison.Ordinal);
        Assert.True(failed >= 0, amtool.StandardOutput);
        var message = amtool.StandardOutput[(failed + "FAILED: ".Length)..].TrimEnd();
        if (UnmarshalError().Match(message) is { Success: true } m)
        {
            // yaml.v2: "yaml: unmarshal errors:\n  line N: text" — Vigil prints "path:N: text".
            Assert.Contains($"{path}:{m.Groups[1].Value}: {m.Groups[2].Value}", stdout, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(message, stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_example_in_monitoring_passes_both()
    {
        var path = Vigil.Testing.RepoRoot.Combine("monitoring", "alertmanager.yml");
        var amtool = (await AlertmanagerCorpus.RunAmtoolAsync([["check-config", path]]))[0];
        var (exit, stdout, _) = RunVigil(path);
        Assert.Equal(0, amtool.ExitCode);
        Assert.Equal(0, exit);
        Assert.Equal(amtool.StandardOutput, stdout);
    }

    [Theory]
    [InlineData("{{ define \"x\" }}hello {{ .Foo \n")]
    [InlineData("{{ define \"x\" }}{{ nosuchfunc . }}{{ end }}\n")]
    [InlineData("{{ define \"x\" }}{{ if . }}open{{ end }}{{ end }}\n")]
    public async Task Template_files_are_parsed_by_both_with_the_same_output(string template)
    {
        using var dir = new Vigil.Testing.TempDirectory();
        await File.WriteAllTextAsync(dir.File("notify.tmpl"), template);
        var path = dir.File("am.yml");
        await File.WriteAllTextAsync(path, $"route:\n  receiver: r\nreceivers:\n  - name: r\ntemplates:\n  - '{dir.Path}/*.tmpl'\n");
        var amtool = (await AlertmanagerCorpus.RunAmtoolAsync([["check-config", path]]))[0];
        var (exit, stdout, _) = RunVigil(path);
        Assert.Equal(amtool.ExitCode, exit);
        Assert.Equal(amtool.StandardOutput, stdout);
    }

    [Fact]
    public void The_corpus_has_both_kinds()
    {
        Assert.True(AlertmanagerCorpus.ValidFiles().Count() >= 20);
        Assert.True(AlertmanagerCorpus.InvalidFiles().Count() >= 60);
    }

    [Fact]
    public void A_missing_file_is_reported_before_anything_is_checked()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = Vigil.Cli.VigilCommand.Create(output, error);
        var exit = root.Parse(["check", "alertmanager", "/nonexistent/am.yml"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        Assert.Equal(1, exit);
        Assert.Equal("vigil: error: path '/nonexistent/am.yml' does not exist\n", error.ToString().ReplaceLineEndings("\n"));
    }

    private static (int Exit, string Stdout, string Stderr) RunVigil(params string[] paths)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CheckAlertmanagerCommand.Run(paths, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [GeneratedRegex(@"^yaml: unmarshal errors:\n  line (\d+): (.*)")]
    private static partial Regex UnmarshalError();
}
