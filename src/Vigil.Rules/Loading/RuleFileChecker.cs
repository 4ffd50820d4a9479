using System.Text;
using Vigil.Model;

namespace Vigil.Rules.Loading;

/// <summary>
/// <c>promtool check rules</c> of Prometheus 2.42: for each file <c>Checking FILE</c>, then <c>  SUCCESS: N rules found</c>
/// or <c>  FAILED:</c> and every error (on the error writer), then an empty line; the <c>duplicate-rules</c> lint reports
/// rules with the same name and labels. Exit code 1 when a file has errors, 3 when only lint failed under
/// <c>--lint-fatal</c>, else 0.
/// </summary>
public static class RuleFileChecker
{
    /// <summary>Exit code: everything passed (or only lint failed without <c>--lint-fatal</c>).</summary>
    public const int Success = 0;

    /// <summary>Exit code: a file has errors.</summary>
    public const int Failure = 1;

    /// <summary>Exit code: lint failed with <c>--lint-fatal</c>.</summary>
    public const int LintFailure = 3;

    /// <summary>Which lints run (promtool's <c>--lint</c>: <c>all</c>, <c>duplicate-rules</c>, <c>none</c>, comma-separated).</summary>
    public sealed record LintSettings(bool DuplicateRules, bool Fatal)
    {
        /// <summary>Parses <c>--lint</c>; unknown settings print promtool's warning to <paramref name="output"/>.</summary>
        public static LintSettings Parse(string value, bool fatal, TextWriter output)
        {
            ArgumentNullException.ThrowIfNull(value);
            ArgumentNullException.ThrowIfNull(output);
            var duplicates = false;
            foreach (var setting in value.Split(','))
            {
                switch (setting)
                {
                    case "all" or "duplicate-rules":
                        duplicates = true;
                        break;
                    case "none":
                        duplicates = false;
                        break;
                    default:
                        output.WriteLine($"WARNING: unknown lint option {setting}");
                        break;
                }
            }
            return new LintSettings(duplicates, fatal);
        }
    }

    /// <summary>Checks <paramref name="paths"/> (or standard input when empty) and returns promtool's exit code.</summary>
    public static int Run(IReadOnlyList<string> paths, LintSettings lint, TextWriter output, TextWriter error, TextReader? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(lint);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var failed = false;
        var hasErrors = false;
        if (paths.Count == 0)
        {
            output.WriteLine("Checking standard input");
            var text = (stdin ?? TextReader.Null).ReadToEnd();
            if (!RuleFileParser.TryParse(text, "", out var parsed, out var parseErrors))
            {
                // promtool prints the first error bare and stops.
                error.WriteLine(Unprefixed(parseErrors[0]));
                return Failure;
            }
            (failed, hasErrors) = Report(parsed!, lint, output, error);
        }
        else
        {
            (failed, hasErrors) = CheckFiles(paths, lint, output, error);
        }
        if (failed && hasErrors)
        {
            return Failure;
        }
        return failed && lint.Fatal ? LintFailure : Success;
    }

    /// <summary>
    /// Checks each file as promtool's <c>checkRules</c> does (also what <c>check config</c> runs on the rule files it
    /// finds, with each error prefixed by <paramref name="errorPrefix"/>). Failed: something was reported; HasErrors:
    /// more than lint.
    /// </summary>
    public static (bool Failed, bool HasErrors) CheckFiles(IReadOnlyList<string> paths, LintSettings lint, TextWriter output, TextWriter error, string errorPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(lint);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var failed = false;
        var hasErrors = false;
        foreach (var path in paths)
        {
            output.WriteLine($"Checking {path}");
            if (!RuleFileParser.TryParseFile(path, out var parsed, out var errors))
            {
                error.WriteLine("  FAILED:");
                foreach (var e in errors)
                {
                    error.WriteLine(errorPrefix + e);
                }
                output.WriteLine();
                failed = hasErrors = true;
                continue;
            }
            var (f, h) = Report(parsed!, lint, output, error, errorPrefix);
            failed |= f;
            hasErrors |= h;
        }
        return (failed, hasErrors);
    }

    private static string Unprefixed(string e) => e.StartsWith(": ", StringComparison.Ordinal) ? e[2..] : e;

    private static (bool Failed, bool HasErrors) Report(RuleFile file, LintSettings lint, TextWriter output, TextWriter error, string errorPrefix = "")
    {
        if (lint.DuplicateRules && DuplicateRulesMessage(file) is { } message)
        {
            error.WriteLine("  FAILED:");
            error.WriteLine(errorPrefix + "lint error " + message);
            output.WriteLine();
            return (true, false);
        }
        output.WriteLine($"  SUCCESS: {file.RuleCount} rules found");
        output.WriteLine();
        return (false, false);
    }

    /// <summary>promtool's <c>checkDuplicates</c> report: rules sorted by name then labels, each duplicated pair once; null when none.</summary>
    public static string? DuplicateRulesMessage(RuleFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var rules = new List<(string Metric, Labels Labels)>();
        foreach (var g in file.Groups)
        {
            foreach (var r in g.Rules)
            {
                rules.Add((r.Name, r.Labels));
            }
        }
        if (rules.Count < 2)
        {
            return null;
        }
        static int Compare((string Metric, Labels Labels) a, (string Metric, Labels Labels) b)
        {
            var c = string.CompareOrdinal(a.Metric, b.Metric);
            return c != 0 ? c : a.Labels.CompareTo(b.Labels);
        }
        rules.Sort(Compare);
        var duplicates = new List<(string Metric, Labels Labels)>();
        var last = rules[0];
        for (var i = 1; i < rules.Count; i++)
        {
            if (Compare(last, rules[i]) == 0 && (duplicates.Count == 0 || Compare(last, duplicates[^1]) != 0))
            {
                duplicates.Add(rules[i]);
            }
            last = rules[i];
        }
        if (duplicates.Count == 0)
        {
            return null;
        }
        var sb = new StringBuilder();
        sb.Append(duplicates.Count).Append(" duplicate rule(s) found.\n");
        foreach (var (metric, labels) in duplicates)
        {
            sb.Append("Metric: ").Append(metric).Append("\nLabel(s):\n");
            foreach (var l in labels)
            {
                sb.Append('\t').Append(l.Name).Append(": ").Append(l.Value).Append('\n');
            }
        }
        sb.Append("Might cause inconsistency while recording expressions");
        return sb.ToString();
    }
}
