using Vigil.Model;

namespace Vigil.Scrape.Scraping;

/// <summary>
/// A snapshot of one active target for <c>/api/v1/targets</c>: who it is, how it is scraped and how its
/// last scrape went.
/// </summary>
public sealed record TargetStatus
{
    /// <summary>The scrape pool (job) name.</summary>
    public required string ScrapePool { get; init; }

    /// <summary>The URL scraped.</summary>
    public required Uri ScrapeUrl { get; init; }

    /// <summary>The labels attached to the target's series (no <c>__</c> labels).</summary>
    public required Labels Labels { get; init; }

    /// <summary>The labels before relabeling, as discovery produced them.</summary>
    public required Labels DiscoveredLabels { get; init; }

    /// <summary>Up after a good scrape, down after a failed one, unknown before the first.</summary>
    public required TargetHealth Health { get; init; }

    /// <summary>Why the last scrape failed, in Prometheus's words; empty after a good scrape.</summary>
    public required string LastError { get; init; }

    /// <summary>The timestamp of the last scrape (its samples' timestamp); <see langword="null"/> before the first.</summary>
    public required DateTimeOffset? LastScrape { get; init; }

    /// <summary>How long the last scrape took, including appending.</summary>
    public required TimeSpan LastScrapeDuration { get; init; }

    /// <summary>The scrape interval.</summary>
    public required TimeSpan ScrapeInterval { get; init; }

    /// <summary>The scrape timeout.</summary>
    public required TimeSpan ScrapeTimeout { get; init; }

    /// <summary>The target's identity (<see cref="ScrapeTarget.Hash"/>).</summary>
    public required ulong Hash { get; init; }
}
