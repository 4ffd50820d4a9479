using System.CommandLine;
using Vigil.Rules.Slo;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil check slos FILE...</c>: validates SLO spec files (docs/slo.md) in the style of <c>vigil check config</c>:
/// <c>Checking FILE</c>, then <c>SUCCESS: N SLOs found</c> or <c>FAILED:</c> with each problem as
/// <c>file:line: field: why</c>; exit code 0 when all are valid, 1 otherwise.
/// </summary>
public static class CheckSlosCommand
{
    /// <summary>Builds <c>check slos</c>.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("slo-files")
        {
            Description = "SLO spec files (version: vigil/v1; see docs/slo.md).",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command(
            "slos",
            "Check if the SLO spec files are valid: exit code 0 when all are, 1 otherwise.")
        {
            files,
        };
        command.SetAction((parse, _) =>
        {
            var paths = parse.GetValue(files) ?? [];
            foreach (var path in paths)
            {
                if (!File.Exists(path))
                {
                    error.WriteLine($"vigil: error: path '{path}' does not exist, try --help");
                    return Task.FromResult(VigilCommand.Failed);
                }
            }
            return Task.FromResult(Run(paths, output, error));
        });
        return command;
    }

    /// <summary>Checks each file; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> paths, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var failed = false;
        foreach (var (path, spec, errors) in SloSpecSet.Load(paths))
        {
            output.WriteLine($"Checking {path}");
            if (spec is not null)
            {
                output.WriteLine($"  SUCCESS: {spec.Slos.Count} SLOs found");
            }
            else
            {
                error.WriteLine("  FAILED:");
                foreach (var problem in errors)
                {
                    error.WriteLine(problem.ToString());
                }
                failed = true;
            }
            output.WriteLine();
        }
        return failed ? VigilCommand.Failed : VigilCommand.Ok;
    }
}
