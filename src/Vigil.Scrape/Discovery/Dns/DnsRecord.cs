using System.Net;

namespace Vigil.Scrape.Discovery.Dns;

/// <summary>
/// One resource record of an answer. <see cref="Address"/> is set for A and AAAA; <see cref="Target"/> (a name with its
/// trailing dot, as on the wire) for SRV, MX and CNAME; <see cref="Port"/>, <see cref="Priority"/> and <see cref="Weight"/> for SRV
/// (<see cref="Priority"/> is the preference of an MX).
/// </summary>
public sealed record DnsRecord(string Name, DnsRecordType Type, uint TimeToLive)
{
    /// <summary>The address of an A or AAAA record.</summary>
    public IPAddress? Address { get; init; }

    /// <summary>The target of an SRV, the exchange of an MX, the canonical name of a CNAME; fully qualified, ending in a dot.</summary>
    public string? Target { get; init; }

    /// <summary>The port of an SRV record.</summary>
    public ushort Port { get; init; }

    /// <summary>The priority of an SRV record, the preference of an MX record.</summary>
    public ushort Priority { get; init; }

    /// <summary>The weight of an SRV record.</summary>
    public ushort Weight { get; init; }
}
