namespace Vigil.Scrape.Discovery.Dns;

/// <summary>The DNS record types discovery asks for or meets in answers (RFC 1035 §3.2.2, RFC 3596, RFC 2782).</summary>
public enum DnsRecordType : ushort
{
    /// <summary>An IPv4 address.</summary>
    A = 1,

    /// <summary>A canonical name (alias); skipped by discovery, as in Prometheus.</summary>
    Cname = 5,

    /// <summary>A mail exchange.</summary>
    Mx = 15,

    /// <summary>An IPv6 address.</summary>
    Aaaa = 28,

    /// <summary>A service location: target host and port.</summary>
    Srv = 33,

    /// <summary>The EDNS(0) pseudo-record (RFC 6891).</summary>
    Opt = 41,
}
