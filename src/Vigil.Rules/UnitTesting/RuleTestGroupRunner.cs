using System.Globalization;
using System.Text;
using Vigil.Model;
using Vigil.PromQL.Engine;
using Vigil.PromQL.Parser;
using Vigil.Storage;

namespace Vigil.Rules.UnitTesting;

/// <summary>
/// Runs one test group as promtool's <c>testGroup.test</c> does: the input series are loaded at
/// <c>interval</c> steps from time 0, but only the samples up to the last evaluation step at or before the
/// group's largest <c>eval_time</c> (promtool appends them step by step while it evaluates the rules, and runs
/// the expression checks after that loop); each <c>promql_expr_test</c> is then an instant query at its
/// <c>eval_time</c> on an engine with promtool's limits (10,000 samples, 100 s, the file's evaluation interval
/// as the default subquery step), compared exactly with the expected samples.
/// </summary>
internal static class RuleTestGroupRunner
{
    /// <summary>Evaluates one instant query: the engine in production, a fake in the report-format tests.</summary>
    public delegate QueryValue InstantQuery(IQueryableStorage storage, string expr, long timeMs, CancellationToken cancellationToken);

    /// <summary>promtool's <c>MaxSamples</c> for unit tests.</summary>
    public const int MaxSamples = 10_000;

    /// <summary>promtool's query timeout for unit tests.</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(100);

    /// <summary>promtool's engine for a file: its limits, and the file's evaluation interval as the default subquery step.</summary>
    public static InstantQuery EngineFor(RuleTestFile file)
    {
        var engine = new QueryEngine(new QueryEngineOptions
        {
            MaxSamples = MaxSamples,
            Timeout = QueryTimeout,
            DefaultEvaluationInterval = file.EvaluationInterval,
        });
        return (storage, expr, timeMs, cancellationToken) => engine.Evaluate(storage, QueryEngine.Parse(expr), timeMs, cancellationToken);
    }

    /// <summary>
    /// Runs one test group: loads <paramref name="ruleFiles"/> (already resolved), evaluates their groups at every
    /// evaluation interval from 0 to the largest <c>eval_time</c> while the input samples are appended step by step,
    /// checks the alert tests against the evaluation at or before each <c>eval_time</c>, then the expression tests.
    /// </summary>
    public static List<string> Run(string path, RuleTestFile file, RuleTestGroup group, InstantQuery query, IReadOnlyList<string> ruleFiles, CancellationToken cancellationToken)
    {
        if (!TryParseInputs(path, group, out var inputs, out var loadError))
        {
            return [loadError!];
        }
        var storage = new MemoryStorage();
        var loader = new InputLoader(inputs, (long)group.Interval.TotalMilliseconds, storage);
        var evalMs = (long)file.EvaluationInterval.TotalMilliseconds;
        var maxEvalMs = (long)group.MaxEvalTime.TotalMilliseconds;
        var errors = new List<string>();
        if (ruleFiles.Count > 0 || group.AlertRuleTests.Count > 0)
        {
            var ruleErrors = RuleTestAlerts.Run(file, group, storage, loader, ruleFiles, cancellationToken, out var stop);
            errors.AddRange(ruleErrors);
            if (stop)
            {
                return errors;
            }
        }
        // Whatever the rules did not already load: samples up to the last evaluation step at or before the largest eval_time.
        var lastStepMs = evalMs > 0 ? maxEvalMs / evalMs * evalMs : maxEvalMs;
        if (loader.LoadUntil(lastStepMs) is { } appendError)
        {
            return [$"{path}: {appendError}"];
        }
        foreach (var test in group.PromqlExprTests)
        {
            if (CheckExpression(query, storage, test, cancellationToken) is { } failure)
            {
                errors.Add(failure);
            }
        }
        return errors;
    }

    /// <summary>Parses the input series; a series listed twice keeps its last values (promtool keys its definitions by label hash).</summary>
    private static bool TryParseInputs(string path, RuleTestGroup group, out List<(Labels Metric, List<SequenceValue> Values)> inputs, out string? error)
    {
        inputs = [];
        error = null;
        var index = new Dictionary<Labels, int>();
        foreach (var input in group.InputSeries)
        {
            var description = $"{input.Series} {input.Values}";
            if (!SeriesNotation.TryParseSeries(description, out var metric, out var values, out var notationError))
            {
                var test = group.Name.Length > 0 ? $"test \"{group.Name}\"" : "unnamed test";
                error = string.Create(CultureInfo.InvariantCulture,
                    $"{path}:{input.Line}: {test}: input series {LabelText.Quote(description)}: {notationError}");
                return false;
            }
            if (index.TryGetValue(metric, out var i))
            {
                inputs[i] = (metric, values);
            }
            else
            {
                index[metric] = inputs.Count;
                inputs.Add((metric, values));
            }
        }
        return true;
    }

    /// <summary>Appends the input series step by step, as promtool's lazy loader does while the rules are evaluated.</summary>
    internal sealed class InputLoader(List<(Labels Metric, List<SequenceValue> Values)> inputs, long intervalMs, MemoryStorage storage)
    {
        private readonly int[] _next = new int[inputs.Count];
        private readonly SeriesRef[] _refs = new SeriesRef[inputs.Count];

