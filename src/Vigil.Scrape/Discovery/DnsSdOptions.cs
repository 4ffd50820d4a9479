using Vigil.Scrape.Discovery.Dns;

namespace Vigil.Scrape.Discovery;

/// <summary>Settings of one <c>dns_sd_configs</c> entry.</summary>
/// <param name="Names">The names to query; each is a group's source.</param>
public sealed record DnsSdOptions(IReadOnlyList<string> Names)
{
    /// <summary>The record type: SRV (default), A, AAAA or MX.</summary>
    public DnsRecordType Type { get; init; } = DnsRecordType.Srv;

    /// <summary>The port put on A, AAAA and MX targets (SRV records carry their own).</summary>
    public int Port { get; init; }

    /// <summary>How often to query (Prometheus's default: 30 seconds).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(30);
}
