using System.Threading.Channels;

namespace Vigil.Scrape.Discovery;

/// <summary>
/// A service discovery provider, as Prometheus's <c>discovery.Discoverer</c>: runs until cancelled, writing
/// batches of target groups whenever it learns something. A group replaces the previous group with the same
/// <see cref="TargetGroup.Source"/>; an empty group removes it. The first batch should be the full initial state.
/// </summary>
public interface ITargetDiscoverer
{
    /// <summary>Discovers until <paramref name="cancellationToken"/> is cancelled; returns normally then.</summary>
    Task RunAsync(ChannelWriter<IReadOnlyList<TargetGroup>> updates, CancellationToken cancellationToken);

    /// <summary>
    /// The last error (a failed refresh, an unreadable file, a dropped watch), or null after a success.
    /// Prometheus logs these and keeps the previous targets; Vigil keeps the previous targets and shows the error here.
    /// </summary>
    string? LastError { get; }
}
