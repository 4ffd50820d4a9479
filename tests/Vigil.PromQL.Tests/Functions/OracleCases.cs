using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;
using Vigil.PromQL.Functions;

namespace Vigil.PromQL.Tests.FunctionsTests;

/// <summary>
/// Reads the promtool unit-test files in <c>Functions/oracle/</c> (whose expectations promtool itself checks, see
/// <see cref="PromtoolOracleTests"/>) and evaluates each case with <see cref="FunctionCalls"/> alone, standing in
/// for the engine the way Prometheus's would call the functions: range selectors give each series' samples in
/// <c>[t - offset - range, t - offset]</c>, instant selectors the latest sample in the 5m lookback, the range
/// functions' results get the series' labels without <c>__name__</c>. Supported expressions are function calls
/// (nested), selectors, number and string literals, and the NaN probes <c>E == E</c> and <c>E != bool E</c>.
/// </summary>
internal static partial class OracleCases
{
    private const long LookbackMs = 5 * 60 * 1000;

    public static string Directory { get; } = Vigil.Testing.RepoRoot.Combine("tests", "Vigil.PromQL.Tests", "Functions", "oracle");

    public sealed record InputSeries(Labels Metric, List<Sample> Samples);

    public sealed record Case(string File, int Line, string Expr, long EvalTimeMs, List<(Labels Metric, double Value)> Expected, List<InputSeries> Input)
    {
        public override string ToString() => $"{File}:{Line} {Expr} @ {EvalTimeMs / 1000}s";
    }

    public static IEnumerable<Case> Load()
    {
        foreach (var path in System.IO.Directory.GetFiles(Directory, "*.yml").Order(StringComparer.Ordinal))
        {
            foreach (var c in LoadFile(path))
            {
                yield return c;
            }
        }
    }

    // A line-based reader for the subset of promtool's format these files use.
    private static List<Case> LoadFile(string path)
    {
        var lines = File.ReadAllLines(path);
        var cases = new List<Case>();
        var input = new List<InputSeries>();
        var pending = new List<(int Line, string Expr, long Eval, List<(Labels, double)> Expected)>();
        long interval = 60_000;
        string? series = null;
        Labels? expectedLabels = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }
            var (key, value) = SplitKey(line.StartsWith("- ", StringComparison.Ordinal) ? line[2..] : line);
            switch (key)
            {
                case "interval":
                    interval = Duration(value);
                    break;
                case "series":
                    series = Unquote(value);
                    break;
                case "values":
                    input.Add(new InputSeries(ParseSelectorLabels(series!), ExpandSeries(Unquote(value), interval)));
                    break;
                case "expr":
                    pending.Add((i + 1, value, 0, []));
                    break;
                case "eval_time":
                    pending[^1] = pending[^1] with { Eval = Duration(value) };
                    break;
                case "labels":
                    expectedLabels = ParseLabels(Unquote(value));
                    break;
                case "value":
                    pending[^1].Expected.Add((expectedLabels!, ParseYamlFloat(value)));
                    break;
            }
        }
        // promtool loads samples only up to the last evaluation at or before the largest eval_time.
        var maxEval = pending.Count == 0 ? 0 : pending.Max(p => p.Eval);
        foreach (var s in input)
        {
            s.Samples.RemoveAll(p => p.TimestampMs > maxEval);
        }
        foreach (var (line, expr, eval, expected) in pending)
        {
            cases.Add(new Case(Path.GetFileName(path), line, expr, eval, expected, input));
        }
        return cases;
    }

    private static (string Key, string Value) SplitKey(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (line, "") : (line[..colon].Trim(), line[(colon + 1)..].Trim());
    }

    private static string Unquote(string s) =>
        s.Length >= 2 && s[0] == '\'' && s[^1] == '\'' ? s[1..^1].Replace("''", "'", StringComparison.Ordinal) : s;

    private static long Duration(string s)
    {
        Assert.True(PromDuration.TryParse(s, out var d, out var error), error);
        return (long)d.TotalMilliseconds;
    }

    private static double ParseYamlFloat(string s) => s switch
    {
        ".inf" or "+.inf" => double.PositiveInfinity,
        "-.inf" => double.NegativeInfinity,
        ".nan" => double.NaN,
        _ => double.Parse(s, CultureInfo.InvariantCulture),
    };

    private static double ParseNumber(string s) => s switch
    {
        "Inf" or "+Inf" or "inf" => double.PositiveInfinity,
        "-Inf" or "-inf" => double.NegativeInfinity,
        "NaN" or "nan" => double.NaN,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    // promtool's series notation: `a+bxn` (n+1 values, added up step by step), `_`, `_xn`, plain values.
    private static List<Sample> ExpandSeries(string notation, long interval)
    {
        var samples = new List<Sample>();
        long step = 0;
        foreach (var token in notation.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var x = token.LastIndexOf('x');
            if (token == "_")
            {
                step++;
            }
            else if (token.StartsWith("_x", StringComparison.Ordinal))
            {
                step += int.Parse(token[2..], CultureInfo.InvariantCulture);
            }
            else if (x > 0 && char.IsAsciiDigit(token[^1]))
            {
                var times = int.Parse(token[(x + 1)..], CultureInfo.InvariantCulture);
                var body = token[..x];
                var split = -1;
                for (var i = body.Length - 1; i > 0; i--)
                {
                    if (body[i] is '+' or '-' && body[i - 1] is not ('e' or 'E'))
                    {
                        split = i;
                        break;
                    }
                }
                var start = ParseNumber(body[..split]);
                var inc = ParseNumber(body[split..]);
                var k = start;
                for (var j = 0; j <= times; j++)
                {
                    samples.Add(new Sample(step++ * interval, k));
                    k += inc;
                }
            }
            else
            {
                samples.Add(new Sample(step++ * interval, ParseNumber(token)));
            }
        }
        return samples;
    }

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*,?\s*""")]
    private static partial Regex MatcherRegex();

    private static List<LabelMatcher> ParseMatchers(string selector)
    {
        var matchers = new List<LabelMatcher>();
        var brace = selector.IndexOf('{', StringComparison.Ordinal);
        var name = brace < 0 ? selector.Trim() : selector[..brace].Trim();
        if (name.Length > 0)
        {
            matchers.Add(LabelMatcher.Create(LabelMatchType.Equal, Label.MetricName, name));
        }
        if (brace >= 0)
        {
            var body = selector[(brace + 1)..selector.LastIndexOf('}')];
            foreach (Match m in MatcherRegex().Matches(body))
            {
                var type = m.Groups[2].Value switch
                {
                    "=" => LabelMatchType.Equal,
                    "!=" => LabelMatchType.NotEqual,
                    "=~" => LabelMatchType.Regex,
                    _ => LabelMatchType.NotRegex,
                };
                matchers.Add(LabelMatcher.Create(type, m.Groups[1].Value, Unescape(m.Groups[3].Value)));
            }
        }
        return matchers;
    }

    private static Labels ParseSelectorLabels(string selector)
    {
        var labels = new List<Label>();
        foreach (var m in ParseMatchers(selector))
        {
            labels.Add(new Label(m.Name, m.Value));
        }
        return Labels.From(labels);
    }

    public static Labels ParseLabels(string text) => ParseSelectorLabels(text);

    private static string Unescape(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i++;
                sb.Append(s[i] switch { 'n' => '\n', 't' => '\t', _ => s[i] });
            }
            else
            {
                sb.Append(s[i]);
            }
        }
        return sb.ToString();
    }
}
