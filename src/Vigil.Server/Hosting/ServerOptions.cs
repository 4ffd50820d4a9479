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
}
