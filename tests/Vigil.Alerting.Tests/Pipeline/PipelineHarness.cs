using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Config;
using Vigil.Alerting.Dispatch;
using Vigil.Alerting.History;
using Vigil.Alerting.Inhibition;
using Vigil.Alerting.NotificationLog;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Routing;
using Vigil.Alerting.Silencing;
using Vigil.Model;
using Vigil.Testing;

namespace Vigil.Alerting.Tests.Pipeline;

/// <summary>A notifier that records what it was sent and answers with a scripted result.</summary>
public sealed class RecordingNotifier(string receiver, string integration = "webhook", int index = 0, bool sendResolved = true) : INotifier
{
    public sealed record Call(string Receiver, string GroupKey, DateTimeOffset Now, IReadOnlyList<Alert> Alerts);

    public ConcurrentQueue<Call> Calls { get; } = new();

    public Queue<NotifyResult> Script { get; } = new();

    public string Receiver { get; } = receiver;

    public string Integration { get; } = integration;

    public int Index { get; } = index;

    public bool SendResolved { get; } = sendResolved;

    public Task<NotifyResult> NotifyAsync(NotificationContext context, IReadOnlyList<Alert> alerts, CancellationToken ct)
    {
        Calls.Enqueue(new Call(context.Receiver, context.GroupKey, context.Now, alerts));
        lock (Script)
        {
            return Task.FromResult(Script.Count > 0 ? Script.Dequeue() : NotifyResult.Success);
        }
    }

    public List<Call> Take()
    {
        var taken = new List<Call>();
        while (Calls.TryDequeue(out var c))
        {
            taken.Add(c);
        }
        return taken;
    }
}

/// <summary>Store, silences, notification log, inhibition and dispatcher wired as the server wires them, on a manual clock.</summary>
public sealed class PipelineHarness : IDisposable
{
    private readonly Meter _meter = new("test-" + Guid.NewGuid());

    public PipelineHarness(string yaml, ManualClock? clock = null, NotificationLogStore? log = null, SilenceStore? silences = null, AlertStore? store = null, AlertHistory? history = null)
    {
        Clock = clock ?? new ManualClock();
        if (!AlertmanagerConfigLoader.TryLoad(yaml, "alertmanager.yml", null, out var config, out var errors))
        {
            throw new InvalidOperationException(string.Join("\n", errors));
        }
        Config = config;
        Marker = new AlertMarker();
        Store = store ?? new AlertStore(Clock, Marker);
        Silences = silences ?? new SilenceStore(Clock, TimeSpan.FromHours(120));
        Log = log ?? new NotificationLogStore(Clock, TimeSpan.FromHours(120));
        History = history;
        Ingestion = new AlertIngestion(Store, Clock);
        Inhibitor = new InhibitMuter(new Inhibitor(config.InhibitRules), Marker, History, Clock);
        Store.Subscribe((a, _) => Inhibitor.Observe(a));
        var integrations = new Dictionary<string, IReadOnlyList<INotifier>>();
        foreach (var r in config.Receivers)
        {
            var n = new RecordingNotifier(r.Name, sendResolved: r.WebhookConfigs.Count == 0 || r.WebhookConfigs[0].SendResolved);
            Notifiers[r.Name] = n;
            integrations[r.Name] = [n];
        }
        Metrics = new NotificationMetrics(_meter);
        var pipeline = NotificationPipeline.Build(config, integrations, Inhibitor, new SilenceMuter(Silences, Marker, History), Log, Metrics, History, Clock);
        Dispatcher = new Dispatcher(Route.Build(config.Route), Store, pipeline, Clock, "http://vigil.example:9090", e => Errors.Add(e));
        Dispatcher.Start();
    }

    public ManualClock Clock { get; }

    public AlertmanagerConfig Config { get; }

    public AlertMarker Marker { get; }

    public AlertStore Store { get; }

    public SilenceStore Silences { get; }

    public NotificationLogStore Log { get; }

    public AlertHistory? History { get; }

    public AlertIngestion Ingestion { get; }

    public InhibitMuter Inhibitor { get; }

    public NotificationMetrics Metrics { get; }

    public Dispatcher Dispatcher { get; }

    public Dictionary<string, RecordingNotifier> Notifiers { get; } = [];

    public ConcurrentBag<string> Errors { get; } = [];

    /// <summary>Posts alerts as the API would (no start, no end: resolve_timeout applies).</summary>
    public void Post(params Labels[] alerts) => Post(alerts.Select(l => new PostedAlert(l, Alert.NoAnnotations, DateTimeOffset.MinValue, DateTimeOffset.MinValue, "")).ToArray());

    public void Post(params PostedAlert[] alerts)
    {
        var errors = Ingestion.Ingest(alerts, Config.Global.ResolveTimeout);
        Assert.Empty(errors);
    }

    public async Task AdvanceAsync(TimeSpan by)
    {
        // Step one second at a time so that flushes triggered by timers finish before later timers fire.
        var step = TimeSpan.FromSeconds(1);
        while (by > TimeSpan.Zero)
        {
            var d = by < step ? by : step;
            Clock.Advance(d);
            by -= d;
            // A flush may be waiting for the clock (retry backoff); it then stays pending and the wait ends.
            await Task.WhenAny(Dispatcher.WhenIdleAsync(), Task.Delay(TimeSpan.FromMilliseconds(200)));
        }
    }

    /// <summary>Advances by <paramref name="by"/>, re-posting the alerts every minute first, as a rule evaluator keeps them firing.</summary>
    public async Task KeepFiringAsync(TimeSpan by, params Labels[] alerts)
    {
        while (by > TimeSpan.Zero)
        {
            Post(alerts);
            var d = by < TimeSpan.FromMinutes(1) ? by : TimeSpan.FromMinutes(1);
            await AdvanceAsync(d);
            by -= d;
        }
    }

    public void Dispose()
    {
        Dispatcher.Dispose();
        _meter.Dispose();
    }
}
