using System.Net;
using Vigil.Model;
using Vigil.Scrape.Discovery;
using Vigil.Scrape.Discovery.Dns;
using Vigil.Testing;

namespace Vigil.Scrape.Tests.Discovery;

public sealed class DnsDiscovererTests
{
    private readonly ManualClock _clock = new();

    private static FakeRecord Srv(string target, ushort port) => new(33, Target: target, Port: port, Priority: 10, Weight: 5);

    [Fact]
    public async Task Srv_records_become_targets_with_the_record_labels()
    {
        await using var dns = new FakeDnsServer();
        dns.Zone["_metrics._tcp.example.org."] = [Srv("node1.example.org.", 9100), Srv("node2.example.org.", 9101)];
        var client = new DnsClient(ResolverConfig.ForServers(dns.EndPoint));
        await using var probe = new DiscoveryProbe(new DnsDiscoverer(new DnsSdOptions(["_metrics._tcp.example.org"]), client, _clock));

        var groups = await probe.WaitAsync(g => g.Count == 1);

        var group = groups["_metrics._tcp.example.org"];
        Assert.Equal(
        [
            Labels.Of("__address__", "node1.example.org:9100", "__meta_dns_name", "_metrics._tcp.example.org",
                "__meta_dns_srv_record_target", "node1.example.org.", "__meta_dns_srv_record_port", "9100"),
            Labels.Of("__address__", "node2.example.org:9101", "__meta_dns_name", "_metrics._tcp.example.org",
                "__meta_dns_srv_record_target", "node2.example.org.", "__meta_dns_srv_record_port", "9101"),
        ], group.Targets);
        Assert.Equal([("_metrics._tcp.example.org.", (ushort)33, false)], dns.Queries);
    }

    [Fact]
    public async Task A_aaaa_and_mx_targets_get_the_configured_port_and_cnames_are_skipped()
    {
        await using var dns = new FakeDnsServer();
        dns.Zone["web.example.org."] = [new FakeRecord(5, Target: "real.example.org."), new FakeRecord(1, Address: "10.1.2.3"), new FakeRecord(1, Address: "10.1.2.4")];
        dns.Zone["v6.example.org."] = [new FakeRecord(28, Address: "2001:db8::1")];
        dns.Zone["example.org."] = [new FakeRecord(15, Target: "mail.example.org.", Priority: 10)];
        var client = new DnsClient(ResolverConfig.ForServers(dns.EndPoint));

        await using var a = new DiscoveryProbe(new DnsDiscoverer(new DnsSdOptions(["web.example.org"]) { Type = DnsRecordType.A, Port = 80 }, client, _clock));
        await using var aaaa = new DiscoveryProbe(new DnsDiscoverer(new DnsSdOptions(["v6.example.org"]) { Type = DnsRecordType.Aaaa, Port = 9100 }, client, _clock));
        await using var mx = new DiscoveryProbe(new DnsDiscoverer(new DnsSdOptions(["example.org"]) { Type = DnsRecordType.Mx, Port = 25 }, client, _clock));

        var groups = await a.WaitAsync(g => g.Count == 1);
        Assert.Equal(["10.1.2.3:80", "10.1.2.4:80"], groups["web.example.org"].Targets.Select(t => t.Get("__address__")));
        Assert.Equal(Labels.Of("__address__", "10.1.2.3:80", "__meta_dns_name", "web.example.org"), groups["web.example.org"].Targets[0]);
        groups = await aaaa.WaitAsync(g => g.Count == 1);
        Assert.Equal("[2001:db8::1]:9100", groups["v6.example.org"].Targets.Single().Get("__address__"));
        groups = await mx.WaitAsync(g => g.Count == 1);
        Assert.Equal(Labels.Of("__address__", "mail.example.org:25", "__meta_dns_name", "example.org", "__meta_dns_mx_record_target", "mail.example.org."),
            groups["example.org"].Targets.Single());
    }

