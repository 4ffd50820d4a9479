using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Vigil.Model;
using Vigil.Model.Relabel;
using Vigil.Rules.Alerts;
using Vigil.Scrape.Config;

namespace Vigil.Server.Notifier;

/// <summary>
/// Delivers rule alerts to external Alertmanagers, as Prometheus 2.42's <c>notifier.Manager</c>: <see cref="Send"/>
/// adds the external labels (where an alert does not have them), applies <c>alert_relabel_configs</c> and queues
/// (capacity 10000 by default; when full the oldest alerts are dropped and counted); a sender takes batches of at
/// most 64 and POSTs each batch to every discovered Alertmanager at once (<c>/api/v2/alerts</c>, per-set timeout and
/// auth). A batch that no Alertmanager accepted counts as dropped. Follows configuration reloads through
/// <see cref="ApplyConfigAsync"/>.
/// </summary>
public sealed class AlertmanagerNotifier : IAlertSink, IAsyncDisposable
{
    /// <summary>Prometheus's <c>maxBatchSize</c>.</summary>
    public const int MaxBatchSize = 64;

    private readonly LinkedList<OutgoingAlert> _queue = new();
    private readonly Lock _queueLock = new();
    private readonly SemaphoreSlim _more = new(0, 1);
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;
    private readonly ConcurrentDictionary<string, AlertmanagerStats> _stats = new(StringComparer.Ordinal);
    private volatile Settings _settings = new(Labels.Empty, [], []);
    private Task? _loop;
    private long _dropped;

    private sealed record Settings(Labels ExternalLabels, IReadOnlyList<RelabelConfig> RelabelConfigs, IReadOnlyList<AlertmanagerSet> Sets);

    /// <summary>Per-Alertmanager counters (<c>prometheus_notifications_*{alertmanager=URL}</c>).</summary>
    public sealed class AlertmanagerStats
    {
        internal long SentCount;
        internal long ErrorCount;
        internal long LatencyCount;
        internal long LatencyMicros;

        /// <summary>Alerts sent (attempted), as Prometheus counts <c>prometheus_notifications_sent_total</c>.</summary>
        public long Sent => Interlocked.Read(ref SentCount);

        /// <summary>Failed requests (<c>prometheus_notifications_errors_total</c>).</summary>
        public long Errors => Interlocked.Read(ref ErrorCount);

        /// <summary>Requests timed (<c>prometheus_notifications_latency_seconds_count</c>).</summary>
        public long Requests => Interlocked.Read(ref LatencyCount);

        /// <summary>Total request latency (<c>prometheus_notifications_latency_seconds_sum</c>).</summary>
        public double LatencySeconds => Interlocked.Read(ref LatencyMicros) / 1e6;
    }

