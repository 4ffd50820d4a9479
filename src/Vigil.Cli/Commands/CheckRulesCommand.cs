using System.CommandLine;
using Vigil.Rules.Loading;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil check rules [FILE...]</c>: validates Prometheus rule files like <c>promtool check rules</c> 2.42 — same
/// lines on the same streams, same errors (<c>file: line:col: group "g", rule 1, "name": ...</c>), the
/// <c>duplicate-rules</c> lint, and exit codes 0, 1 (errors) and 3 (lint failed under <c>--lint-fatal</c>). Without files
/// it reads standard input.
/// </summary>
public static class CheckRulesCommand
{
    /// <summary>Builds <c>rules</c> (a subcommand of <c>check</c>).</summary>
    public static Command Create(TextWriter output, TextWriter error, TextReader? input = null)
    {
        var files = new Argument<string[]>("rule-files")
        {
            Description = "The rule files to check (standard input when none).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var lint = new Option<string>("--lint")
        {
            Description = "Linting checks to apply. Available options are: all, duplicate-rules, none. Use --lint=none to disable linting.",
            DefaultValueFactory = _ => "duplicate-rules",
        };
        var lintFatal = new Option<bool>("--lint-fatal")
        {
            Description = "Make lint errors exit with exit code 3.",
        };
        var command = new Command("rules", "Check if the rule files are valid or not (like promtool check rules).")
        {
            files,
            lint,
            lintFatal,
        };
        command.SetAction((parse, _) =>
        {
            var paths = parse.GetValue(files) ?? [];
            foreach (var path in paths)
            {
                // Checked before anything runs, as promtool's flag parser does.
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    error.WriteLine($"vigil: error: path '{path}' does not exist, try --help");
                    return Task.FromResult(VigilCommand.Failed);
                }
            }
            var settings = RuleFileChecker.LintSettings.Parse(parse.GetValue(lint) ?? "duplicate-rules", parse.GetValue(lintFatal), output);
            return Task.FromResult(RuleFileChecker.Run(paths, settings, output, error, input ?? Console.In));
        });
        return command;
    }
}
