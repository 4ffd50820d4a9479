using System.Globalization;
using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;
using Vigil.Rules.Alerts;

namespace Vigil.Rules.Evaluation;

/// <summary>
/// An alerting rule (<c>rules.AlertingRule</c> of Prometheus 2.42): every evaluation turns the expression's result
/// into alerts (labels and annotations expanded as templates), moves them pending → firing after <c>for</c>, keeps
/// firing alerts for <c>keep_firing_for</c> after the condition stops, keeps resolved alerts for 15 minutes, and
/// writes <c>ALERTS</c> and <c>ALERTS_FOR_STATE</c> once its <c>for</c> state has been restored.
/// </summary>
public sealed class AlertingRule : Rule
{
    /// <summary>How long a resolved alert is kept (and re-sent as resolved): Prometheus's <c>resolvedRetention</c>.</summary>
    public static readonly TimeSpan ResolvedRetention = TimeSpan.FromMinutes(15);

    /// <summary>The metric of the alert-state series.</summary>
    public const string AlertMetricName = "ALERTS";

    /// <summary>The metric of the <c>for</c>-state series.</summary>
    public const string AlertForStateMetricName = "ALERTS_FOR_STATE";

    private readonly object _lock = new();
    private readonly Dictionary<Labels, Alert> _active = [];
    private bool _restored;

    /// <summary>Creates an alerting rule.</summary>
    /// <param name="name">The alert name.</param>
    /// <param name="expr">The condition.</param>
    /// <param name="holdDuration"><c>for</c>.</param>
    /// <param name="keepFiringFor"><c>keep_firing_for</c>.</param>
    /// <param name="labels">Labels (templates).</param>
    /// <param name="annotations">Annotations (templates).</param>
    /// <param name="restored">Whether the <c>for</c> state needs no restore (ALERTS series are written from the start).</param>
    public AlertingRule(string name, Expr expr, TimeSpan holdDuration, TimeSpan keepFiringFor, Labels labels, Labels annotations, bool restored)
        : base(name, expr, labels)
    {
        HoldDuration = holdDuration;
        KeepFiringFor = keepFiringFor;
        Annotations = annotations ?? throw new ArgumentNullException(nameof(annotations));
        _restored = restored;
    }

    /// <summary><c>for</c>.</summary>
    public TimeSpan HoldDuration { get; }

    /// <summary><c>keep_firing_for</c>.</summary>
    public TimeSpan KeepFiringFor { get; }

    /// <summary>The annotation templates.</summary>
    public Labels Annotations { get; }

    /// <inheritdoc />
    public override string Identity => string.Create(CultureInfo.InvariantCulture,
        $"alert\0{Name}\0{Query}\0{HoldDuration.Ticks}\0{KeepFiringFor.Ticks}\0{Labels}\0{Annotations}");

    /// <summary>Whether the <c>for</c> state was restored (ALERTS series are written only then).</summary>
    public bool Restored
    {
        get { lock (_lock) { return _restored; } }
        set { lock (_lock) { _restored = value; } }
    }

    /// <summary>The rule's state for the API: firing if any alert fires, else pending if any is pending, else inactive.</summary>
    public AlertState State
    {
        get
        {
            lock (_lock)
            {
                var max = AlertState.Inactive;
                foreach (var a in _active.Values)
                {
                    if (a.State > max)
                    {
                        max = a.State;
                    }
                }
                return max;
            }
        }
    }

    /// <summary>Snapshots of the pending and firing alerts (not the resolved ones), as Prometheus's <c>ActiveAlerts</c>.</summary>
    public List<Alert> ActiveAlerts()
    {
        lock (_lock)
        {
            var list = new List<Alert>(_active.Count);
            foreach (var a in _active.Values)
            {
                if (a.State != AlertState.Inactive)
                {
                    list.Add(a.Snapshot());
                }
            }
            return list;
        }
    }

