using System.Net;
using Vigil.Model;
using Vigil.Scrape.Discovery;
using Vigil.Testing;

namespace Vigil.Scrape.Tests.Discovery;

public sealed class HttpDiscovererTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task Polls_the_url_and_keeps_the_last_good_targets_when_it_fails()
    {
        var status = 200;
        var contentType = "application/json; charset=utf-8";
        var body = """[{"targets": ["a:1", "b:1"], "labels": {"env": "prod"}}, {"targets": ["c:1"]}]""";
        string? refreshHeader = null;
        await using var server = new LoopbackHttpServer(async (context, _) =>
        {
            refreshHeader = context.Request.Headers["X-Prometheus-Refresh-Interval-Seconds"];
            await LoopbackHttpServer.WriteAsync(context, status, contentType, body);
        });
        var url = new Uri(server.BaseUri, "sd");
        using var client = new HttpClient();
        var discoverer = new HttpDiscoverer(new HttpSdOptions(url) { RefreshInterval = TimeSpan.FromSeconds(30) }, client, _clock);
        await using var probe = new DiscoveryProbe(discoverer);
        void Tick() => _clock.Advance(TimeSpan.FromSeconds(30));

        var groups = await probe.WaitAsync(g => g.Count == 2);
        var first = groups[url.OriginalString + ":0"];
        Assert.Equal(Labels.Of("__meta_url", url.OriginalString, "env", "prod"), first.Labels);
        Assert.Equal(["a:1", "b:1"], first.Targets.Select(t => t.Get("__address__")));
        Assert.Equal("30", refreshHeader);

        status = 503;
        await probe.WaitAsync(_ => discoverer.LastError is not null, Tick, "the 503");
        Assert.Equal("server returned HTTP status 503 Service Unavailable", discoverer.LastError);
        Assert.Equal(2, probe.Groups.Count);

        status = 200;
        contentType = "text/plain";
        await probe.WaitAsync(_ => discoverer.LastError?.StartsWith("unsupported") == true, Tick, "the content type error");
        Assert.Equal("unsupported content type \"text/plain\"", discoverer.LastError);

        contentType = "application/json";
        body = """[{"targets": ["a:2"]}]""";
        groups = await probe.WaitAsync(g => g.Count == 1, Tick, "the vanished group to be removed");
        Assert.Equal("a:2", groups[url.OriginalString + ":0"].Targets[0].Get("__address__"));
        Assert.Null(discoverer.LastError);

        body = "[null]";
        await probe.WaitAsync(_ => discoverer.LastError is not null, Tick, "the nil group error");
        Assert.Equal("nil target group item found (index 0)", discoverer.LastError);
        Assert.Single(probe.Groups);
    }
}
