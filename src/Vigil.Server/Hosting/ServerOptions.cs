namespace Vigil.Server.Hosting;

/// <summary>What <c>vigil serve</c> was asked to do: the flags, already validated and parsed.</summary>
public sealed record ServerOptions
{
    /// <summary>Where to listen (<c>--web.listen-address</c>).</summary>
    public ListenAddress ListenAddress { get; init; } = ListenAddress.Default;

    /// <summary>The data directory (<c>--storage.tsdb.path</c>).</summary>
    public string DataPath { get; init; } = "data";

    /// <summary>The configuration file (<c>--config.file</c>); null runs on embedded defaults.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>How long to keep samples (<c>--storage.tsdb.retention.time</c>); Prometheus's default is 15d.</summary>
    public TimeSpan RetentionTime { get; init; } = TimeSpan.FromDays(15);

    /// <summary>The most bytes of blocks to keep (<c>--storage.tsdb.retention.size</c>); 0 means no limit.</summary>
    public long RetentionSizeBytes { get; init; }

    /// <summary>Whether <c>/-/quit</c> and <c>/-/reload</c> are enabled (<c>--web.enable-lifecycle</c>).</summary>
    public bool EnableLifecycle { get; init; }

    /// <summary>The minimum level logged (<c>--log.level</c>).</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>The longest a query may run (<c>--query.timeout</c>); Prometheus's default is 2m.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The most samples a query may hold in memory at once (<c>--query.max-samples</c>).</summary>
    public int QueryMaxSamples { get; init; } = 50_000_000;

    /// <summary>The most queries running at once (<c>--query.max-concurrency</c>).</summary>
    public int QueryMaxConcurrency { get; init; } = 20;

    /// <summary>How far back an instant selector looks for a sample (<c>--query.lookback-delta</c>).</summary>
    public TimeSpan QueryLookbackDelta { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether the admin endpoints under <c>/api/v1/admin</c> are enabled (<c>--web.enable-admin-api</c>).</summary>
    public bool EnableAdminApi { get; init; }

    /// <summary>Whether <c>POST /api/v1/write</c> accepts remote-write requests (<c>--web.enable-remote-write-receiver</c>).</summary>
    public bool EnableRemoteWriteReceiver { get; init; }

    /// <summary>Whether <c>POST /api/v1/otlp/v1/metrics</c> accepts OTLP/HTTP metrics (<c>--web.enable-otlp-receiver</c>).</summary>
    public bool EnableOtlpReceiver { get; init; }

    /// <summary>The Alertmanager configuration file (<c>--alertmanager.config.file</c>); null runs alerting on a built-in minimal configuration.</summary>
    public string? AlertmanagerConfigFile { get; init; }

    /// <summary>SLO spec files (<c>--slo.file</c>, repeatable, globs relative to the working directory) compiled to rule groups evaluated with the <c>rule_files</c>.</summary>
    public IReadOnlyList<string> SloFiles { get; init; } = [];

    /// <summary>How old an alert's <c>for</c> state may be to be restored at start-up (<c>--rules.alert.for-outage-tolerance</c>).</summary>
    public TimeSpan RulesForOutageTolerance { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The least time a restored alert waits before firing (<c>--rules.alert.for-grace-period</c>).</summary>
    public TimeSpan RulesForGracePeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long to wait before re-sending an unchanged firing alert (<c>--rules.alert.resend-delay</c>).</summary>
    public TimeSpan RulesResendDelay { get; init; } = TimeSpan.FromMinutes(1);
}