    /// <inheritdoc />
    public override List<VectorSample> Eval(RuleEvaluationContext context, DateTimeOffset ts, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var timestampMs = ts.ToUnixTimeMilliseconds();
        var result = context.Query(Expr, timestampMs, cancellationToken);
        var fresh = new Dictionary<Labels, Alert>(result.Count);
        var builder = new LabelsBuilder();
        foreach (var sample in result)
        {
            var labelMap = AlertTemplates.ToMap(sample.Metric);
            string Expand(string text) => AlertTemplates.Expand(
                Name, text, labelMap, sample.Value, context.ExternalLabelsMap, context.ExternalUrl, timestampMs, context.TemplateQuery, context.FunctionsUrl);

            builder.Reset(sample.Metric).Remove(Label.MetricName);
            foreach (var l in Labels)
            {
                builder.Set(l.Name, Expand(l.Value));
            }
            builder.Set("alertname", Name);
            var annotations = new LabelsBuilder();
            foreach (var a in Annotations)
            {
                annotations.Set(a.Name, Expand(a.Value));
            }
            var alertLabels = builder.ToLabels();
            if (fresh.ContainsKey(alertLabels))
            {
                throw new RuleEvaluationException("vector contains metrics with the same labelset after applying alert labels");
            }
            fresh[alertLabels] = new Alert(alertLabels, annotations.ToLabels(), ts, sample.Value);
        }

        lock (_lock)
        {
            foreach (var (key, alert) in fresh)
            {
                if (_active.TryGetValue(key, out var existing) && existing.State != AlertState.Inactive)
                {
                    existing.Value = alert.Value;
                    existing.Annotations = alert.Annotations;
                    continue;
                }
                _active[key] = alert;
            }

            var vector = new List<VectorSample>();
            var activePending = 0;
            List<Labels>? delete = null;
            foreach (var (key, a) in _active)
            {
                if (!fresh.ContainsKey(key))
                {
                    var keepFiring = false;
                    if (a.State == AlertState.Firing && KeepFiringFor > TimeSpan.Zero)
                    {
                        if (a.KeepFiringSince == default)
                        {
                            a.KeepFiringSince = ts;
                        }
                        keepFiring = ts - a.KeepFiringSince < KeepFiringFor;
                    }
                    if (a.State == AlertState.Pending || (a.ResolvedAt != default && ts - a.ResolvedAt > ResolvedRetention))
                    {
                        (delete ??= []).Add(key);
                    }
                    if (a.State != AlertState.Inactive && !keepFiring)
                    {
                        a.State = AlertState.Inactive;
                        a.ResolvedAt = ts;
                    }
                    if (!keepFiring)
                    {
                        continue;
                    }
                }
                else
                {
                    a.KeepFiringSince = default;
                }
                activePending++;
                if (a.State == AlertState.Pending && ts - a.ActiveAt >= HoldDuration)
                {
                    a.State = AlertState.Firing;
                    a.FiredAt = ts;
                }
                if (_restored)
                {
                    vector.Add(AlertSample(a, timestampMs));
                    vector.Add(ForStateSample(a, timestampMs, a.ActiveAt.ToUnixTimeSeconds()));
                }
            }
            if (delete is not null)
            {
                foreach (var key in delete)
                {
                    _active.Remove(key);
                }
            }
            if (limit > 0 && activePending > limit)
            {
                _active.Clear();
                throw new RuleEvaluationException(string.Create(CultureInfo.InvariantCulture, $"exceeded limit of {limit} with {activePending} alerts"));
            }
            return vector;
        }
    }

    /// <summary>
    /// Prometheus's <c>sendAlerts</c>: the alerts due for (re-)sending at <paramref name="ts"/>, their <c>LastSentAt</c>
    /// and <c>ValidUntil</c> (ts + 4 × max(interval, resend delay)) updated.
    /// </summary>
    internal List<OutgoingAlert> AlertsToSend(DateTimeOffset ts, TimeSpan resendDelay, TimeSpan interval, string generatorUrl)
    {
        var list = new List<OutgoingAlert>();
        lock (_lock)
        {
            foreach (var a in _active.Values)
            {
                if (!a.NeedsSending(ts, resendDelay))
                {
                    continue;
                }
                a.LastSentAt = ts;
                var delta = interval > resendDelay ? interval : resendDelay;
                a.ValidUntil = ts + (4 * delta);
                var endsAt = a.ResolvedAt != default ? a.ResolvedAt : a.ValidUntil;
                list.Add(new OutgoingAlert(a.Labels, a.Annotations, a.FiredAt, endsAt, generatorUrl));
            }
        }
        return list;
    }

    /// <summary>Visits every alert, resolved ones included (Prometheus's <c>ForEachActiveAlert</c>), under the rule's lock.</summary>
    internal void ForEachAlert(Action<Alert> action)
    {
        lock (_lock)
        {
            foreach (var a in _active.Values)
            {
                action(a);
            }
        }
    }

    /// <summary>Takes over another instance's alerts (Prometheus's <c>copyState</c> on reload).</summary>
    internal void CopyAlertsFrom(AlertingRule other)
    {
        Dictionary<Labels, Alert> copy;
        lock (other._lock)
        {
            copy = new Dictionary<Labels, Alert>(other._active);
        }
        lock (_lock)
        {
            _active.Clear();
            foreach (var (k, v) in copy)
            {
                _active[k] = v;
            }
        }
    }

    /// <summary>
    /// The labels of the <c>ALERTS_FOR_STATE</c> series of an alert. As in Prometheus, they start from the rule's label
    /// templates and the alert's labels are set over them (a label whose template expanded to nothing keeps its template text).
    /// </summary>
    internal Labels ForStateLabels(Alert a) => SeriesLabels(a).Set(Label.MetricName, AlertForStateMetricName).ToLabels();

    private LabelsBuilder SeriesLabels(Alert a)
    {
        var b = new LabelsBuilder(Labels);
        foreach (var l in a.Labels)
        {
            b.Set(l.Name, l.Value);
        }
        return b.Set("alertname", Name);
    }

    private VectorSample AlertSample(Alert a, long timestampMs)
    {
        var labels = SeriesLabels(a)
            .Set(Label.MetricName, AlertMetricName)
            .Set("alertstate", a.State == AlertState.Firing ? "firing" : "pending")
            .ToLabels();
        return new VectorSample(labels, timestampMs, 1);
    }

    private VectorSample ForStateSample(Alert a, long timestampMs, double value) => new(ForStateLabels(a), timestampMs, value);
}