        /// <summary>The storage the samples go to.</summary>
        public MemoryStorage Storage => storage;

        /// <summary>Appends every not yet loaded sample at or before <paramref name="timeMs"/>; an error text when one is rejected.</summary>
        public string? LoadUntil(long timeMs)
        {
            var appender = storage.Appender();
            for (var s = 0; s < inputs.Count; s++)
            {
                var (metric, values) = inputs[s];
                for (var i = _next[s]; i < values.Count; i++)
                {
                    var t = i * intervalMs;
                    if (t > timeMs)
                    {
                        break;
                    }
                    _next[s] = i + 1;
                    if (values[i].Omitted)
                    {
                        continue;
                    }
                    // With interval 0 every value lands on time 0: the first one stays, as in promtool.
                    var status = appender.Append(ref _refs[s], metric, t, values[i].Value);
                    if (status is not (AppendStatus.Ok or AppendStatus.DuplicateTimestamp))
                    {
                        appender.Rollback();
                        return $"cannot load series {metric}: {status}";
                    }
                }
            }
            appender.Commit();
            return null;
        }
    }

    /// <summary>Runs one expression check; null when it passed, else promtool's failure text.</summary>
    private static string? CheckExpression(InstantQuery query, MemoryStorage storage, PromqlTestCase test, CancellationToken cancellationToken)
    {
        var head = $"    expr: {LabelText.Quote(test.Expr)}, time: {PromDuration.Format(test.EvalTime)},";
        if (!TryQuery(query, storage, test, cancellationToken, out var got, out var queryError))
        {
            return $"{head} err: {queryError}";
        }
        var expected = new List<ResultSample>(test.ExpSamples.Count);
        foreach (var s in test.ExpSamples)
        {
            if (!SeriesNotation.TryParseMetric(s.Labels, out var labels, out var labelsError))
            {
                return $"{head} err: labels {LabelText.Quote(s.Labels)}: {labelsError}";
            }
            expected.Add(new ResultSample(labels, s.Value));
        }
        if (ResultSample.SetsEqual(expected, got))
        {
            return null;
        }
        return $"{head}\n        exp: {ResultSample.Format(expected)}\n        got: {ResultSample.Format(got)}";
    }

    private static bool TryQuery(InstantQuery query, MemoryStorage storage, PromqlTestCase test, CancellationToken cancellationToken, out List<ResultSample> samples, out string? error)
    {
        samples = [];
        error = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(QueryTimeout);
        QueryValue value;
        try
        {
            value = query(storage, test.Expr, (long)test.EvalTime.TotalMilliseconds, timeout.Token);
        }
        catch (QueryException e)
        {
            error = e.Message;
            return false;
        }
        catch (ParseException e)
        {
            error = e.Message;
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = "query timed out in query execution";
            return false;
        }
#pragma warning disable CA1031 // An engine fault is this test's failure, reported with the others, not a crash of the whole run.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            error = $"internal error: {e.GetType().Name}: {e.Message}";
            return false;
        }
        switch (value)
        {
            case Vector vector:
                foreach (var s in vector.Samples)
                {
                    samples.Add(new ResultSample(s.Metric, s.Value));
                }
                return true;
            case ScalarResult scalar:
                samples.Add(new ResultSample(Labels.Empty, scalar.Value));
                return true;
            default:
                error = "rule result is not a vector or scalar";
                return false;
        }
    }
}

/// <summary>A labelled value of a query result or an expectation (promtool's <c>parsedSample</c>).</summary>
/// <param name="Labels">The labels.</param>
/// <param name="Value">The value.</param>
internal readonly record struct ResultSample(Labels Labels, double Value)
{
    /// <summary>
    /// promtool's comparison: both sides sorted by labels, then equal element by element with Go's <c>==</c> on
    /// values (so <c>-0</c> equals <c>0</c> and NaN equals nothing) and exact label sets.
    /// </summary>
    public static bool SetsEqual(List<ResultSample> expected, List<ResultSample> got)
    {
        if (expected.Count != got.Count)
        {
            return false;
        }
        Sort(expected);
        Sort(got);
        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].Labels != got[i].Labels || !(expected[i].Value == got[i].Value))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>promtool's <c>parsedSamplesString</c>: <c>{a="b"} 1E+00, ...</c> in label order, or <c>nil</c>.</summary>
    public static string Format(List<ResultSample> samples)
    {
        if (samples.Count == 0)
        {
            return "nil";
        }
        Sort(samples);
        var sb = new StringBuilder();
        for (var i = 0; i < samples.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }
            sb.Append(samples[i].Labels.ToString()).Append(' ').Append(GoExponentFloat.Format(samples[i].Value));
        }
        return sb.ToString();
    }

    private static void Sort(List<ResultSample> samples) => samples.Sort(static (a, b) =>
    {
        var c = a.Labels.CompareTo(b.Labels);
        return c != 0 ? c : a.Value.CompareTo(b.Value);
    });
}
