using System.CommandLine;
using Vigil.Model;
using Vigil.PromQL.Parser;
using Vigil.Rules.Loading;
using Vigil.Scrape.Config;
using Vigil.Scrape.Targets;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil check config FILE...</c>: validates Prometheus configuration files like <c>promtool check config</c> 2.42
/// (same output lines and exit code): the file itself, then that referenced rule files exist, credential and TLS
/// files exist, file_sd files parse, and static targets survive relabeling; then each rule file found is checked.
/// Errors name the file and line (<c>prometheus.yml:12: field scrape_intervall not found in type config.ScrapeConfig</c>).
/// Rule files are checked as <c>check rules</c> does (<see cref="RuleFileChecker"/>).
/// </summary>
public static class CheckCommand
{
    /// <summary>Builds <c>check</c> with its <c>config</c> subcommand.</summary>
    public static Command Create(TextWriter output, TextWriter error) => new("check", "Check resources for validity (like promtool check).")
    {
        CreateConfig(output, error),
        CheckAlertmanagerCommand.Create(output, error),
        CheckRulesCommand.Create(output, error),
        CheckSlosCommand.Create(output, error),
    };

    private static Command CreateConfig(TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("config-files")
        {
            Description = "Prometheus configuration files (prometheus.yml).",
            Arity = ArgumentArity.OneOrMore,
        };
        var syntaxOnly = new Option<bool>("--syntax-only")
        {
            Description = "Only check the config file syntax, ignoring file and content validation referenced in the config.",
        };
        var command = new Command(
            "config",
            "Check if the config files are valid (like promtool check config): exit code 0 when all are, 1 otherwise.")
        {
            files,
            syntaxOnly,
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
            return Task.FromResult(Run(paths, parse.GetValue(syntaxOnly), output, error));
        });
        return command;
    }

    /// <summary>Checks each file as promtool does; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> paths, bool syntaxOnly, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var failed = false;
        foreach (var path in paths)
        {
            output.WriteLine($"Checking {path}");
            var ruleFiles = new List<string>();
            var problems = CheckConfigFile(path, syntaxOnly, ruleFiles, output);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    error.WriteLine($"  FAILED: {problem}");
                }
                failed = true;
            }
            else
            {
                if (ruleFiles.Count > 0)
                {
                    output.WriteLine($"  SUCCESS: {ruleFiles.Count} rule files found");
                }
                output.WriteLine($" SUCCESS: {path} is valid prometheus config file syntax");
            }
            output.WriteLine();
            // promtool's checkRules on each rule file found, its errors indented as check config prints them.
            var (ruleFailed, ruleErrors) = RuleFileChecker.CheckFiles(ruleFiles, new RuleFileChecker.LintSettings(DuplicateRules: true, Fatal: false), output, error, "     ");
            failed |= ruleFailed && ruleErrors;
        }
        return failed ? VigilCommand.Failed : VigilCommand.Ok;
    }

    // promtool's checkConfig: load, then the files and targets the config refers to. Returns the problems found.
    private static List<string> CheckConfigFile(string path, bool syntaxOnly, List<string> ruleFiles, TextWriter output)
    {
        if (!ConfigLoader.TryLoadFile(path, out var config, out var errors))
        {
            return [.. errors.Select(e => e.ToString())];
        }
        var problems = new List<string>();
        if (!syntaxOnly)
        {
            foreach (var pattern in config.RuleFiles)
            {
                var matches = Glob(Join(path, pattern));
                if (!pattern.Contains('*', StringComparison.Ordinal) && matches.Count == 0)
                {
                    return [$"{path}: \"{pattern}\" does not point to an existing file"];
                }
                ruleFiles.AddRange(matches);
            }
        }
        foreach (var scrape in config.ScrapeConfigs)
        {
            var where = $"{path}:{scrape.Line}";
            if (!syntaxOnly && scrape.HttpClient.Authorization is { CredentialsFile.Length: > 0 } auth && !File.Exists(Join(path, auth.CredentialsFile)))
            {
                return [$"{where}: error checking authorization credentials or bearer token file \"{auth.CredentialsFile}\": stat {auth.CredentialsFile}: no such file or directory"];
            }
            if (CheckTls(scrape.HttpClient.Tls, path, syntaxOnly) is { } tlsError)
            {
                return [$"{where}: {tlsError}"];
            }
            foreach (var k8s in scrape.Discovery.Kubernetes)
            {
                if (CheckTls(k8s.HttpClient.Tls, path, syntaxOnly) is { } k8sTlsError)
                {
                    return [$"{where}: {k8sTlsError}"];
                }
            }
            if (!syntaxOnly)
            {
                foreach (var fileSd in scrape.Discovery.File)
                {
                    foreach (var pattern in fileSd.Files)
                    {
                        var matches = Glob(Join(path, pattern));
                        if (matches.Count == 0)
                        {
                            output.WriteLine($"  WARNING: file \"{Join(path, pattern)}\" for file_sd in scrape job \"{scrape.JobName}\" does not exist");
                            continue;
                        }
                        foreach (var file in matches)
                        {
                            if (!TargetGroupFile.TryParse(File.ReadAllText(file), file, out var groups, out var sdError))
                            {
                                return [$"checking SD file \"{Join(path, pattern)}\": {sdError}"];
                            }
                            if (CheckTargets(groups, scrape) is { } targetError)
                            {
                                return [$"{file}: {targetError}"];
                            }
                        }
                    }
                }
            }
            if (CheckTargets(scrape.Discovery.Static, scrape) is { } staticError)
            {
                return [$"{where}: {staticError}"];
            }
        }
        foreach (var am in config.Alerting.Alertmanagers)
        {
            if (syntaxOnly)
            {
                break;
            }
            foreach (var fileSd in am.Discovery.File)
            {
                foreach (var pattern in fileSd.Files)
                {
                    var matches = Glob(Join(path, pattern));
                    if (matches.Count == 0)
                    {
                        output.WriteLine($"  WARNING: file \"{Join(path, pattern)}\" for file_sd in alertmanager config does not exist");
                        continue;
                    }
                    foreach (var file in matches)
                    {
                        if (!TargetGroupFile.TryParse(File.ReadAllText(file), file, out _, out var sdError))
                        {
                            return [$"checking SD file \"{Join(path, pattern)}\": {sdError}"];
                        }
                    }
                }
            }
        }
        return problems;
    }

    // promtool's checkTLSConfig.
    private static string? CheckTls(TlsConfig tls, string configPath, bool syntaxOnly)
    {
        if (tls.CertFile.Length > 0 && tls.KeyFile.Length == 0)
        {
            return $"client cert file \"{tls.CertFile}\" specified without client key file";
        }
        if (tls.KeyFile.Length > 0 && tls.CertFile.Length == 0)
        {
            return $"client key file \"{tls.KeyFile}\" specified without client cert file";
        }
        if (syntaxOnly)
        {
            return null;
        }
        if (tls.CertFile.Length > 0 && !File.Exists(Join(configPath, tls.CertFile)))
        {
            return $"error checking client cert file \"{tls.CertFile}\": stat {tls.CertFile}: no such file or directory";
        }
        if (tls.KeyFile.Length > 0 && !File.Exists(Join(configPath, tls.KeyFile)))
        {
            return $"error checking client key file \"{tls.KeyFile}\": stat {tls.KeyFile}: no such file or directory";
        }
        return null;
    }

    // promtool's checkTargetGroupsForScrapeConfig: the first target that fails after relabeling.
    private static string? CheckTargets(IReadOnlyList<StaticConfig> groups, ScrapeConfig scrape)
    {
        for (var g = 0; g < groups.Count; g++)
        {
            for (var i = 0; i < groups[g].Targets.Count; i++)
            {
                var builder = new LabelsBuilder(groups[g].Labels).Set(TargetLabels.Address, groups[g].Targets[i]);
                if (!TargetLabels.TryPopulate(builder.ToLabels(), scrape, out _, out _, out var error))
                {
                    return $"instance {i} in group {g}: {error}";
                }
            }
        }
        return null;
    }

    // Prometheus's config.JoinDir: a relative path is relative to the config file's directory, spelled as given.
    private static string Join(string configPath, string path)
        => path.Length == 0 || Path.IsPathRooted(path) ? path : Path.Combine(Path.GetDirectoryName(configPath) ?? "", path);

    // Go's filepath.Glob where only the last element may hold wildcards (as Prometheus allows).
    private static List<string> Glob(string pattern)
    {
        var dir = Path.GetDirectoryName(pattern) ?? "";
        var name = Path.GetFileName(pattern);
        var results = new List<string>();
        if (!name.Contains('*', StringComparison.Ordinal) && !name.Contains('?', StringComparison.Ordinal))
        {
            if (File.Exists(pattern) || Directory.Exists(pattern))
            {
                results.Add(pattern);
            }
            return results;
        }
        if (!Directory.Exists(dir.Length == 0 ? "." : dir))
        {
            return results;
        }
        foreach (var match in Directory.EnumerateFileSystemEntries(dir.Length == 0 ? "." : dir, name).Order(StringComparer.Ordinal))
        {
            results.Add(Path.Combine(dir, Path.GetFileName(match)));
        }
        return results;
    }
}