    /// <summary>Creates the notifier; call <see cref="ApplyConfigAsync"/> and <see cref="Start"/>.</summary>
    public AlertmanagerNotifier(int queueCapacity = 10_000, TimeProvider? time = null, ILogger? log = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        QueueCapacity = queueCapacity;
        _time = time ?? TimeProvider.System;
        _log = log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>The queue's capacity (<c>--alertmanager.notification-queue-capacity</c>).</summary>
    public int QueueCapacity { get; }

    /// <summary>Alerts waiting to be sent.</summary>
    public int QueueLength
    {
        get
        {
            lock (_queueLock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Alerts dropped (queue overflow, or no Alertmanager accepted them).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The Alertmanagers currently discovered, over all sets.</summary>
    public IReadOnlyList<Uri> Alertmanagers
    {
        get
        {
            var list = new List<Uri>();
            foreach (var set in _settings.Sets)
            {
                list.AddRange(set.Urls);
            }
            return list;
        }
    }

    /// <summary>Counters per Alertmanager URL.</summary>
    public IReadOnlyDictionary<string, AlertmanagerStats> Stats => _stats;

    /// <summary>
    /// Takes the <c>alerting</c> section and external labels of <paramref name="config"/>: starts the new sets'
    /// discovery, then stops the old sets. Queued alerts are kept.
    /// </summary>
    public async Task ApplyConfigAsync(PrometheusConfig config, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sets = new List<AlertmanagerSet>();
        for (var i = 0; i < config.Alerting.Alertmanagers.Count; i++)
        {
            var set = new AlertmanagerSet(config, i, _time, w => _log.LogWarning("{Warning}", w));
            await set.StartAsync().ConfigureAwait(false);
            sets.Add(set);
        }
        var old = _settings;
        _settings = new Settings(config.Global.ExternalLabels, config.Alerting.AlertRelabelConfigs, sets);
        foreach (var set in old.Sets)
        {
            await set.DisposeAsync().ConfigureAwait(false);
        }
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>Starts the sender loop.</summary>
    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <inheritdoc/>
    public void Send(IReadOnlyList<OutgoingAlert> alerts)
    {
        var relabeled = RelabelAll(alerts);
        if (relabeled.Count == 0)
        {
            return;
        }
        lock (_queueLock)
        {
            var start = 0;
            if (relabeled.Count > QueueCapacity)
            {
                start = relabeled.Count - QueueCapacity;
                _log.LogWarning("Alert batch larger than queue capacity, dropping alerts (num_dropped={Dropped})", start);
                Interlocked.Add(ref _dropped, start);
            }
            var overflow = _queue.Count + (relabeled.Count - start) - QueueCapacity;
            if (overflow > 0)
            {
                for (var i = 0; i < overflow; i++)
                {
                    _queue.RemoveFirst();
                }
                _log.LogWarning("Alert notification queue full, dropping alerts (num_dropped={Dropped})", overflow);
                Interlocked.Add(ref _dropped, overflow);
            }
            for (var i = start; i < relabeled.Count; i++)
            {
                _queue.AddLast(relabeled[i]);
            }
        }
        SetMore();
    }

    /// <summary>The alerts with the current external labels and alert_relabel_configs applied; dropped ones left out.</summary>
    public List<OutgoingAlert> RelabelAll(IReadOnlyList<OutgoingAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var settings = _settings;
        var relabeled = new List<OutgoingAlert>(alerts.Count);
        foreach (var alert in alerts)
        {
            if (Relabel(alert, settings.ExternalLabels, settings.RelabelConfigs) is { } a)
            {
                relabeled.Add(a);
            }
        }
        return relabeled;
    }

    /// <summary>Prometheus's <c>relabelAlerts</c> for one alert: external labels where absent, then alert_relabel_configs; null when dropped.</summary>
    public static OutgoingAlert? Relabel(OutgoingAlert alert, Labels externalLabels, IReadOnlyList<RelabelConfig> relabelConfigs)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(externalLabels);
        var builder = new LabelsBuilder(alert.Labels);
        foreach (var l in externalLabels.AsSpan())
        {
            if (alert.Labels.Get(l.Name).Length == 0)
            {
                builder.Set(l.Name, l.Value);
            }
        }
        if (!Relabeler.Process(builder, relabelConfigs))
        {
            return null;
        }
        var labels = builder.ToLabels();
        return labels.Count == 0 ? null : alert with { Labels = labels };
    }

    private void SetMore()
    {
        try
        {
            if (_more.CurrentCount == 0)
            {
                _more.Release();
            }
        }
        catch (SemaphoreFullException)
        {
        }
    }

    private List<OutgoingAlert> NextBatch()
    {
        lock (_queueLock)
        {
            var batch = new List<OutgoingAlert>(Math.Min(MaxBatchSize, _queue.Count));
            while (batch.Count < MaxBatchSize && _queue.First is { } first)
            {
                batch.Add(first.Value);
                _queue.RemoveFirst();
            }
            return batch;
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _more.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var batch = NextBatch();
            bool sent;
            try
            {
                sent = await SendAllAsync(batch, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            if (!sent)
            {
                Interlocked.Add(ref _dropped, batch.Count);
            }
            if (QueueLength > 0)
            {
                SetMore();
            }
        }
    }

    /// <summary>Sends one batch to every Alertmanager at once; true when at least one accepted it (Prometheus's <c>sendAll</c>).</summary>
    public async Task<bool> SendAllAsync(IReadOnlyList<OutgoingAlert> alerts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        if (alerts.Count == 0)
        {
            return true;
        }
        var payload = AlertmanagerPayload.Write(alerts);
        var started = Stopwatch.GetTimestamp();
        var tasks = new List<Task<bool>>();
        foreach (var set in _settings.Sets)
        {
            foreach (var url in set.Urls)
            {
                tasks.Add(SendOneAsync(set, url, payload, alerts.Count, started, ct));
            }
        }
        var results = await Task.WhenAll(tasks).ConfigureAwait(false);
        return results.Contains(true);
    }

    private async Task<bool> SendOneAsync(AlertmanagerSet set, Uri url, byte[] payload, int count, long started, CancellationToken ct)
    {
        var stats = _stats.GetOrAdd(url.AbsoluteUri, static _ => new AlertmanagerStats());
        var ok = false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(set.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(payload) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            set.Authorize(request);
            using var response = await set.Client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if ((int)response.StatusCode / 100 == 2)
            {
                ok = true;
            }
            else
            {
                _log.LogError("Error sending alert (alertmanager={Url}, count={Count}): bad response status {Status}", url, count, $"{(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _log.LogError("Error sending alert (alertmanager={Url}, count={Count}): context deadline exceeded", url, count);
        }
        catch (ObjectDisposedException)
        {
            // The set was replaced by a reload while this request was in flight.
            _log.LogError("Error sending alert (alertmanager={Url}, count={Count}): configuration reloaded", url, count);
        }
        catch (HttpRequestException e)
        {
            _log.LogError("Error sending alert (alertmanager={Url}, count={Count}): {Error}", url, count, e.Message);
        }
        if (!ok)
        {
            Interlocked.Increment(ref stats.ErrorCount);
        }
        Interlocked.Increment(ref stats.LatencyCount);
        Interlocked.Add(ref stats.LatencyMicros, (long)(Stopwatch.GetElapsedTime(started).TotalMilliseconds * 1000));
        Interlocked.Add(ref stats.SentCount, count);
        return ok;
    }

    /// <summary>Stops the sender (Prometheus drains nothing on stop either) and discovery.</summary>
    public async ValueTask DisposeAsync()
    {
        // The container may dispose it twice (as itself and through the service that owns it).
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        foreach (var set in _settings.Sets)
        {
            await set.DisposeAsync().ConfigureAwait(false);
        }
        _stop.Dispose();
    }
}
