using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil tsdb</c>: offline tools over a data directory, after <c>promtool tsdb</c>: import samples into
/// blocks, analyze cardinality, dump samples.
/// </summary>
public static class TsdbCommand
{
    /// <summary>Builds the command and its subcommands.</summary>
    public static Command Create(TextWriter output, TextWriter error) => new("tsdb", "Tools for a TSDB data directory: import, analyze and dump.")
    {
        TsdbImportCommand.Create(output, error),
        TsdbAnalyzeCommand.Create(output, error),
        TsdbDumpCommand.Create(output, error),
    };

    /// <summary>Prints <c>vigil: error: message</c> and returns <see cref="VigilCommand.Failed"/>.</summary>
    internal static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"vigil: error: {message}");
        return VigilCommand.Failed;
    }
}
