using System.Globalization;

namespace Vigil.Rules.UnitTesting;

/// <summary>
/// Runs rule unit-test files like <c>promtool test rules</c> 2.42 (<c>RulesUnitTest</c> in
/// <c>cmd/promtool/unittest.go</c>), with the same report and exit code. For each file it writes
/// <c>Unit Testing:  FILE</c> to <c>output</c>, then either <c>  SUCCESS</c> (to output) or <c>  FAILED:</c> and
/// each failure (to <c>error</c>, each followed by an empty line on output), then an empty line.
/// Returns 0 when every file passed, 1 otherwise.
/// </summary>
/// <remarks>
/// The test's <c>rule_files</c> (relative to the test file, with globs) are evaluated every <c>evaluation_interval</c>
/// and checked by <c>alert_rule_test</c>; <c>promql_expr_test</c> runs after the evaluation loop.
/// </remarks>
public static class RuleUnitTestRunner
{
    /// <summary>Exit code when every test passed.</summary>
    public const int Success = 0;

    /// <summary>Exit code when a test failed or a file could not be used.</summary>
    public const int Failure = 1;

    /// <summary>Runs the files in <paramref name="paths"/>, writing the report as promtool splits it across stdout and stderr.</summary>
    public static int Run(IReadOnlyList<string> paths, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
        => Run(paths, output, error, query: null, cancellationToken);

    /// <summary>As the public overload, with <paramref name="query"/> in place of the engine when not null.</summary>
    internal static int Run(IReadOnlyList<string> paths, TextWriter output, TextWriter error, RuleTestGroupRunner.InstantQuery? query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var failed = false;
        foreach (var path in paths)
        {
            output.WriteLine($"Unit Testing:  {path}");
            var errors = TestFile(path, query, error, cancellationToken);
            if (errors.Count > 0)
            {
                error.WriteLine("  FAILED:");
                foreach (var e in errors)
                {
                    error.WriteLine(e);
                    output.WriteLine();
                }
                failed = true;
            }
            else
            {
                output.WriteLine("  SUCCESS");
            }
            output.WriteLine();
        }
        return failed ? Failure : Success;
    }

    /// <summary>Runs the files in <paramref name="paths"/>, writing the whole report to <paramref name="output"/> (as <c>2&gt;&amp;1</c> shows it).</summary>
    public static int Run(IReadOnlyList<string> paths, TextWriter output, CancellationToken cancellationToken = default)
        => Run(paths, output, output, cancellationToken);

    /// <summary>Runs one file; returns its failures in promtool's words (empty when it passed).</summary>
    public static IReadOnlyList<string> TestFile(string path, CancellationToken cancellationToken = default)
        => TestFile(path, query: null, TextWriter.Null, cancellationToken);

    private static IReadOnlyList<string> TestFile(string path, RuleTestGroupRunner.InstantQuery? query, TextWriter warnings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return [$"open {path}: no such file or directory"];
        }
        catch (DirectoryNotFoundException)
        {
            return [$"open {path}: no such file or directory"];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [$"open {path}: {e.Message}"];
        }
        if (!RuleTestFileReader.TryRead(text, out var file, out var readError))
        {
            return [readError!];
        }
        return TestFile(path, file, query, warnings, cancellationToken);
    }

    /// <summary>Runs the checks of an already read file; <paramref name="path"/> names it in messages.</summary>
    public static IReadOnlyList<string> TestFile(string path, RuleTestFile file, CancellationToken cancellationToken = default)
        => TestFile(path, file, query: null, TextWriter.Null, cancellationToken);

    private static IReadOnlyList<string> TestFile(string path, RuleTestFile file, RuleTestGroupRunner.InstantQuery? query, TextWriter warnings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(file);
        var order = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in file.GroupEvalOrder)
        {
            if (!order.Add(name))
            {
                return [$"group name repeated in evaluation order: {name}"];
            }
        }
        var ruleFiles = ResolveRuleFiles(path, file.RuleFiles, warnings);
        query ??= RuleTestGroupRunner.EngineFor(file);
        var errors = new List<string>();
        foreach (var group in file.Tests)
        {
            errors.AddRange(RuleTestGroupRunner.Run(path, file, group, query, ruleFiles, cancellationToken));
        }
        return errors;
    }

    // promtool's resolveAndGlobFilepaths: relative to the test file's directory, globbed; a pattern matching nothing is a warning.
    private static List<string> ResolveRuleFiles(string testPath, List<string> patterns, TextWriter warnings)
    {
        var baseDir = Path.GetDirectoryName(testPath) ?? "";
        var files = new List<string>();
        foreach (var pattern in patterns)
        {
            var full = pattern.Length > 0 && !Path.IsPathRooted(pattern) ? GoPathJoin(baseDir, pattern) : pattern;
            var matches = Glob(full);
            if (matches.Count == 0)
            {
                warnings.WriteLine($"  WARNING: no file match pattern {full}");
            }
            files.AddRange(matches);
        }
        return files;
    }

    // Go's filepath.Join: cleaned, "." for an empty directory dropped.
    private static string GoPathJoin(string dir, string file)
    {
        var joined = dir.Length == 0 ? file : dir + "/" + file;
        var parts = new List<string>();
        var rooted = joined.StartsWith('/');
        foreach (var part in joined.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }
            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            if (part == ".." && rooted)
            {
                continue;
            }
            parts.Add(part);
        }
        var result = string.Join('/', parts);
        return rooted ? "/" + result : result.Length == 0 ? "." : result;
    }

    // Go's filepath.Glob with wildcards in the last element only (enough for rule_files); sorted matches.
    private static List<string> Glob(string pattern)
    {
        var name = Path.GetFileName(pattern);
        if (name.IndexOfAny(['*', '?', '[']) < 0)
        {
            return File.Exists(pattern) || Directory.Exists(pattern) ? [pattern] : [];
        }
        var dir = Path.GetDirectoryName(pattern) ?? "";
        var search = dir.Length == 0 ? "." : dir;
        if (!Directory.Exists(search))
        {
            return [];
        }
        var matches = new List<string>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(search, name))
        {
            matches.Add(dir.Length == 0 ? Path.GetFileName(entry) : dir + "/" + Path.GetFileName(entry));
        }
        matches.Sort(StringComparer.Ordinal);
        return matches;
    }
}
