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
/// <c>promql_expr_test</c> is fully supported. Recording and alerting rules are not evaluated yet: a file
/// that lists <c>rule_files</c> or has an <c>alert_rule_test</c> fails with a message saying so, rather than
/// passing with its rules ignored.
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
            var errors = TestFile(path, query, cancellationToken);
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
        => TestFile(path, query: null, cancellationToken);

    private static IReadOnlyList<string> TestFile(string path, RuleTestGroupRunner.InstantQuery? query, CancellationToken cancellationToken)
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
        return TestFile(path, file, query, cancellationToken);
    }

    /// <summary>Runs the checks of an already read file; <paramref name="path"/> names it in messages.</summary>
    public static IReadOnlyList<string> TestFile(string path, RuleTestFile file, CancellationToken cancellationToken = default)
        => TestFile(path, file, query: null, cancellationToken);

    private static IReadOnlyList<string> TestFile(string path, RuleTestFile file, RuleTestGroupRunner.InstantQuery? query, CancellationToken cancellationToken)
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
        if (file.RuleFiles.Count > 0)
        {
            return [string.Create(CultureInfo.InvariantCulture,
                $"{path}: rule_files ({string.Join(", ", file.RuleFiles)}): recording and alerting rules are not supported yet by vigil test rules; only promql_expr_test is")];
        }
        query ??= RuleTestGroupRunner.EngineFor(file);
        var errors = new List<string>();
        foreach (var group in file.Tests)
        {
            errors.AddRange(RuleTestGroupRunner.Run(path, file, group, query, cancellationToken));
        }
        return errors;
    }
}
