using System.Globalization;
using Vigil.Model;
using Vigil.PromQL.Engine;
using Vigil.Rules.Alerts;
using Vigil.Storage;

namespace Vigil.Rules.Evaluation;

/// <summary>
/// A group of rules evaluated in order at one interval (<c>rules.Group</c> of Prometheus 2.42). Each rule's output is
/// appended and committed before the next rule runs, so a recording rule feeds later rules; series a rule stops
/// producing get a stale marker; alerts due for sending go to the <see cref="IAlertSink"/> after their rule's
/// evaluation. The schedule (<see cref="Start"/>) evaluates at <see cref="EvalTimestamp"/>-aligned instants on the
/// injected clock and counts missed iterations.
/// </summary>
public sealed class RuleGroup
{
    private readonly RuleManagerOptions _options;
    private readonly RuleEvaluationContext _context;
    private readonly object _runLock = new();
    private readonly object _statsLock = new();
    private List<HashSet<Labels>> _seriesInPreviousEval;
    private List<Labels> _staleSeries = [];
    private ITimer? _timer;
    private DateTimeOffset _nextEval;
    private bool _stopped;
    private bool _shouldRestore;
    private bool _firstDone;
    private DateTimeOffset _lastEvaluation;
    private TimeSpan _evaluationDuration;
    private long _evaluationsTotal;
    private long _evaluationFailures;
    private long _iterationsScheduled;
    private long _iterationsMissed;
    private long _lastEvalTimestampMs;
    private long _samplesLastIteration;

