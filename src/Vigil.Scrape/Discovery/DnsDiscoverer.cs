using System.Globalization;
using Vigil.Model;
using Vigil.Scrape.Discovery.Dns;

namespace Vigil.Scrape.Discovery;

/// <summary>
/// <c>dns_sd_configs</c>, as Prometheus 2.42's <c>discovery/dns</c>: queries every name each refresh interval; one group
/// per name (source: the name) with a target per answer record: SRV → <c>target:port</c> (trailing dot removed),
/// MX → <c>exchange:port</c>, A/AAAA → <c>address:port</c>; CNAMEs are skipped. Labels: <c>__meta_dns_name</c>,
/// <c>__meta_dns_srv_record_target</c>, <c>__meta_dns_srv_record_port</c>, <c>__meta_dns_mx_record_target</c>
/// (record targets keep their trailing dot). A name that cannot be resolved keeps its previous targets; a name every
/// server calls NXDOMAIN loses them.
/// </summary>
public sealed class DnsDiscoverer : RefreshingDiscoverer
{
    /// <summary>The queried name.</summary>
    public const string NameLabel = "__meta_dns_name";

    /// <summary>The target of an SRV record, as in the record.</summary>
    public const string SrvRecordTargetLabel = "__meta_dns_srv_record_target";

    /// <summary>The port of an SRV record.</summary>
    public const string SrvRecordPortLabel = "__meta_dns_srv_record_port";

    /// <summary>The exchange of an MX record, as in the record.</summary>
    public const string MxRecordTargetLabel = "__meta_dns_mx_record_target";

    private readonly DnsSdOptions _options;
    private readonly DnsClient? _client;

    /// <summary>Creates the discoverer; <paramref name="client"/> defaults to one reading <c>/etc/resolv.conf</c> at each refresh.</summary>
    public DnsDiscoverer(DnsSdOptions options, DnsClient? client = null, TimeProvider? timeProvider = null)
        : base(options?.RefreshInterval ?? TimeSpan.Zero, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Type is not (DnsRecordType.Srv or DnsRecordType.A or DnsRecordType.Aaaa or DnsRecordType.Mx))
        {
            throw new ArgumentException($"invalid DNS-SD records type {options.Type}", nameof(options));
        }
        if (options.Names.Count == 0)
        {
            throw new ArgumentException("DNS-SD config must contain at least one SRV record name", nameof(options));
        }
        _options = options;
        _client = client;
    }

    /// <inheritdoc/>
    protected override async Task<(IReadOnlyList<TargetGroup> Groups, string? Error)> RefreshAsync(CancellationToken cancellationToken)
    {
        // Prometheus re-reads resolv.conf on every lookup.
        var client = _client ?? new DnsClient(ResolverConfig.Load());
        var lookups = new Task<DnsMessage>[_options.Names.Count];
        for (var i = 0; i < lookups.Length; i++)
        {
            lookups[i] = client.LookupAsync(_options.Names[i], _options.Type, cancellationToken);
        }
        try
        {
            await Task.WhenAll(lookups).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Each failure is read below; the names that worked still send their groups.
        }
        var groups = new List<TargetGroup>(lookups.Length);
        List<string>? errors = null;
        for (var i = 0; i < lookups.Length; i++)
        {
            var name = _options.Names[i];
            if (!lookups[i].IsCompletedSuccessfully)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var e = lookups[i].Exception?.InnerException;
                (errors ??= []).Add($"Error refreshing DNS targets: {e?.Message ?? "cancelled"}");
                continue;
            }
            groups.Add(BuildGroup(name, lookups[i].Result));
        }
        return (groups, errors is null ? null : string.Join("; ", errors));
    }

    private TargetGroup BuildGroup(string name, DnsMessage response)
    {
        var targets = new List<Labels>(response.Answers.Count);
        foreach (var record in response.Answers)
        {
            string address;
            string? srvTarget = null, srvPort = null, mxTarget = null;
            switch (record.Type)
            {
                case DnsRecordType.Srv:
                    srvTarget = record.Target!;
                    srvPort = record.Port.ToString(CultureInfo.InvariantCulture);
                    // Remove the final dot from rooted names to make them look more usual.
                    address = HostPort(record.Target!.TrimEnd('.'), record.Port);
                    break;
                case DnsRecordType.Mx:
                    mxTarget = record.Target!;
                    address = HostPort(record.Target!.TrimEnd('.'), _options.Port);
                    break;
                case DnsRecordType.A or DnsRecordType.Aaaa:
                    address = HostPort(record.Address!.ToString(), _options.Port);
                    break;
                default:
                    // CNAMEs come with A answers; anything else Prometheus logs as an invalid record and skips.
                    continue;
            }
            var builder = new LabelsBuilder()
                .Set(TargetGroup.AddressLabel, address)
                .Set(NameLabel, name);
            if (srvTarget is not null)
            {
                builder.Set(SrvRecordTargetLabel, srvTarget).Set(SrvRecordPortLabel, srvPort!);
            }
            if (mxTarget is not null)
            {
                builder.Set(MxRecordTargetLabel, mxTarget);
            }
            targets.Add(builder.ToLabels());
        }
        return new TargetGroup(name, targets);
    }

    /// <summary>Go's <c>net.JoinHostPort</c>: brackets around a host containing a colon.</summary>
    internal static string HostPort(string host, int port)
        => host.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{host}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");

    /// <summary>Parses a record type name as the config spells it (<c>SRV</c>, <c>A</c>, <c>AAAA</c>, <c>MX</c>).</summary>
    public static DnsRecordType ParseType(string type) => type switch
    {
        "SRV" => DnsRecordType.Srv,
        "A" => DnsRecordType.A,
        "AAAA" => DnsRecordType.Aaaa,
        "MX" => DnsRecordType.Mx,
        _ => throw new ArgumentException($"invalid DNS-SD records type {type}", nameof(type)),
    };

}
