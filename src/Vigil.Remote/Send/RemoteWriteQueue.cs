using System.Globalization;
using System.Runtime.InteropServices;
using Vigil.Model;
using Vigil.Model.Relabel;
using RefSample = Vigil.Tsdb.RefSample;
using Vigil.Tsdb.Wal;

namespace Vigil.Remote.Send;

/// <summary>
/// One <c>remote_write</c> destination (Prometheus 2.42's <c>QueueManager</c>): a <see cref="WalWatcher"/> feeds it
/// series and samples; series get the external labels and <c>write_relabel_configs</c>; samples are spread over shards by
/// series ref (so one series stays in order), batched up to <c>max_samples_per_send</c> or <c>batch_send_deadline</c>,
/// and sent with retries forever on recoverable errors. The number of shards follows throughput as Prometheus computes
/// it. Progress (what is settled) is persisted as a <see cref="ProgressMarker"/> so a restart resumes where delivery
/// stopped instead of at "now".
/// </summary>
public sealed partial class RemoteWriteQueue : IWalWatcherSink, IAsyncDisposable
{
    private readonly RemoteWriteOptions _options;
    private readonly RemoteWriteEnvironment _env;
    private readonly RemoteWriteClient _client;
    private readonly string _progressKey;
    private readonly string? _markerPath;
    private readonly Lock _seriesLock = new();
    private readonly Dictionary<ulong, SeriesEntry> _series = [];
    private readonly List<(Labels Labels, RefSample Sample)> _record = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _hard = new();
    private readonly EwmaRate _dataIn;
    private readonly EwmaRate _dataOut;
    private readonly EwmaRate _dataDropped;
    private readonly EwmaRate _dataOutDuration;
    private Dictionary<ulong, long> _skip = [];
    private WalPosition _skipUntil;
    private SendProgress _progress = new();
    private WalWatcher? _watcher;
    private Task _watcherTask = Task.CompletedTask;
    private Task _loopsTask = Task.CompletedTask;
    private ProgressMarker? _lastWritten;
    private long _lastIngested;
    private long _readSamples;
    private long _highestReadMs;
    private long _lastSendUnixSeconds;
    private long _lastRetryLog;
    private int _reshardTo;
    private int _state; // 0 new, 1 started, 2 stopped

    private readonly record struct SeriesEntry(Labels? Labels, int Segment);

    /// <summary>A queue for <paramref name="options"/>, tailing the WAL named in <paramref name="environment"/>.</summary>
    public RemoteWriteQueue(RemoteWriteOptions options, RemoteWriteEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        options.Queue.Validate();
        _options = options;
        _env = environment;
        _client = new RemoteWriteClient(options.Url, options.RemoteTimeout, options.Headers, options.Queue.RetryOnRateLimit,
            options.Handler ?? new SocketsHttpHandler(), ownsHandler: options.Handler is null, environment.TimeProvider);
        _progressKey = options.ProgressKey.Length > 0 ? options.ProgressKey : options.Name + " " + options.Url;
        _markerPath = environment.ProgressDirectory is { } dir ? ProgressMarker.PathFor(dir, _progressKey) : null;
        _dataIn = new EwmaRate(ShardCalculator.EwmaWeight, environment.ShardUpdatePeriod);
        _dataOut = new EwmaRate(ShardCalculator.EwmaWeight, environment.ShardUpdatePeriod);
        _dataDropped = new EwmaRate(ShardCalculator.EwmaWeight, environment.ShardUpdatePeriod);
        _dataOutDuration = new EwmaRate(ShardCalculator.EwmaWeight, environment.ShardUpdatePeriod);
        _shards = [];
    }

    /// <summary>The queue's name (<c>remote_name</c>).</summary>
    public string Name => _options.Name;

    /// <summary>The endpoint (<c>url</c>).</summary>
    public Uri Url => _options.Url;

    /// <summary>The options it runs with.</summary>
    public RemoteWriteOptions Options => _options;

    /// <summary>Counters and gauges.</summary>
    public QueueStats Stats { get; } = new();

    /// <summary>The watcher's counters (null before start).</summary>
    public WalWatcherStats? WatcherStats => _watcher?.Stats;

    /// <summary>Completes once the WAL watcher has started: samples written from then on are sent.</summary>
    public Task Started => _watcher?.Started ?? Task.CompletedTask;

    /// <summary>Where a restart would resume now.</summary>
    public WalPosition Watermark => _progress.Watermark;

    /// <summary>The progress marker file, or null when progress is not kept.</summary>
    public string? MarkerPath => _markerPath;

