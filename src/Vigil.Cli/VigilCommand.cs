using System.CommandLine;
using Vigil.Cli.Commands;

namespace Vigil.Cli;

/// <summary>The root of the <c>vigil</c> command tree; each subcommand lives in its own file under Commands/.</summary>
public static class VigilCommand
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code for any failure (bad flag value, unusable file, server error), as Prometheus uses 1.</summary>
    public const int Failed = 1;

    /// <summary>Builds the command tree.</summary>
    public static RootCommand Create(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "Vigil: a Prometheus-compatible monitoring platform in one service. " +
            "Start it with `vigil serve`; every command has --help.")
        {
            ServeCommand.Create(output, error),
            VersionCommand.Create(output),
            TsdbCommand.Create(output, error),
            TestCommand.Create(output, error),
            CheckCommand.Create(output, error),
            RoutesCommand.Create(output, error),
            SloCommand.Create(output, error),
        };
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the chosen command; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = Create(output, error);
        var config = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // The ASP.NET Core host handles SIGINT/SIGTERM itself and shuts down cleanly.
            ProcessTerminationTimeout = null,
        };
        return await root.Parse(args).InvokeAsync(config).ConfigureAwait(false);
    }
}
