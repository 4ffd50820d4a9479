using Vigil.Rules.Slo;
using Vigil.Server.Hosting;

namespace Vigil.Server.Rules;

/// <summary>
/// The SLO spec files of <c>vigil serve --slo.file GLOB</c> as rule files for the <see cref="RuleService"/>: each
/// pattern resolved against the working directory (wildcards in the file name), the specs read and checked together
/// (<see cref="SloSpecSet"/>), compiled with <see cref="SloCompiler"/> — the same compiler as <c>vigil slo
/// generate</c> — and written, one rule file per spec, into <c>slo-rules/</c> of the data directory, so the groups
/// load, evaluate, restore and show in <c>/api/v1/rules</c> exactly like <c>rule_files</c>. Nothing is written when
/// any spec has an error: the errors (<c>file:line: field: why</c>) are returned and the running rules stay.
/// </summary>
public sealed class SloRuleSource
{
    /// <summary>The folder of the data directory the compiled rule files are written to.</summary>
    public const string FolderName = "slo-rules";

    private readonly IReadOnlyList<string> _patterns;
    private readonly string _outputDirectory;

    /// <summary>Creates the source for <paramref name="patterns"/>, writing compiled rules into <paramref name="outputDirectory"/>.</summary>
    public SloRuleSource(IReadOnlyList<string> patterns, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        _patterns = patterns;
        _outputDirectory = outputDirectory;
    }

    /// <summary>The source of <see cref="ServerOptions.SloFiles"/>, writing into <c>slo-rules/</c> of the data directory.</summary>
    public static SloRuleSource For(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SloRuleSource(options.SloFiles, Path.Combine(options.DataPath, FolderName));
    }

    /// <summary>Whether any pattern was given (without, nothing is read or written).</summary>
    public bool IsEmpty => _patterns.Count == 0;

    /// <summary>
    /// Start-up's check (the SLO counterpart of a bad <c>--config.file</c>): throws <see cref="StartupException"/> with
    /// every problem, one per line, when a spec does not compile.
    /// </summary>
    public static void ThrowIfInvalid(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SloFiles.Count == 0)
        {
            return;
        }
        if (!TryCompile(options.SloFiles, out _, out var errors))
        {
            throw new StartupException($"error loading SLO specs (--slo.file):\n{string.Join('\n', errors)}");
        }
    }

    /// <summary>
    /// Reads and compiles every spec; on success writes the rule files (replacing those of an earlier run) and returns
    /// their paths in pattern order; on any error writes nothing and returns the errors.
    /// </summary>
    public bool TryGenerate(out IReadOnlyList<string> files, out IReadOnlyList<string> errors)
    {
        files = [];
        if (_patterns.Count == 0)
        {
            errors = [];
            return true;
        }
        if (!TryCompile(_patterns, out var compiled, out errors))
        {
            return false;
        }
        try
        {
            files = Write(compiled);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors = [$"writing compiled SLO rules to \"{_outputDirectory}\": {e.Message}"];
            return false;
        }
    }

    /// <summary>
    /// <paramref name="patterns"/> relative to the working directory, globbed in the file name and sorted per pattern;
    /// a pattern without wildcards names a file that must exist, a wildcard pattern may match nothing.
    /// </summary>
    public static List<string> Resolve(IReadOnlyList<string> patterns, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(errors);
        var files = new List<string>();
        foreach (var pattern in patterns)
        {
            var name = Path.GetFileName(pattern);
            if (name.IndexOfAny(['*', '?', '[']) < 0)
            {
                if (File.Exists(pattern))
                {
                    files.Add(pattern);
                }
                else
                {
                    errors.Add($"{pattern}: SLO spec file not found (--slo.file)");
                }
                continue;
            }
            if (Path.GetDirectoryName(pattern) is { } dirPart && dirPart.IndexOfAny(['*', '?', '[']) >= 0)
            {
                errors.Add($"{pattern}: wildcards are only supported in the file name (--slo.file)");
                continue;
            }
            // The same shape as rule_files: RuleService.ResolveRuleFiles with no configuration directory to join.
            files.AddRange(RuleService.ResolveRuleFiles([pattern], configFile: null));
        }
        return files;
    }

    private static bool TryCompile(IReadOnlyList<string> patterns, out List<(string Path, IReadOnlyList<SloRuleGroup> Groups)> compiled, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var paths = Resolve(patterns, problems);
        compiled = new List<(string, IReadOnlyList<SloRuleGroup>)>(paths.Count);
        foreach (var (path, spec, specErrors) in SloSpecSet.Load(paths))
        {
            foreach (var problem in specErrors)
            {
                problems.Add(problem.ToString());
            }
            if (spec is not null)
            {
                compiled.Add((path, SloCompiler.Compile(spec)));
            }
        }
        errors = problems;
        return problems.Count == 0;
    }

    private List<string> Write(List<(string Path, IReadOnlyList<SloRuleGroup> Groups)> compiled)
    {
        Directory.CreateDirectory(_outputDirectory);
        var written = new List<string>(compiled.Count);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < compiled.Count; i++)
        {
            var (source, groups) = compiled[i];
            // The index keeps two specs of the same name in different folders apart, and the files in pattern order.
            var fileName = $"{i:D3}-{Path.GetFileNameWithoutExtension(source)}.yml";
            var target = Path.Combine(_outputDirectory, fileName);
            var header = $"Compiled by `vigil serve --slo.file` from {Path.GetFullPath(source)}; DO NOT EDIT (rewritten at start-up and reload).";
            var text = SloRuleFileWriter.Write(groups, header);
            // Unchanged output is not rewritten; changed output replaces the file atomically (write temp, rename).
            if (!File.Exists(target) || !string.Equals(File.ReadAllText(target), text, StringComparison.Ordinal))
            {
                var temp = target + ".tmp";
                File.WriteAllText(temp, text);
                File.Move(temp, target, overwrite: true);
            }
            written.Add(target);
            keep.Add(fileName);
        }
        // Files of specs no longer given would otherwise linger (they are never loaded, but would mislead a reader).
        foreach (var stale in Directory.EnumerateFiles(_outputDirectory, "*.yml"))
        {
            if (!keep.Contains(Path.GetFileName(stale)))
            {
                File.Delete(stale);
            }
        }
        return written;
    }
}
