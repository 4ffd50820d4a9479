using System.CommandLine;
using Vigil.Alerting.Config;
using Vigil.Alerting.Templates;
using Vigil.Templates;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil check alertmanager FILE...</c>: validates Alertmanager configuration files like <c>amtool check-config</c>
/// 0.25, with the same stdout (<c>Checking 'F'  SUCCESS</c> and the summary of what was found, or
/// <c>Checking 'F'  FAILED: ...</c>) and exit code. Vigil's errors name the file and line
/// (<c>alertmanager.yml:12: undefined receiver "x" used in route</c>) and list every problem found. Template globs
/// are expanded and the files read; their template syntax is not parsed yet. Integrations Vigil does not deliver to
/// are accepted, with a warning on stderr.
/// </summary>
public static class CheckAlertmanagerCommand
{
    /// <summary>Builds <c>check alertmanager</c>.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("check-files")
        {
            Description = "Alertmanager configuration files (alertmanager.yml).",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command(
            "alertmanager",
            "Check Alertmanager configuration files (like amtool check-config): exit code 0 when all are valid, 1 otherwise.")
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
                    error.WriteLine($"vigil: error: path '{path}' does not exist");
                    return Task.FromResult(VigilCommand.Failed);
                }
            }
            return Task.FromResult(Run(paths, output, error));
        });
        return command;
    }

    /// <summary>Checks each file as amtool does; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> paths, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var failed = 0;
        foreach (var path in paths)
        {
            output.Write($"Checking '{path}'");
            if (!AlertmanagerConfigLoader.TryLoadFile(path, out var config, out var errors))
            {
                output.WriteLine($"  FAILED: {errors[0]}");
                for (var i = 1; i < errors.Count; i++)
                {
                    output.WriteLine($"  {errors[i]}");
                }
                output.WriteLine();
                failed++;
                continue;
            }
            output.WriteLine("  SUCCESS");
            output.WriteLine("Found:");
            output.WriteLine(" - global config");
            output.WriteLine(" - route");
            output.WriteLine($" - {config.InhibitRules.Count} inhibit rules");
            output.WriteLine($" - {config.Receivers.Count} receivers");
            output.WriteLine($" - {config.Templates.Count} templates");
            if (config.Templates.Count > 0)
            {
                if (CheckTemplates(config.Templates) is { } templateError)
                {
                    output.WriteLine($"  FAILED: {templateError}");
                    failed++;
                }
                else
                {
                    output.WriteLine("  SUCCESS");
                }
            }
            output.WriteLine();
            foreach (var receiver in config.Receivers)
            {
                foreach (var unsupported in receiver.Unsupported)
                {
                    error.WriteLine($"  WARNING: {path}:{unsupported.Line}: receiver \"{receiver.Name}\": {unsupported.Key} are not supported by Vigil; they are accepted and will not be notified");
                }
            }
        }
        if (failed > 0)
        {
            error.WriteLine($"vigil: error: failed to validate {failed} file(s)");
            return VigilCommand.Failed;
        }
        return VigilCommand.Ok;
    }

    // Alertmanager's template.FromGlobs: every glob must be well-formed and every file it matches readable.
    private static string? CheckTemplates(IReadOnlyList<string> globs)
    {
        foreach (var glob in globs)
        {
            var dir = Path.GetDirectoryName(glob) ?? "";
            var name = Path.GetFileName(glob);
            if (HasBadPattern(glob))
            {
                return "syntax error in pattern";
            }
            if (!Directory.Exists(dir.Length == 0 ? "." : dir))
            {
                continue;
            }
            var pattern = name.IndexOfAny(['*', '?', '[']) >= 0 ? name : null;
            IEnumerable<string> files = pattern is null
                ? (File.Exists(glob) ? [glob] : [])
                : Directory.EnumerateFiles(dir.Length == 0 ? "." : dir).Where(f => GlobMatches(pattern, Path.GetFileName(f)));
            foreach (var file in files)
            {
                try
                {
                    _ = File.ReadAllText(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return e.Message;
                }
            }
        }
        // Then parse them with the defaults, as template.FromGlobs does: Go's parse error as amtool prints it.
        try
        {
            _ = NotificationTemplates.Load(globs);
        }
        catch (NotificationTemplateException e)
        {
            return e.InnerException is TemplateException parse ? parse.Message : e.Message;
        }
        return null;
    }

    // Go's filepath.Match syntax errors: an unclosed '[' or a trailing backslash.
    private static bool HasBadPattern(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                if (++i >= pattern.Length)
                {
                    return true;
                }
            }
            else if (pattern[i] == '[')
            {
                var close = pattern.IndexOf(']', i + 1 < pattern.Length && pattern[i + 1] == '^' ? i + 2 : i + 1);
                if (close < 0 || close == i + 1)
                {
                    return true;
                }
                i = close;
            }
        }
        return false;
    }

    // Go's filepath.Match for one path element: * ? [class] and \ escapes.
    private static bool GlobMatches(string pattern, string name)
    {
        if (pattern.Length == 0)
        {
            return name.Length == 0;
        }
        switch (pattern[0])
        {
            case '*':
                for (var i = 0; i <= name.Length; i++)
                {
                    if (GlobMatches(pattern[1..], name[i..]))
                    {
                        return true;
                    }
                }
                return false;
            case '?':
                return name.Length > 0 && GlobMatches(pattern[1..], name[1..]);
            case '[':
            {
                var close = pattern.IndexOf(']', 2);
                if (close < 0 || name.Length == 0)
                {
                    return false;
                }
                var cls = pattern[1..close];
                var negate = cls.StartsWith('^');
                if (negate)
                {
                    cls = cls[1..];
                }
                var hit = false;
                for (var i = 0; i < cls.Length; i++)
                {
                    if (i + 2 < cls.Length && cls[i + 1] == '-')
                    {
                        hit |= name[0] >= cls[i] && name[0] <= cls[i + 2];
                        i += 2;
                    }
                    else
                    {
                        hit |= name[0] == cls[i];
                    }
                }
                return hit != negate && GlobMatches(pattern[(close + 1)..], name[1..]);
            }
            case '\\' when pattern.Length > 1:
                return name.Length > 0 && name[0] == pattern[1] && GlobMatches(pattern[2..], name[1..]);
            default:
                return name.Length > 0 && name[0] == pattern[0] && GlobMatches(pattern[1..], name[1..]);
        }
    }
}
