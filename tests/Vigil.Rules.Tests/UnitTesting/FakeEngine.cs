using Vigil.Model;
using Vigil.PromQL.Engine;
using Vigil.Rules.UnitTesting;
using Vigil.Storage;

namespace Vigil.Rules.Tests.UnitTesting;

/// <summary>
/// Canned query results, standing in for the engine so the runner's loading, comparison and report can be
/// checked on their own. Each answer is what Prometheus 2.42 returns for the query on the test's input.
/// </summary>
internal sealed class FakeEngine
{
    private readonly Dictionary<(string Expr, long TimeMs), Func<QueryValue>> _answers = [];

    public List<(string Expr, long TimeMs, IQueryableStorage Storage)> Calls { get; } = [];

    public FakeEngine Answer(string expr, long timeMs, params (Labels Labels, double Value)[] samples)
    {
        _answers[(expr, timeMs)] = () => new Vector([.. samples.Select(s => new VectorSample(s.Labels, timeMs, s.Value))]);
        return this;
    }

    public FakeEngine AnswerScalar(string expr, long timeMs, double value)
    {
        _answers[(expr, timeMs)] = () => new ScalarResult(timeMs, value);
        return this;
    }

    public FakeEngine AnswerMatrix(string expr, long timeMs)
    {
        _answers[(expr, timeMs)] = () => new Matrix();
        return this;
    }

    public FakeEngine Fail(string expr, long timeMs, string message)
    {
        _answers[(expr, timeMs)] = () => throw new QueryException(QueryErrorType.BadData, message);
        return this;
    }

    public QueryValue Query(IQueryableStorage storage, string expr, long timeMs, CancellationToken cancellationToken)
    {
        Calls.Add((expr, timeMs, storage));
        return _answers.TryGetValue((expr, timeMs), out var answer)
            ? answer()
            : throw new InvalidOperationException($"no canned answer for {expr} at {timeMs}");
    }

    public int Run(IReadOnlyList<string> paths, TextWriter output, TextWriter error)
        => RuleUnitTestRunner.Run(paths, output, error, Query, CancellationToken.None);

    /// <summary>Every sample the storage holds for the series matching <paramref name="name"/>.</summary>
    public static List<Sample> SamplesOf(IQueryableStorage storage, string name)
    {
        using var querier = storage.Querier(long.MinValue, long.MaxValue);
        var set = querier.Select(true, [LabelMatcher.Create(LabelMatchType.Equal, Label.MetricName, name)]);
        var samples = new List<Sample>();
        while (set.Next())
        {
            var it = set.At().Iterator();
            while (it.Next())
            {
                samples.Add(it.At());
            }
        }
        return samples;
    }
}
