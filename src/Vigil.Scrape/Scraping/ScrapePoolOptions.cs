namespace Vigil.Scrape.Scraping;

/// <summary>How a <see cref="ScrapePool"/> runs: its clock, counters, offset seed and HTTP handler settings.</summary>
public sealed class ScrapePoolOptions
{
    /// <summary>The clock for schedules, timeouts and sample timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where to count; one per environment, shared by its pools. A private instance when null.</summary>
    public ScrapeStats? Stats { get; init; }

    /// <summary>
    /// Mixed into every target's offset (Prometheus: a hash of the external labels and hostname), so two
    /// servers scraping the same targets do not scrape them at the same instant.
    /// </summary>
    public ulong OffsetSeed { get; init; }

    /// <summary>
    /// Adjusts the pool's handler before its client is made: TLS (<see cref="SocketsHttpHandler.SslOptions"/>:
    /// CA, client certificate, server name, insecure_skip_verify), redirects, connection limits. The handler
    /// starts with no proxy and automatic gzip decompression.
    /// </summary>
    public Action<SocketsHttpHandler>? ConfigureHandler { get; init; }

    /// <summary>The <c>User-Agent</c> header; <c>Vigil/&lt;version&gt;</c> by default.</summary>
    public string UserAgent { get; init; } = DefaultUserAgent;

    /// <summary><c>Vigil/&lt;major.minor.patch&gt;</c> of this assembly.</summary>
    public static string DefaultUserAgent { get; } = "Vigil/" + (typeof(ScrapePoolOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
}
