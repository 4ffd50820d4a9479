using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Remote.Send;
using Vigil.Scrape.Config;
using Vigil.Server.Hosting;
using Vigil.Tsdb;
using Vigil.Tsdb.Wal;

namespace Vigil.Server.Remote;

/// <summary>
/// Runs one <see cref="RemoteWriteQueue"/> per <c>remote_write</c> entry of <c>--config.file</c>, tailing the TSDB's WAL,
/// with progress markers in the data directory's <c>remote_write/</c>. On reload (SIGHUP, <c>/-/reload</c>) entries that
/// did not change keep their queue; changed and removed ones are stopped (flushing, and writing their marker) before new
/// ones start, so a changed destination resumes where the old queue stopped.
/// </summary>
public sealed class RemoteWriteService : IHostedService, IAsyncDisposable
{
    /// <summary>How long stopping a queue waits for queued samples (the host allows 10 s for all of shutdown).</summary>
    public static readonly TimeSpan FlushDeadline = TimeSpan.FromSeconds(5);

    private readonly ServerOptions _options;
    private readonly TimeSeriesDb _db;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly Histogram<double> _sendDuration;
    private PrometheusConfig? _config;
    private volatile RemoteWriteQueue[] _queues = [];
    private int _disposed;

    private sealed record Running(RemoteWriteQueue Queue, HttpMessageHandler Handler);

    /// <summary>A service for <paramref name="initial"/> (null: no remote write) appending nothing, reading <paramref name="db"/>'s WAL.</summary>
    public RemoteWriteService(PrometheusConfig? initial, ServerOptions options, TimeSeriesDb db, ConfigReloader reloader, TimeProvider time,
        IMeterFactory meters, ILogger<RemoteWriteService> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(reloader);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(log);
        _config = initial;
        _options = options;
        _db = db;
        _time = time;
        _log = log;
        _sendDuration = RemoteWriteMetrics.Register(meters, this, db);
        reloader.Subscribe(ReloadAsync);
    }

    /// <summary>The running queues.</summary>
    public IReadOnlyList<RemoteWriteQueue> Queues => _queues;

    /// <summary>The WAL directory tailed.</summary>
    public string WalDirectory => Path.Combine(_db.Directory, WriteAheadLog.DirectoryName);

    /// <summary>Where progress markers are kept.</summary>
    public string ProgressDirectory => Path.Combine(_db.Directory, ProgressMarker.DirectoryName);

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => ApplyAsync(_config, cancellationToken);

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running.Values.Select(r => StopQueueAsync(r, cancellationToken))).ConfigureAwait(false);
            _running.Clear();
            _queues = [];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // The container disposes it twice (as itself and as the hosted service its factory returned).
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task ReloadAsync(string? text, CancellationToken cancellationToken)
    {
        if (_options.ConfigFile is not { } path)
        {
            return;
        }
        if (!ConfigLoader.TryLoadFile(path, out var config, out _))
        {
            // The scrape service reports the file's errors; every part keeps its running configuration.
            return;
        }
        await ApplyAsync(config, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts, keeps, replaces and stops queues so that they match <paramref name="config"/>'s <c>remote_write</c>.</summary>
    public async Task ApplyAsync(PrometheusConfig? config, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wanted = new Dictionary<string, RemoteWriteConfig>(StringComparer.Ordinal);
            foreach (var rw in config?.RemoteWrite ?? [])
            {
                wanted[RemoteWriteDestination.Key(rw, config!)] = rw;
            }
            var stopping = _running.Where(r => !wanted.ContainsKey(r.Key)).ToList();
            await Task.WhenAll(stopping.Select(r => StopQueueAsync(r.Value, cancellationToken))).ConfigureAwait(false);
            foreach (var (key, _) in stopping)
            {
                _running.Remove(key);
            }
            var errors = new List<string>();
            foreach (var (key, rw) in wanted)
            {
                if (_running.ContainsKey(key))
                {
                    continue;
                }
                HttpMessageHandler handler;
                try
                {
                    handler = RemoteWriteDestination.CreateHandler(rw, config!);
                }
                catch (InvalidOperationException e)
                {
                    errors.Add($"remote_write {rw.Url}: {e.Message}");
                    continue;
                }
                var queue = new RemoteWriteQueue(RemoteWriteDestination.Options(rw, config!, handler), Environment());
                queue.Start();
                _running[key] = new Running(queue, handler);
                _log.LogInformation("Starting remote write queue {Name} to {Url}", queue.Name, rw.Url);
            }
            _config = config;
            _queues = [.. _running.Values.Select(r => r.Queue)];
            if (errors.Count > 0)
            {
                throw new ConfigReloadException($"error starting remote write: {string.Join("; ", errors)}");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private RemoteWriteEnvironment Environment() => new()
    {
        WalDirectory = WalDirectory,
        ProgressDirectory = ProgressDirectory,
        TimeProvider = _time,
        FlushDeadline = FlushDeadline,
        SamplesIngested = () => _db.Head.Stats.SamplesAppended,
        HighestIngestedTimestampMs = () => _db.Head.MaxTime,
        SendDuration = (queue, duration) => _sendDuration.Record(duration.TotalSeconds,
            new KeyValuePair<string, object?>("remote_name", queue.Name), new KeyValuePair<string, object?>("url", queue.Url.ToString())),
        Info = message => _log.LogInformation("{Message}", message),
        Warning = message => _log.LogWarning("{Message}", message),
    };

    private async Task StopQueueAsync(Running running, CancellationToken cancellationToken)
    {
        _log.LogInformation("Stopping remote write queue {Name}", running.Queue.Name);
        await running.Queue.StopAsync(cancellationToken).ConfigureAwait(false);
        await running.Queue.DisposeAsync().ConfigureAwait(false);
        running.Handler.Dispose();
    }
}