    /// <summary>Reads the progress marker (if any), starts the shards, the WAL watcher and the resharding loop.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("a remote write queue starts once");
        }
        WalPosition? resume = null;
        if (_markerPath is not null)
        {
            var marker = ProgressMarker.Read(_markerPath, out var error);
            if (error is not null)
            {
                _env.Warning?.Invoke($"remote write {Name}: {error}; starting at the end of the WAL");
            }
            if (marker is not null)
            {
                resume = marker.Position;
                _lastWritten = marker;
                _skipUntil = marker.ReadUntil;
                foreach (var (reference, timestamp) in marker.DeliveredAhead)
                {
                    _skip[reference] = timestamp;
                }
            }
        }
        _progress = new SendProgress(resume ?? default);
        StartShards(_options.Queue.MinShards);
        _watcher = NewWatcher(resume);
        _watcherTask = RunWatcherAsync(_stop.Token);
        _loopsTask = Task.WhenAll(UpdateShardsLoopAsync(_stop.Token), ProgressLoopAsync(_stop.Token));
    }

    private WalWatcher NewWatcher(WalPosition? resume) => new(_env.WalDirectory, this, new WalWatcherOptions
    {
        Consumer = Name,
        TimeProvider = _env.TimeProvider,
        ReadPeriod = _env.ReadPeriod,
        CheckpointPeriod = _env.CheckpointPeriod,
        ResumeFrom = resume,
        Info = _env.Info,
        Warning = _env.Warning,
    });

    private async Task RunWatcherAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _watcher!.RunAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is IOException or CorruptionException or UnauthorizedAccessException)
            {
                // As Prometheus: wait and start over (from where reading stopped, so nothing is sent twice).
                _env.Warning?.Invoke($"remote write {Name}: error tailing the WAL: {e.Message}; retrying in 5s");
                var position = _watcher!.Position;
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), _env.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                _watcher = NewWatcher(position);
            }
        }
    }

    /// <summary>
    /// Stops reading, gives queued samples up to the flush deadline (or until <paramref name="cancellationToken"/>) to be
    /// sent, then abandons the rest — they are resent from the WAL after a restart — and writes the progress marker.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watcherTask.ConfigureAwait(false);
        await _loopsTask.ConfigureAwait(false);
        var shards = _shards;
        foreach (var shard in shards)
        {
            shard.Queue.Writer.TryComplete();
        }
        var runs = Task.WhenAll(Array.ConvertAll(shards, static s => s.Run));
        try
        {
            await runs.WaitAsync(_env.FlushDeadline, _env.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            var pending = Stats.Pending;
            await _hard.CancelAsync().ConfigureAwait(false);
            await runs.ConfigureAwait(false);
            _env.Warning?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"remote write {Name}: failed to flush {pending} samples on shutdown; they are sent from the WAL after a restart"));
        }
        WriteProgress(force: true);
        _client.Dispose();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        _hard.Dispose();
    }

    /// <inheritdoc/>
    public void StoreSeries(IReadOnlyList<RefSeries> series, int segment)
    {
        ArgumentNullException.ThrowIfNull(series);
        lock (_seriesLock)
        {
            for (var i = 0; i < series.Count; i++)
            {
                _series[series[i].Ref] = new SeriesEntry(Process(series[i].Labels), segment);
            }
        }
    }

    /// <inheritdoc/>
    public void UpdateSeriesSegment(IReadOnlyList<RefSeries> series, int segment)
    {
        ArgumentNullException.ThrowIfNull(series);
        lock (_seriesLock)
        {
            for (var i = 0; i < series.Count; i++)
            {
                ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_series, series[i].Ref);
                if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry))
                {
                    entry = entry with { Segment = segment };
                }
            }
        }
    }

    /// <inheritdoc/>
    public void SeriesReset(int segment)
    {
        lock (_seriesLock)
        {
            List<ulong>? gone = null;
            foreach (var (reference, entry) in _series)
            {
                if (entry.Segment < segment)
                {
                    (gone ??= []).Add(reference);
                }
            }
            foreach (var reference in gone ?? [])
            {
                _series.Remove(reference);
            }
        }
    }

    /// <summary>Series known (kept or relabelled away).</summary>
    public int SeriesCount
    {
        get
        {
            lock (_seriesLock)
            {
                return _series.Count;
            }
        }
    }

    /// <summary>External labels merged in (the series' own label wins), then <c>write_relabel_configs</c>; null when dropped.</summary>
    private Labels? Process(Labels labels)
    {
        var external = _options.ExternalLabels;
        if (external.Count > 0)
        {
            var builder = new LabelsBuilder(labels);
            foreach (var label in external.AsSpan())
            {
                if (!labels.Has(label.Name))
                {
                    builder.Set(label.Name, label.Value);
                }
            }
            labels = builder.ToLabels();
        }
        var result = Relabeler.Process(labels, _options.WriteRelabelConfigs);
        return result is null || result.Count == 0 ? null : result;
    }

    /// <inheritdoc/>
    public void Advance(WalPosition recordEnd) => _progress.Begin(recordEnd, 0);

    /// <inheritdoc/>
    public async ValueTask AppendAsync(IReadOnlyList<RefSample> samples, WalPosition recordEnd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (Volatile.Read(ref _reshardTo) != 0)
        {
            await ReshardAsync(cancellationToken).ConfigureAwait(false);
        }
        var dropped = 0;
        _record.Clear();
        lock (_seriesLock)
        {
            var checkSkip = _skip.Count > 0;
            if (checkSkip && recordEnd > _skipUntil)
            {
                _skip = [];
                checkSkip = false;
            }
            for (var i = 0; i < samples.Count; i++)
            {
                var s = samples[i];
                if (s.TimestampMs > _highestReadMs)
                {
                    _highestReadMs = s.TimestampMs;
                }
                if (!_series.TryGetValue(s.Ref, out var entry) || entry.Labels is null)
                {
                    dropped++;
                    continue;
                }
                if (checkSkip && _skip.TryGetValue(s.Ref, out var delivered) && s.TimestampMs <= delivered)
                {
                    continue; // Delivered before the restart.
                }
                _record.Add((entry.Labels, s));
            }
        }
        Interlocked.Add(ref _readSamples, samples.Count);
        if (dropped > 0)
        {
            Stats.Drop(dropped);
            _dataDropped.Increment(dropped);
        }
        var ticket = _progress.Begin(recordEnd, _record.Count);
        var shards = _shards;
        foreach (var (labels, s) in _record)
        {
            var pending = new PendingSample(labels, s.TimestampMs, s.Value, s.Ref, ticket);
            var writer = shards[(int)(s.Ref % (ulong)shards.Length)].Queue.Writer;
            Stats.AddPending(1);
            if (!writer.TryWrite(pending))
            {
                Stats.EnqueueRetry();
                await writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task UpdateShardsLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_env.ShardUpdatePeriod, _env.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var ingested = _env.SamplesIngested?.Invoke() ?? Interlocked.Read(ref _readSamples);
                _dataIn.Increment(ingested - _lastIngested);
                _lastIngested = ingested;
                _dataIn.Tick();
                var desired = CalculateDesiredShards();
                if (ShouldReshard(desired))
                {
                    _env.Info?.Invoke(string.Create(CultureInfo.InvariantCulture, $"remote write {Name}: resharding from {_shards.Length} to {desired}"));
                    Volatile.Write(ref _reshardTo, desired);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Ticks the rates and computes the shards wanted (Prometheus's <c>calculateDesiredShards</c>).</summary>
    internal int CalculateDesiredShards()
    {
        _dataOut.Tick();
        _dataDropped.Tick();
        _dataOutDuration.Tick();
        var highestIngested = (_env.HighestIngestedTimestampMs?.Invoke() ?? Interlocked.Read(ref _highestReadMs)) / 1000.0;
        var (shards, desired) = ShardCalculator.Calculate(_shards.Length, _options.Queue.MinShards, _options.Queue.MaxShards,
            _dataIn.Rate, _dataOut.Rate, _dataDropped.Rate, _dataOutDuration.Rate, highestIngested, Stats.HighestSentTimestampSeconds);
        if (!double.IsNaN(desired))
        {
            Stats.SetDesiredShards(desired);
        }
        return shards;
    }

    private bool ShouldReshard(int desired)
    {
        if (desired == _shards.Length)
        {
            return false;
        }
        // Not while sends fail: more shards would not help (Prometheus: last successful send within 2 × batch_send_deadline).
        var minSend = _env.TimeProvider.GetUtcNow().ToUnixTimeSeconds() - (long)(2 * _options.Queue.BatchSendDeadline.TotalSeconds);
        return Interlocked.Read(ref _lastSendUnixSeconds) >= minSend;
    }

    private async Task ProgressLoopAsync(CancellationToken cancellationToken)
    {
        if (_markerPath is null)
        {
            return;
        }
        using var timer = new PeriodicTimer(_env.ProgressInterval, _env.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                WriteProgress(force: false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void WriteProgress(bool force)
    {
        if (_markerPath is null)
        {
            return;
        }
        Dictionary<ulong, long> skip;
        lock (_seriesLock)
        {
            skip = _skip;
        }
        var readUntil = _watcher?.Position ?? default;
        if (skip.Count > 0 && _skipUntil > readUntil)
        {
            readUntil = _skipUntil;
        }
        var marker = _progress.Snapshot(readUntil);
        if (skip.Count > 0)
        {
            // Deliveries of the previous run that this one has not yet passed stay remembered.
            Dictionary<ulong, long> merged;
            lock (_seriesLock)
            {
                merged = new Dictionary<ulong, long>(skip);
            }
            foreach (var (reference, timestamp) in marker.DeliveredAhead)
            {
                merged[reference] = Math.Max(timestamp, merged.GetValueOrDefault(reference, long.MinValue));
            }
            var list = new List<KeyValuePair<ulong, long>>(merged);
            list.Sort(static (a, b) => a.Key.CompareTo(b.Key));
            marker = marker with { DeliveredAhead = list };
        }
        if (!force && _lastWritten is { } last && last.Position == marker.Position && last.DeliveredAhead.Count == 0 && marker.DeliveredAhead.Count == 0)
        {
            return;
        }
        try
        {
            marker.Write(_markerPath, _progressKey);
            _lastWritten = marker;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _env.Warning?.Invoke($"remote write {Name}: writing the progress marker {_markerPath} failed: {e.Message}");
        }
    }
}
