using Vigil.Model;
using Vigil.Model.Relabel;

namespace Vigil.Remote.Send;

/// <summary>
/// One remote-write destination, as the sender needs it (mapped from a <c>remote_write</c> entry by the server;
/// Vigil.Remote does not know the configuration file). Defaults are Prometheus 2.42's.
/// </summary>
public sealed class RemoteWriteOptions
{
    /// <summary>The queue's name (<c>remote_name</c> label): the configured name, or a hash of the entry.</summary>
    public required string Name { get; init; }

    /// <summary>The endpoint (<c>url</c> label).</summary>
    public required Uri Url { get; init; }

    /// <summary>Per-request timeout (<c>remote_timeout</c>, 30s).</summary>
    public TimeSpan RemoteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Extra request headers (<c>headers</c>, e.g. <c>X-Scope-OrgID</c>); they replace headers of the same name.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary><c>write_relabel_configs</c>, applied after the external labels are added.</summary>
    public IReadOnlyList<RelabelConfig> WriteRelabelConfigs { get; init; } = [];

    /// <summary><c>global.external_labels</c>; a series' own label of the same name wins.</summary>
    public Labels ExternalLabels { get; init; } = Labels.Empty;

    /// <summary><c>queue_config</c>.</summary>
    public QueueOptions Queue { get; init; } = new();

    /// <summary>
    /// The HTTP handler (TLS, authentication, proxy...), built by the server from <c>http_client_config</c>; the queue
    /// does not dispose it. Null: a plain <see cref="SocketsHttpHandler"/> owned by the queue.
    /// </summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>What identifies this destination's progress across restarts and configuration changes (default: name and URL).</summary>
    public string ProgressKey { get; init; } = "";
}

/// <summary><c>queue_config</c> with Prometheus 2.42's defaults.</summary>
public sealed class QueueOptions
{
    /// <summary>Samples buffered per shard (2500).</summary>
    public int Capacity { get; init; } = 2500;

    /// <summary>The most shards (200).</summary>
    public int MaxShards { get; init; } = 200;

    /// <summary>The fewest shards, and the number at start (1).</summary>
    public int MinShards { get; init; } = 1;

    /// <summary>The most samples per request (500).</summary>
    public int MaxSamplesPerSend { get; init; } = 500;

    /// <summary>How long a partial batch may wait (5s).</summary>
    public TimeSpan BatchSendDeadline { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first retry delay (30ms).</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(30);

    /// <summary>The longest retry delay (5s).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether HTTP 429 is retried (<c>retry_on_http_429</c>); otherwise it drops the batch like other 4xx.</summary>
    public bool RetryOnRateLimit { get; init; }

    /// <summary>Throws when a value is out of range (the config loader validates first; this guards direct use).</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 1, nameof(Capacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinShards, 1, nameof(MinShards));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxShards, MinShards, nameof(MaxShards));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSamplesPerSend, 1, nameof(MaxSamplesPerSend));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BatchSendDeadline, TimeSpan.Zero, nameof(BatchSendDeadline));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinBackoff, TimeSpan.Zero, nameof(MinBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, MinBackoff, nameof(MaxBackoff));
    }
}

/// <summary>Where a queue runs: the WAL it tails, where it keeps its progress, the clock, hooks for metrics and logs.</summary>
public sealed class RemoteWriteEnvironment
{
    /// <summary>The TSDB's WAL directory.</summary>
    public required string WalDirectory { get; init; }

    /// <summary>Where progress markers are kept (the data directory's <c>remote_write</c>); null: not kept (start at the end every time, as Prometheus).</summary>
    public string? ProgressDirectory { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long stopping waits for queued samples to be sent before giving up on them (1m, Prometheus's flush deadline).</summary>
    public TimeSpan FlushDeadline { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the number of shards is recomputed (10s, Prometheus's <c>shardUpdateDuration</c>).</summary>
    public TimeSpan ShardUpdatePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the progress marker is written when it moved (1s).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The WAL watcher's polling (defaults are Prometheus's).</summary>
    public TimeSpan ReadPeriod { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How often the watcher looks for a newer checkpoint.</summary>
    public TimeSpan CheckpointPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Samples appended to the store so far (the ingestion rate for resharding); null: samples the watcher read.</summary>
    public Func<long>? SamplesIngested { get; init; }

    /// <summary>The newest timestamp appended to the store, in ms (for resharding's delay); null: the newest the watcher read.</summary>
    public Func<long>? HighestIngestedTimestampMs { get; init; }

    /// <summary>Called with each send attempt's duration (<c>prometheus_remote_storage_sent_batch_duration_seconds</c>).</summary>
    public Action<RemoteWriteQueue, TimeSpan>? SendDuration { get; init; }

    /// <summary>Informational messages.</summary>
    public Action<string>? Info { get; init; }

    /// <summary>Failures and data loss.</summary>
    public Action<string>? Warning { get; init; }
}
