using System.Globalization;
using System.Net;

namespace Vigil.Scrape.Discovery.Dns;

/// <summary>
/// Where and how to ask: name servers, search domains and <c>ndots</c>, as Go's <c>dns.ClientConfigFromFile</c> reads
/// them from <c>/etc/resolv.conf</c> (port 53, ndots 1 unless set).
/// </summary>
public sealed record ResolverConfig
{
    /// <summary>The default file.</summary>
    public const string DefaultPath = "/etc/resolv.conf";

    /// <summary>The servers, asked in order until one gives a usable answer.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>Search domains appended to names that are not fully qualified.</summary>
    public IReadOnlyList<string> Search { get; init; } = [];

    /// <summary>A name with more labels than this is tried as is before the search domains.</summary>
    public int Ndots { get; init; } = 1;

    /// <summary>How long to wait for one server's answer (Go's dns.Client: 2 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A configuration asking only <paramref name="servers"/>, with no search domains (for tests and explicit setups).</summary>
    public static ResolverConfig ForServers(params IPEndPoint[] servers) => new() { Servers = servers };

    /// <summary>Reads a resolv.conf file: <c>nameserver</c>, <c>search</c>, <c>domain</c> and <c>options ndots:N</c>.</summary>
    public static ResolverConfig Load(string path = DefaultPath) => Parse(File.ReadAllText(path));

    /// <summary>Parses resolv.conf text.</summary>
    public static ResolverConfig Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var servers = new List<IPEndPoint>();
        var search = new List<string>();
        var ndots = 1;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw;
            var comment = line.AsSpan().IndexOfAny('#', ';');
            if (comment >= 0)
            {
                line = line[..comment];
            }
            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                continue;
            }
            switch (fields[0])
            {
                case "nameserver":
                    // A zone suffix (fe80::1%eth0) is kept by IPAddress.TryParse.
                    if (IPAddress.TryParse(fields[1], out var address))
                    {
                        servers.Add(new IPEndPoint(address, 53));
                    }
                    break;
                case "domain":
                    search.Clear();
                    search.Add(fields[1]);
                    break;
                case "search":
                    search.Clear();
                    search.AddRange(fields.AsSpan(1));
                    break;
                case "options":
                    foreach (var option in fields.AsSpan(1))
                    {
                        if (option.StartsWith("ndots:", StringComparison.Ordinal)
                            && int.TryParse(option.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                        {
                            ndots = Math.Clamp(n, 0, 15);
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        return new ResolverConfig { Servers = servers, Search = search, Ndots = ndots };
    }

    /// <summary>
    /// The names to try for <paramref name="name"/>, as Go's <c>ClientConfig.NameList</c>: a fully qualified name alone;
    /// otherwise the name first when it has more labels than <see cref="Ndots"/>, then each search domain, else the name last.
    /// </summary>
    public IReadOnlyList<string> NameList(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.EndsWith('.'))
        {
            return [name];
        }
        var labels = name.Length == 0 ? 0 : name.Split('.').Length;
        var hasNdots = labels > Ndots;
        var fqdn = name + ".";
        var names = new List<string>(Search.Count + 1);
        if (hasNdots)
        {
            names.Add(fqdn);
        }
        foreach (var domain in Search)
        {
            names.Add(DnsMessage.Fqdn(fqdn + domain));
        }
        if (!hasNdots)
        {
            names.Add(fqdn);
        }
        return names;
    }
}
