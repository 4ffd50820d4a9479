using System.CommandLine;
using Vigil.Rules.UnitTesting;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil test rules FILE...</c>: runs rule unit-test files, same format, report and exit code as
/// <c>promtool test rules</c> (2.42): <c>rule_files</c> evaluated every <c>evaluation_interval</c>,
/// <c>alert_rule_test</c> and <c>promql_expr_test</c>.
/// </summary>
public static class TestCommand
{
    /// <summary>Builds <c>test</c> with its <c>rules</c> subcommand.</summary>
    public static Command Create(TextWriter output, TextWriter error) => new("test", "Unit testing (like promtool test).")
    {
        CreateRules(output, error),
    };

    private static Command CreateRules(TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("test-rule-file")
        {
            Description = "Unit-test files in promtool's format (rule_files, evaluation_interval, tests with input_series, alert_rule_test and promql_expr_test).",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command(
            "rules",
            "Run rule unit tests (like promtool test rules): prints SUCCESS or FAILED with each difference per file; exit code 0 when all pass, 1 otherwise.")
        {
            files,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var paths = parse.GetValue(files) ?? [];
            foreach (var path in paths)
            {
                // Checked before any test runs, as promtool's flag parser does.
                if (!File.Exists(path))
                {
                    error.WriteLine($"vigil: error: path '{path}' does not exist, try --help");
                    return Task.FromResult(VigilCommand.Failed);
                }
            }
            return Task.FromResult(RuleUnitTestRunner.Run(paths, output, error, cancellationToken));
        });
        return command;
    }
}
