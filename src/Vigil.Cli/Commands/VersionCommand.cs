using System.CommandLine;
using Vigil.Server.Hosting;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil version</c>: version, revision, runtime and platform, like <c>prometheus --version</c>.</summary>
public static class VersionCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output)
    {
        var command = new Command("version", "Show the version, git revision, .NET runtime and platform of this build.");
        command.SetAction(_ =>
        {
            output.Write(BuildInfo.Describe());
            return VigilCommand.Ok;
        });
        return command;
    }
}
