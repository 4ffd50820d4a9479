using Vigil.Model;

namespace Vigil.Scrape.Manager;

/// <summary>A discovered target that <c>relabel_configs</c> dropped, as <c>/api/v1/targets</c> lists it.</summary>
/// <param name="ScrapePool">The job it was discovered for.</param>
/// <param name="DiscoveredLabels">Its labels before relabeling (with <c>job</c>, <c>__scheme__</c>, ... filled in).</param>
public sealed record DroppedTarget(string ScrapePool, Labels DiscoveredLabels);