    /// <summary>Creates a group.</summary>
    public RuleGroup(string name, string file, TimeSpan interval, int limit, IReadOnlyList<Rule> rules, RuleManagerOptions options, RuleEvaluationContext context, bool shouldRestore)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Name = name ?? throw new ArgumentNullException(nameof(name));
        File = file ?? throw new ArgumentNullException(nameof(file));
        Interval = interval;
        Limit = limit;
        Rules = rules ?? throw new ArgumentNullException(nameof(rules));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _shouldRestore = shouldRestore;
        _seriesInPreviousEval = new List<HashSet<Labels>>(rules.Count);
        for (var i = 0; i < rules.Count; i++)
        {
            _seriesInPreviousEval.Add([]);
        }
    }

    /// <summary>The group's name.</summary>
    public string Name { get; }

    /// <summary>The file it was loaded from.</summary>
    public string File { get; }

    /// <summary>Prometheus's group key: <c>file;name</c>.</summary>
    public string Key => GroupKey(File, Name);

    /// <summary>The evaluation interval.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The <c>limit</c> (0: none).</summary>
    public int Limit { get; }

    /// <summary>The rules in order.</summary>
    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>The evaluation context (engine, storage, external labels and URL).</summary>
    public RuleEvaluationContext Context => _context;

    /// <summary>When the last iteration started (wall clock), or default.</summary>
    public DateTimeOffset LastEvaluation { get { lock (_statsLock) { return _lastEvaluation; } } }

    /// <summary>How long the last iteration took.</summary>
    public TimeSpan EvaluationDuration { get { lock (_statsLock) { return _evaluationDuration; } } }

    /// <summary><c>prometheus_rule_evaluations_total</c> for this group.</summary>
    public long EvaluationsTotal => Interlocked.Read(ref _evaluationsTotal);

    /// <summary><c>prometheus_rule_evaluation_failures_total</c> for this group.</summary>
    public long EvaluationFailures => Interlocked.Read(ref _evaluationFailures);

    /// <summary><c>prometheus_rule_group_iterations_total</c>: scheduled iterations (missed ones included).</summary>
    public long IterationsScheduled => Interlocked.Read(ref _iterationsScheduled);

    /// <summary><c>prometheus_rule_group_iterations_missed_total</c>.</summary>
    public long IterationsMissed => Interlocked.Read(ref _iterationsMissed);

    /// <summary>The evaluation timestamp of the last iteration in Unix milliseconds (0 before the first).</summary>
    public long LastEvaluationTimestampMs => Interlocked.Read(ref _lastEvalTimestampMs);

    /// <summary>Samples appended by the last iteration (<c>prometheus_rule_group_last_evaluation_samples</c>).</summary>
    public long SamplesLastIteration => Interlocked.Read(ref _samplesLastIteration);

    /// <summary>Prometheus's <c>GroupKey</c>.</summary>
    public static string GroupKey(string file, string name) => file + ";" + name;

    /// <summary>
    /// Prometheus's <c>EvalTimestamp</c>: the latest instant at or before <paramref name="now"/> on this group's grid,
    /// which is offset within the interval by the hash of the labels <c>{file, name}</c> so groups spread out.
    /// </summary>
    public DateTimeOffset EvalTimestamp(DateTimeOffset now)
    {
        var intervalNs = (ulong)Interval.Ticks * 100;
        var offset = (long)(Labels.Of("name", Name, "file", File).Hash % intervalNs);
        var nowNs = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        var adjNow = nowNs - offset;
        var baseNs = adjNow - (adjNow % (long)intervalNs);
        return DateTimeOffset.UnixEpoch.AddTicks((baseNs + offset) / 100);
    }

    /// <summary>
    /// Evaluates every rule at <paramref name="ts"/>, in order (Prometheus's <c>Group.Eval</c>): appends each rule's
    /// output and stale markers for series it no longer produces, sends due alerts, then writes stale markers for
    /// series of rules removed by a reload.
    /// </summary>
    public void Eval(DateTimeOffset ts, CancellationToken cancellationToken = default)
    {
        var tsMs = ts.ToUnixTimeMilliseconds();
        long samplesTotal = 0;
        for (var i = 0; i < Rules.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            var rule = Rules[i];
            var started = _options.Time.GetUtcNow();
            var startTicks = _options.Time.GetTimestamp();
            Interlocked.Increment(ref _evaluationsTotal);
            try
            {
                List<VectorSample> vector;
                try
                {
                    vector = rule.Eval(_context, ts, Limit, cancellationToken);
                }
                catch (Exception e) when (e is QueryException or RuleEvaluationException)
                {
                    rule.SetHealth(RuleHealth.Bad, e.Message);
                    Interlocked.Increment(ref _evaluationFailures);
                    if (e is not QueryException { ErrorType: QueryErrorType.Canceled })
                    {
                        Warn($"Evaluating rule failed: group={Name} name={rule.Name} index={i} err=\"{e.Message}\"");
                    }
                    continue;
                }
                rule.SetHealth(RuleHealth.Good, null);
                samplesTotal += vector.Count;
                if (rule is AlertingRule alerting)
                {
                    SendAlerts(alerting, ts);
                }
                AppendOutput(i, rule, vector, tsMs);
            }
            finally
            {
                var elapsed = _options.Time.GetElapsedTime(startTicks);
                rule.SetEvaluated(started, elapsed);
                _options.RuleEvaluated?.Invoke(elapsed);
            }
        }
        Interlocked.Exchange(ref _samplesLastIteration, samplesTotal);
        CleanupStaleSeries(tsMs);
    }

    private void SendAlerts(AlertingRule rule, DateTimeOffset ts)
    {
        var generatorUrl = _context.ExternalUrl + TableLinkForExpression(rule.Query);
        var alerts = rule.AlertsToSend(ts, _options.ResendDelay, Interval, generatorUrl);
        if (alerts.Count > 0)
        {
            _options.AlertSink.Send(alerts);
        }
    }

    /// <summary>Prometheus's <c>strutil.TableLinkForExpression</c>.</summary>
    public static string TableLinkForExpression(string expr) => "/graph?g0.expr=" + GoQueryEscape(expr) + "&g0.tab=1";

    // Go's url.QueryEscape: unreserved bytes stay, space becomes '+', everything else %XX (upper case).
    private static string GoQueryEscape(string s)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(s);
        var sb = new System.Text.StringBuilder(bytes.Length + 16);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    private void AppendOutput(int index, Rule rule, List<VectorSample> vector, long tsMs)
    {
        var previous = _seriesInPreviousEval[index];
        var returned = new HashSet<Labels>(previous.Count);
        var app = _options.Appendable.Appender();
        var outOfOrder = 0;
        var duplicates = 0;
        foreach (var s in vector)
        {
            var series = SeriesRef.None;
            var status = app.Append(ref series, s.Metric, s.TimestampMs, s.Value);
            if (status == AppendStatus.Ok)
            {
                returned.Add(s.Metric);
                continue;
            }
            rule.SetHealth(RuleHealth.Bad, AppendError(status));
            switch (status)
            {
                case AppendStatus.OutOfOrder:
                    outOfOrder++;
                    break;
                case AppendStatus.DuplicateTimestamp:
                    duplicates++;
                    break;
                default:
                    Warn($"Rule evaluation result discarded: group={Name} name={rule.Name} err=\"{AppendError(status)}\" sample={s.Metric}");
                    break;
            }
        }
        if (outOfOrder > 0)
        {
            Warn(string.Create(CultureInfo.InvariantCulture, $"Error on ingesting out-of-order result from rule evaluation: group={Name} name={rule.Name} numDropped={outOfOrder}"));
        }
        if (duplicates > 0)
        {
            Warn(string.Create(CultureInfo.InvariantCulture, $"Error on ingesting results from rule evaluation with different value but same timestamp: group={Name} name={rule.Name} numDropped={duplicates}"));
        }
        foreach (var lset in previous)
        {
            if (!returned.Contains(lset))
            {
                // The series is no longer produced: mark it stale. Rejections are expected when another rule now writes it.
                var series = SeriesRef.None;
                app.Append(ref series, lset, tsMs, StaleMarker.Value);
            }
        }
        app.Commit();
        _seriesInPreviousEval[index] = returned;
    }

    /// <summary>The storage error texts Prometheus reports for rejected samples.</summary>
    internal static string AppendError(AppendStatus status) => status switch
    {
        AppendStatus.OutOfOrder => "out of order sample",
        AppendStatus.DuplicateTimestamp => "duplicate sample for timestamp",
        AppendStatus.OutOfBounds => "out of bounds",
        AppendStatus.InvalidLabels => "invalid labels",
        _ => status.ToString(),
    };

    private void CleanupStaleSeries(long tsMs)
    {
        List<Labels> stale;
        lock (_statsLock)
        {
            if (_staleSeries.Count == 0)
            {
                return;
            }
            stale = _staleSeries;
            _staleSeries = [];
        }
        var app = _options.Appendable.Appender();
        foreach (var lset in stale)
        {
            var series = SeriesRef.None;
            app.Append(ref series, lset, tsMs, StaleMarker.Value);
        }
        app.Commit();
    }

    /// <summary>
    /// Prometheus's <c>RestoreForState</c>: for each alerting rule whose <c>for</c> is at least the grace period, every
    /// current alert takes its <c>ActiveAt</c> from the last <c>ALERTS_FOR_STATE</c> sample within the outage
    /// tolerance, shifted so the time the server was down does not count (and so it cannot fire before the grace
    /// period has passed); then every alerting rule is marked restored.
    /// </summary>
    public void RestoreForState(DateTimeOffset ts)
    {
        var maxMs = ts.ToUnixTimeMilliseconds();
        var minMs = (ts - _options.OutageTolerance).ToUnixTimeMilliseconds();
        IQuerier querier;
        try
        {
            querier = _options.Queryable.Querier(minMs, maxMs);
        }
#pragma warning disable CA1031 // A storage failure skips the restore, as in Prometheus; the rules still run.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Warn($"Failed to get Querier: err=\"{e.Message}\"");
            return;
        }
        using (querier)
        {
            foreach (var rule in Rules)
            {
                if (rule is not AlertingRule alerting)
                {
                    continue;
                }
                if (alerting.HoldDuration < _options.ForGracePeriod)
                {
                    // Waiting for the grace period would be longer than `for` itself: start afresh.
                    alerting.Restored = true;
                    continue;
                }
                alerting.ForEachAlert(a => RestoreAlert(querier, alerting, a, ts));
                alerting.Restored = true;
            }
        }
    }

    private void RestoreAlert(IQuerier querier, AlertingRule rule, Alert alert, DateTimeOffset ts)
    {
        var labels = rule.ForStateLabels(alert);
        var matchers = new List<LabelMatcher>(labels.Count);
        foreach (var l in labels)
        {
            matchers.Add(LabelMatcher.Create(LabelMatchType.Equal, l.Name, l.Value));
        }
        var set = querier.Select(false, matchers);
        ISeries? found = null;
        while (set.Next())
        {
            if (set.At().Labels.Count == matchers.Count)
            {
                found = set.At();
                break;
            }
        }
        if (found is null)
        {
            return;
        }
        long t = 0;
        double v = 0;
        var it = found.Iterator();
        while (it.Next())
        {
            var s = it.At();
            t = s.TimestampMs;
            v = s.Value;
        }
        if (it.Error is { } error)
        {
            Warn($"Failed to restore 'for' state: labels={labels} err=\"{error.Message}\"");
            return;
        }
        if (StaleMarker.IsStale(v))
        {
            return;
        }
        var downAt = DateTimeOffset.FromUnixTimeSeconds(t / 1000);
        var restoredActiveAt = DateTimeOffset.FromUnixTimeSeconds((long)v);
        var timeSpentPending = downAt - restoredActiveAt;
        var timeRemainingPending = rule.HoldDuration - timeSpentPending;
        if (timeRemainingPending <= TimeSpan.Zero)
        {
            // It was firing when the server went down; the next evaluation makes it fire again if it still holds.
        }
        else if (timeRemainingPending < _options.ForGracePeriod)
        {
            restoredActiveAt = ts + _options.ForGracePeriod - rule.HoldDuration;
        }
        else
        {
            restoredActiveAt += ts - downAt;
        }
        alert.ActiveAt = restoredActiveAt;
    }

    /// <summary>
    /// Prometheus's <c>Group.Equals</c>: same name, file, interval, limit and rules (by their definition), so a reload
    /// keeps the running group untouched.
    /// </summary>
    public bool EqualsDefinition(RuleGroup other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Name != other.Name || File != other.File || Interval != other.Interval || Limit != other.Limit || Rules.Count != other.Rules.Count)
        {
            return false;
        }
        for (var i = 0; i < Rules.Count; i++)
        {
            if (Rules[i].Identity != other.Rules[i].Identity)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Prometheus's <c>CopyState</c>: takes over the last evaluation's series and alerts of rules with the same name
    /// and labels from the group this one replaces; series of rules that are gone are marked stale at the next
    /// evaluation.
    /// </summary>
    public void CopyState(RuleGroup from)
    {
        ArgumentNullException.ThrowIfNull(from);
        lock (from._statsLock)
        {
            lock (_statsLock)
            {
                _lastEvaluation = from._lastEvaluation;
                _evaluationDuration = from._evaluationDuration;
            }
        }
        var ruleMap = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
        for (var fi = 0; fi < from.Rules.Count; fi++)
        {
            var key = NameAndLabels(from.Rules[fi]);
            if (!ruleMap.TryGetValue(key, out var q))
            {
                ruleMap[key] = q = new Queue<int>();
            }
            q.Enqueue(fi);
        }
        for (var i = 0; i < Rules.Count; i++)
        {
            if (!ruleMap.TryGetValue(NameAndLabels(Rules[i]), out var q) || q.Count == 0)
            {
                continue;
            }
            var fi = q.Dequeue();
            _seriesInPreviousEval[i] = from._seriesInPreviousEval[fi];
            if (Rules[i] is AlertingRule ar && from.Rules[fi] is AlertingRule far)
            {
                ar.CopyAlertsFrom(far);
            }
        }
        var stale = new List<Labels>();
        lock (from._statsLock)
        {
            stale.AddRange(from._staleSeries);
        }
        for (var fi = 0; fi < from.Rules.Count; fi++)
        {
            if (ruleMap.TryGetValue(NameAndLabels(from.Rules[fi]), out var q) && q.Contains(fi))
            {
                stale.AddRange(from._seriesInPreviousEval[fi]);
            }
        }
        lock (_statsLock)
        {
            _staleSeries = stale;
        }
    }

    private static string NameAndLabels(Rule rule) => rule.Name + rule.Labels;

    /// <summary>
    /// Starts the schedule: the first evaluation at the next aligned instant, then one per interval on the clock;
    /// a group created with <c>shouldRestore</c> restores the <c>for</c> state after its second evaluation.
    /// </summary>
    internal void Start()
    {
        lock (_runLock)
        {
            var now = _options.Time.GetUtcNow();
            _nextEval = EvalTimestamp(now) + Interval;
            _timer = _options.Time.CreateTimer(_ => Tick(), null, Due(now, _nextEval), Timeout.InfiniteTimeSpan);
        }
    }

    private static TimeSpan Due(DateTimeOffset now, DateTimeOffset at) => at > now ? at - now : TimeSpan.Zero;

    private void Tick()
    {
        lock (_runLock)
        {
            if (_stopped)
            {
                return;
            }
            var now = _options.Time.GetUtcNow();
            if (_firstDone)
            {
                // A ticker's semantics: the iterations whose instant passed while the previous one ran are skipped and counted.
                var missed = ((now - _nextEval).Ticks / Interval.Ticks) - 1;
                if (missed > 0)
                {
                    Interlocked.Add(ref _iterationsMissed, missed);
                    Interlocked.Add(ref _iterationsScheduled, missed);
                }
                _nextEval += Interval * (Math.Max(missed, 0) + 1);
            }
            Iterate(_nextEval);
            if (_firstDone && _shouldRestore)
            {
                RestoreForState(_options.Time.GetUtcNow());
                _shouldRestore = false;
            }
            _firstDone = true;
            _timer?.Change(Due(_options.Time.GetUtcNow(), _nextEval + Interval), Timeout.InfiniteTimeSpan);
        }
    }

    private void Iterate(DateTimeOffset evalTimestamp)
    {
        Interlocked.Increment(ref _iterationsScheduled);
        var start = _options.Time.GetUtcNow();
        var startTicks = _options.Time.GetTimestamp();
        try
        {
            Eval(evalTimestamp);
        }
#pragma warning disable CA1031 // A fault in one iteration must not stop the group's schedule; it is reported.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Warn($"Rule group iteration failed: group={Name} err=\"{e.GetType().Name}: {e.Message}\"");
        }
        var elapsed = _options.Time.GetElapsedTime(startTicks);
        lock (_statsLock)
        {
            _evaluationDuration = elapsed;
            _lastEvaluation = start;
        }
        Interlocked.Exchange(ref _lastEvalTimestampMs, evalTimestamp.ToUnixTimeMilliseconds());
        _options.GroupIterated?.Invoke(elapsed);
    }

    /// <summary>
    /// Stops the schedule, waiting for a running iteration. With <paramref name="markStale"/> (the group was removed
    /// by a reload) the series of its last evaluation get stale markers two intervals later, stamped with the time
    /// of the stop, unless <paramref name="managerStopping"/> is cancelled first.
    /// </summary>
    internal void Stop(bool markStale, CancellationToken managerStopping)
    {
        lock (_runLock)
        {
            _stopped = true;
            _timer?.Dispose();
            _timer = null;
        }
        if (!markStale)
        {
            return;
        }
        var now = _options.Time.GetUtcNow();
        lock (_statsLock)
        {
            foreach (var set in _seriesInPreviousEval)
            {
                _staleSeries.AddRange(set);
            }
            _seriesInPreviousEval = [];
        }
        // Two intervals give a renamed rule in another group the chance to write its new series first.
        ITimer? cleanup = null;
        cleanup = _options.Time.CreateTimer(_ =>
        {
            cleanup?.Dispose();
            if (!managerStopping.IsCancellationRequested)
            {
                CleanupStaleSeries(now.ToUnixTimeMilliseconds());
            }
        }, null, Interval * 2, Timeout.InfiniteTimeSpan);
    }

    private void Warn(string message) => _options.Warning?.Invoke(message);
}
