using System.CommandLine;
using Vigil.Alerting.Config;
using Vigil.Alerting.Matching;
using Vigil.Alerting.Routing;
using Vigil.Model;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil routes [show|test] --config.file F</c>: the routing tree of an Alertmanager configuration, like
/// <c>amtool config routes</c> 0.25 (same output and exit codes). <c>show</c> (the default) prints the tree;
/// <c>test label=value...</c> prints the receivers an alert with those labels is routed to, in tree order,
/// comma-separated (with <c>--tree</c> also the routes it passes), and with <c>--verify.receivers</c> fails when
/// they differ from the expected list.
/// </summary>
public static class RoutesCommand
{
    /// <summary>Builds <c>routes</c> with <c>show</c> and <c>test</c>.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var configFile = new Option<string>("--config.file")
        {
            Description = "The Alertmanager configuration file.",
            Recursive = true,
            Required = true,
        };
        var show = new Command("show", "Print the routing tree (like amtool config routes show).");
        show.SetAction((parse, _) => Task.FromResult(Show(parse.GetValue(configFile)!, output, error)));

        var tree = new Option<bool>("--tree") { Description = "Also print the matching routes as a tree." };
        var verify = new Option<string>("--verify.receivers")
        {
            Description = "Fail (exit 1) unless the labels route to exactly these receivers (comma-separated, in order).",
        };
        var labels = new Argument<string[]>("labels")
        {
            Description = "The alert's labels, each name=value (Alertmanager matcher syntax; quotes allowed).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var test = new Command("test", "Print the receivers an alert with the given labels is routed to (like amtool config routes test).")
        {
            tree,
            verify,
            labels,
        };
        test.SetAction((parse, _) => Task.FromResult(Test(
            parse.GetValue(configFile)!, parse.GetValue(labels) ?? [], parse.GetValue(tree), parse.GetValue(verify), output, error)));

        var routes = new Command("routes", "Alertmanager routing: print the tree or test where labels are routed (like amtool config routes).")
        {
            configFile,
            show,
            test,
        };
        routes.SetAction((parse, _) => Task.FromResult(Show(parse.GetValue(configFile)!, output, error)));
        return routes;
    }

    /// <summary><c>routes show</c>; returns the exit code.</summary>
    public static int Show(string configFile, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Load(configFile, error) is not { } root)
        {
            return VigilCommand.Failed;
        }
        output.WriteLine("Routing tree:");
        output.WriteLine(RouteTreePrinter.Show(root));
        return VigilCommand.Ok;
    }

    /// <summary><c>routes test</c>; returns the exit code.</summary>
    public static int Test(string configFile, IReadOnlyList<string> labelArgs, bool tree, string? expectedReceivers, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(labelArgs);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (Load(configFile, error) is not { } root)
        {
            return VigilCommand.Failed;
        }
        if (!TryParseLabels(labelArgs, out var labels, out var parseError))
        {
            error.WriteLine($"vigil: error: Failed to parse labels: {parseError}");
            error.WriteLine();
            return VigilCommand.Failed;
        }
        if (tree)
        {
            output.WriteLine("Matching routes:");
            output.WriteLine(RouteTreePrinter.Matching(root, labels));
            output.WriteLine();
        }
        var receivers = string.Join(',', root.Match(labels).Select(static r => r.Options.Receiver));
        output.WriteLine(receivers);
        if (!string.IsNullOrEmpty(expectedReceivers) && expectedReceivers != receivers)
        {
            output.WriteLine("WARNING: Expected receivers did not match resolved receivers.");
            return VigilCommand.Failed;
        }
        return VigilCommand.Ok;
    }

    /// <summary>amtool's label arguments: each an Alertmanager matcher that must be an equality; a later name wins.</summary>
    internal static bool TryParseLabels(IReadOnlyList<string> args, out Labels labels, out string? error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            if (!MatcherParser.TryParseMatcher(arg, out var matcher, out error))
            {
                labels = Labels.Empty;
                return false;
            }
            if (matcher.Type != LabelMatchType.Equal)
            {
                labels = Labels.Empty;
                error = "labels must be specified as key=value pairs";
                return false;
            }
            values[matcher.Name] = matcher.Value;
        }
        labels = Labels.From(values.Select(static kv => new Label(kv.Key, kv.Value)));
        error = null;
        return true;
    }

    private static Route? Load(string configFile, TextWriter error)
    {
        if (!File.Exists(configFile))
        {
            error.WriteLine($"vigil: error: path '{configFile}' does not exist");
            return null;
        }
        if (!AlertmanagerConfigLoader.TryLoadFile(configFile, out var config, out var errors))
        {
            foreach (var e in errors)
            {
                error.WriteLine($"vigil: error: {e}");
            }
            return null;
        }
        return Route.Build(config.Route);
    }
}
