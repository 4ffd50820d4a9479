using Vigil.Model;
using Vigil.PromQL.Engine;
using Vigil.Rules.Alerts;
using Vigil.Rules.Evaluation;
using Vigil.Storage;
using Vigil.Testing;

namespace Vigil.Rules.Tests.Evaluation;

/// <summary>A rule manager over an in-memory store, a real engine, a recording alert sink and a manual clock.</summary>
internal sealed class RuleHarness : IDisposable
{
    private readonly TempDirectory _dir = new("vigil-rules-eval");

    public RuleHarness(MemoryStorage? storage = null, DateTimeOffset? start = null, TimeSpan? gracePeriod = null)
    {
        Storage = storage ?? new MemoryStorage();
        Clock = new ManualClock(start ?? DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        Options = new RuleManagerOptions
        {
            Engine = new QueryEngine(),
            Queryable = Storage,
            Appendable = Storage,
            AlertSink = Sink,
            Time = Clock,
            ForGracePeriod = gracePeriod ?? TimeSpan.FromMinutes(10),
            Warning = Warnings.Add,
        };
        Manager = new RuleManager(Options);
    }

    public MemoryStorage Storage { get; }

    public ManualClock Clock { get; }

    public RecordingSink Sink { get; } = new();

    public List<string> Warnings { get; } = [];

    public RuleManagerOptions Options { get; }

    public RuleManager Manager { get; }

    public string WriteRules(string name, string yaml)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, yaml);
        return path;
    }

    public void Load(TimeSpan interval, params string[] files)
    {
        Assert.True(Manager.Update(interval, files, Labels.Empty, "http://vigil.example", out var errors), string.Join("\n", errors));
    }

    public RuleGroup Group(string name) => Assert.Single(Manager.Groups, g => g.Name == name);

    public void Append(string series, long timestampMs, double value)
    {
        var labels = Vigil.Rules.UnitTesting.SeriesNotation.TryParseMetric(series, out var l, out var error) ? l : throw new ArgumentException(error?.ToString());
        var app = Storage.Appender();
        var r = SeriesRef.None;
        Assert.Equal(AppendStatus.Ok, app.Append(ref r, labels, timestampMs, value));
        app.Commit();
    }

    /// <summary>Every raw sample of the series matching <paramref name="name"/> (stale markers included).</summary>
    public List<(Labels Labels, Sample Sample)> Raw(string name)
    {
        using var q = Storage.Querier(long.MinValue, long.MaxValue);
        var set = q.Select(true, [LabelMatcher.Create(LabelMatchType.Equal, Label.MetricName, name)]);
        var result = new List<(Labels, Sample)>();
        while (set.Next())
        {
            var it = set.At().Iterator();
            while (it.Next())
            {
                result.Add((set.At().Labels, it.At()));
            }
        }
        return result;
    }

    public void Dispose()
    {
        Manager.Dispose();
        _dir.Dispose();
    }

    internal sealed class RecordingSink : IAlertSink
    {
        public List<List<OutgoingAlert>> Batches { get; } = [];

        public void Send(IReadOnlyList<OutgoingAlert> alerts) => Batches.Add([.. alerts]);
    }
}