    [Fact]
    public async Task Nxdomain_removes_the_targets_but_a_failing_server_keeps_them()
    {
        await using var dns = new FakeDnsServer();
        dns.Zone["_x._tcp.svc."] = [Srv("a.svc.", 1)];
        var client = new DnsClient(ResolverConfig.ForServers(dns.EndPoint));
        var discoverer = new DnsDiscoverer(new DnsSdOptions(["_x._tcp.svc"]) { RefreshInterval = TimeSpan.FromSeconds(30) }, client, _clock);
        await using var probe = new DiscoveryProbe(discoverer);
        void Tick() => _clock.Advance(TimeSpan.FromSeconds(30));
        await probe.WaitAsync(g => g.Count == 1);

        dns.Failing.Add("_x._tcp.svc.");
        await probe.WaitAsync(_ => discoverer.LastError is not null, Tick, "the SERVFAIL");
        Assert.Equal("Error refreshing DNS targets: could not resolve \"_x._tcp.svc\": all servers responded with errors to at least one search domain", discoverer.LastError);
        Assert.Single(probe.Groups);

        dns.Failing.Clear();
        dns.Zone.Clear();
        await probe.WaitAsync(g => g.Count == 0, Tick, "NXDOMAIN to remove the targets");
        Assert.Null(discoverer.LastError);
    }

    [Fact]
    public async Task Tries_servers_in_order_and_search_domains_by_ndots()
    {
        await using var dns = new FakeDnsServer();
        dns.Zone["web.prod.local."] = [new FakeRecord(1, Address: "10.0.0.9")];
        // A closed port first: the client moves on to the next server.
        var dead = new IPEndPoint(IPAddress.Loopback, FreePort.Next());
        var config = new ResolverConfig { Servers = [dead, dns.EndPoint], Search = ["prod.local", "local"], Timeout = TimeSpan.FromSeconds(5) };
        var client = new DnsClient(config);

        var response = await client.LookupAsync("web", DnsRecordType.A, CancellationToken.None);

        Assert.Equal(IPAddress.Parse("10.0.0.9"), response.Answers.Single().Address);
        Assert.Equal(["web.prod.local."], dns.Queries.Select(q => q.Name));
        Assert.Equal(["web.prod.local.", "web.local.", "web."], config.NameList("web"));
        Assert.Equal(["a.b.", "a.b.prod.local.", "a.b.local."], config.NameList("a.b"));
        Assert.Equal(["a.b."], config.NameList("a.b."));
    }

    [Fact]
    public async Task A_truncated_udp_answer_is_asked_again_over_tcp()
    {
        await using var dns = new FakeDnsServer();
        dns.Zone["big.example."] = [Srv("t.example.", 80)];
        dns.TruncateOverUdp.Add("big.example.");
        var client = new DnsClient(ResolverConfig.ForServers(dns.EndPoint));

        var response = await client.LookupAsync("big.example.", DnsRecordType.Srv, CancellationToken.None);

        Assert.Equal("t.example.", response.Answers.Single().Target);
        Assert.Equal([false, true], dns.Queries.Select(q => q.Tcp));
    }

    [Fact]
    public void Reads_resolv_conf()
    {
        var config = ResolverConfig.Parse("""
            # comment
            nameserver 10.0.0.10
            nameserver 2001:db8::53
            search default.svc.cluster.local svc.cluster.local cluster.local
            options ndots:5 timeout:1
            """);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.10"), 53), new IPEndPoint(IPAddress.Parse("2001:db8::53"), 53)], config.Servers);
        Assert.Equal(["default.svc.cluster.local", "svc.cluster.local", "cluster.local"], config.Search);
        Assert.Equal(5, config.Ndots);
    }

    [Fact]
    public void Rejects_compression_loops_and_short_messages()
    {
        byte[] loop = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];
        Assert.Throws<FormatException>(() => DnsMessage.Read(loop));
        Assert.Throws<FormatException>(() => DnsMessage.Read(new byte[5]));
        byte[] overflow = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 5, (byte)'a'];
        Assert.Throws<FormatException>(() => DnsMessage.Read(overflow));
    }

    [Fact]
    public void Query_round_trips_through_the_reader()
    {
        var query = DnsMessage.WriteQuery(0x1234, "_prometheus._tcp.example.com", DnsRecordType.Srv, edns: true);
        var read = DnsMessage.Read(query);
        Assert.Equal(0x1234, read.Id);
        Assert.False(read.IsResponse);
        Assert.Equal("_prometheus._tcp.example.com.", read.QuestionName);
        Assert.Equal(DnsRecordType.Srv, read.QuestionType);
    }
}
