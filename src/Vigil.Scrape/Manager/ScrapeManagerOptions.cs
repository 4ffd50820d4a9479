using Vigil.Scrape.Scraping;

namespace Vigil.Scrape.Manager;

/// <summary>How a <see cref="ScrapeManager"/> runs: its clock, counters, discovery pacing and logging.</summary>
public sealed class ScrapeManagerOptions
{
    /// <summary>The clock for discovery, schedules and sample timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where every pool counts; a private instance when null.</summary>
    public ScrapeStats? Stats { get; init; }

    /// <summary>Mixed into every target's scrape offset (see <see cref="ScrapePoolOptions.OffsetSeed"/>).</summary>
    public ulong OffsetSeed { get; init; }

    /// <summary>The least time between two target updates from discovery (Prometheus: 5 s).</summary>
    public TimeSpan DiscoveryUpdateInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Receives warnings (a target that cannot be created, a discoverer that cannot start); ignored when null.</summary>
    public Action<string>? Warning { get; init; }

    /// <summary>The <c>User-Agent</c> header of scrapes.</summary>
    public string UserAgent { get; init; } = ScrapePoolOptions.DefaultUserAgent;
}
