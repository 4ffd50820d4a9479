using Vigil.Model;
using Vigil.Rules.Loading;

namespace Vigil.Rules.Evaluation;

/// <summary>
/// Owns the rule groups of one pipeline (Prometheus 2.42's <c>rules.Manager</c>): <see cref="Update"/> loads a rule
/// set and applies it — unchanged groups keep running untouched, changed groups take over their predecessor's state
/// (<see cref="RuleGroup.CopyState"/>), removed groups stop and mark their series stale — and a failed load keeps the
/// running set. Groups run on the injected clock once <see cref="Run"/> is called; the first rule set loaded restores
/// alerts' <c>for</c> state from <c>ALERTS_FOR_STATE</c>.
/// </summary>
public sealed class RuleManager : IDisposable
{
    private readonly RuleManagerOptions _options;
    private readonly object _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private Dictionary<string, RuleGroup> _groups = new(StringComparer.Ordinal);
    private bool _restored;
    private bool _running;
    private bool _stopped;

    /// <summary>Creates a manager with no groups.</summary>
    public RuleManager(RuleManagerOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The options.</summary>
    public RuleManagerOptions Options => _options;

    /// <summary>The groups, ordered by file then name (Prometheus's <c>RuleGroups</c>).</summary>
    public IReadOnlyList<RuleGroup> Groups
    {
        get
        {
            List<RuleGroup> list;
            lock (_lock)
            {
                list = [.. _groups.Values];
            }
            list.Sort(static (a, b) =>
            {
                var c = string.CompareOrdinal(a.File, b.File);
                return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
            });
            return list;
        }
    }

    /// <summary>Every alerting rule of every group, in group order.</summary>
    public IEnumerable<AlertingRule> AlertingRules()
    {
        foreach (var g in Groups)
        {
            foreach (var r in g.Rules)
            {
                if (r is AlertingRule a)
                {
                    yield return a;
                }
            }
        }
    }

    /// <summary>
    /// Loads <paramref name="files"/> and applies them (Prometheus's <c>Update</c>). On any load error the running set
    /// stays and the errors (each naming its file and, mostly, line) are returned.
    /// </summary>
    /// <param name="interval">The default evaluation interval (<c>global.evaluation_interval</c>).</param>
    /// <param name="files">Rule files, already resolved and globbed.</param>
    /// <param name="externalLabels">External labels, for <c>$externalLabels</c>.</param>
    /// <param name="externalUrl">The external URL, for <c>$externalURL</c> and generator URLs.</param>
    /// <param name="errors">The load errors when false is returned.</param>
    public bool Update(TimeSpan interval, IReadOnlyList<string> files, Labels externalLabels, string externalUrl, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(files);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (!TryLoadGroups(interval, files, externalLabels, externalUrl, shouldRestore: !_restored, out var groups, out errors))
            {
                return false;
            }
            _restored = true;
            var old = _groups;
            var next = new Dictionary<string, RuleGroup>(StringComparer.Ordinal);
            foreach (var (key, newGroup) in groups)
            {
                if (old.Remove(key, out var oldGroup))
                {
                    if (oldGroup.EqualsDefinition(newGroup))
                    {
                        next[key] = oldGroup;
                        continue;
                    }
                    oldGroup.Stop(markStale: false, _stopping.Token);
                    newGroup.CopyState(oldGroup);
                }
                next[key] = newGroup;
                if (_running)
                {
                    newGroup.Start();
                }
            }
            foreach (var removed in old.Values)
            {
                removed.Stop(markStale: true, _stopping.Token);
            }
            _groups = next;
            return true;
        }
    }

    /// <summary>
    /// Builds the groups of <paramref name="files"/> without running them (Prometheus's <c>LoadGroups</c>), keyed by
    /// <see cref="RuleGroup.GroupKey"/>, in file order.
    /// </summary>
    public bool TryLoadGroups(
        TimeSpan interval,
        IReadOnlyList<string> files,
        Labels externalLabels,
        string externalUrl,
        bool shouldRestore,
        out List<KeyValuePair<string, RuleGroup>> groups,
        out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(files);
        var context = new RuleEvaluationContext(_options.Engine, _options.Queryable, externalLabels, externalUrl, _options.NilUrlInTemplateFunctions);
        groups = [];
        var all = new List<string>();
        foreach (var file in files)
        {
            if (!RuleFileParser.TryParseFile(file, out var parsed, out var fileErrors))
            {
                all.AddRange(fileErrors);
                continue;
            }
            foreach (var g in parsed!.Groups)
            {
                var rules = new List<Rule>(g.Rules.Count);
                foreach (var r in g.Rules)
                {
                    rules.Add(r.IsAlerting
                        ? new AlertingRule(r.Alert, r.Expr, r.For, r.KeepFiringFor, r.Labels, r.Annotations, restored: !shouldRestore)
                        : new RecordingRule(r.Record, r.Expr, r.Labels));
                }
                var groupInterval = g.Interval != TimeSpan.Zero ? g.Interval : interval;
                var group = new RuleGroup(g.Name, file, groupInterval, g.Limit, rules, _options, context, shouldRestore);
                var key = group.Key;
                var existing = groups.FindIndex(p => p.Key == key);
                if (existing >= 0)
                {
                    groups[existing] = new(key, group);
                }
                else
                {
                    groups.Add(new(key, group));
                }
            }
        }
        errors = all;
        return all.Count == 0;
    }

    /// <summary>Starts evaluating: every group's schedule begins (Prometheus's <c>Run</c>).</summary>
    public void Run()
    {
        lock (_lock)
        {
            if (_running || _stopped)
            {
                return;
            }
            _running = true;
            foreach (var g in _groups.Values)
            {
                g.Start();
            }
        }
    }

    /// <summary>Stops every group without marking series stale (a shutdown keeps the <c>for</c> state restorable).</summary>
    public void Stop()
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            _stopping.Cancel();
            foreach (var g in _groups.Values)
            {
                g.Stop(markStale: false, _stopping.Token);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        _stopping.Dispose();
    }
}
