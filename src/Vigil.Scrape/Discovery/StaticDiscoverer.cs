using System.Globalization;
using System.Threading.Channels;
using Vigil.Model;

namespace Vigil.Scrape.Discovery;

/// <summary><c>static_configs</c>: sends its groups once (sources <c>0</c>, <c>1</c>, ... as Prometheus's StaticProvider) and waits.</summary>
public sealed class StaticDiscoverer : ITargetDiscoverer
{
    private readonly IReadOnlyList<TargetGroup> _groups;

    /// <summary>Creates a provider for ready-made groups; their sources are replaced by their index.</summary>
    public StaticDiscoverer(IReadOnlyList<TargetGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var list = new TargetGroup[groups.Count];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = new TargetGroup(i.ToString(CultureInfo.InvariantCulture), groups[i].Targets, groups[i].Labels);
        }
        _groups = list;
    }

    /// <summary>One <c>static_configs</c> entry: addresses and common labels.</summary>
    public static TargetGroup Group(IEnumerable<string> addresses, Labels? labels = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var targets = new List<Labels>();
        foreach (var address in addresses)
        {
            targets.Add(Labels.Of(TargetGroup.AddressLabel, address));
        }
        return new TargetGroup("", targets, labels);
    }

    /// <inheritdoc/>
    public string? LastError => null;

    /// <inheritdoc/>
    public async Task RunAsync(ChannelWriter<IReadOnlyList<TargetGroup>> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        try
        {
            await updates.WriteAsync(_groups, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
