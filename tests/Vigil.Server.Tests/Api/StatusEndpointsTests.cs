using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Model;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Hosting;
using Vigil.Storage;
using Vigil.Tsdb;

namespace Vigil.Server.Tests.Api;

public sealed class StatusEndpointsTests
{
    [Fact]
    public async Task Buildinfo_has_Prometheus_fields_and_no_features()
    {
        await using var vigil = await TestVigil.StartAsync();
        var data = await vigil.Client.GetDataAsync("/api/v1/status/buildinfo");
        Assert.Equal(["version", "revision", "branch", "buildUser", "buildDate", "goVersion"], data.Names());
        Assert.Equal(BuildInfo.Version, data.GetProperty("version").GetString());
        Assert.Equal(BuildInfo.Revision, data.GetProperty("revision").GetString());
        Assert.StartsWith("dotnet", data.GetProperty("goVersion").GetString());
        Assert.False(data.TryGetProperty("features", out _));
    }

    [Fact]
    public async Task Config_is_the_embedded_default_without_a_file_and_follows_reloads_with_one()
    {
        await using (var vigil = await TestVigil.StartAsync())
        {
            var data = await vigil.Client.GetDataAsync("/api/v1/status/config");
            Assert.Equal(["yaml"], data.Names());
            Assert.Equal("global:\n  scrape_interval: 1m\n  scrape_timeout: 10s\n  evaluation_interval: 1m\n", data.GetProperty("yaml").GetString());
        }

        string configPath = null!;
        await using (var vigil = await TestVigil.StartAsync(v =>
        {
            configPath = Path.Combine(v.Dir, "vigil.yml");
            File.WriteAllText(configPath, "global:\n  scrape_interval: 15s\n");
            return new ServerOptions { DataPath = v.DataPath, ConfigFile = configPath, EnableLifecycle = true };
        }))
        {
            Assert.Equal("global:\n  scrape_interval: 15s\n", (await vigil.Client.GetDataAsync("/api/v1/status/config")).GetProperty("yaml").GetString());
            File.WriteAllText(configPath, "global:\n  scrape_interval: 30s\n");
            Assert.Equal(HttpStatusCode.OK, (await vigil.Client.PostAsync("/-/reload", null)).StatusCode);
            Assert.Equal("global:\n  scrape_interval: 30s\n", (await vigil.Client.GetDataAsync("/api/v1/status/config")).GetProperty("yaml").GetString());
        }
    }

    [Fact]
    public async Task Flags_are_the_serve_flags_by_Prometheus_names_as_strings()
    {
        await using var vigil = await TestVigil.StartAsync(v => new ServerOptions
        {
            DataPath = v.DataPath,
            QueryTimeout = TimeSpan.FromSeconds(30),
            QueryMaxSamples = 1000,
            QueryMaxConcurrency = 3,
            QueryLookbackDelta = TimeSpan.FromMinutes(1),
            EnableAdminApi = true,
        });
        var data = await vigil.Client.GetDataAsync("/api/v1/status/flags");
        var names = data.Names();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal("30s", data.GetProperty("query.timeout").GetString());
        Assert.Equal("1000", data.GetProperty("query.max-samples").GetString());
        Assert.Equal("3", data.GetProperty("query.max-concurrency").GetString());
        Assert.Equal("1m", data.GetProperty("query.lookback-delta").GetString());
        Assert.Equal("true", data.GetProperty("web.enable-admin-api").GetString());
        Assert.Equal("false", data.GetProperty("web.enable-lifecycle").GetString());
        Assert.Equal("15d", data.GetProperty("storage.tsdb.retention.time").GetString());
        Assert.Equal("0B", data.GetProperty("storage.tsdb.retention.size").GetString());
        Assert.Equal(vigil.DataPath, data.GetProperty("storage.tsdb.path").GetString());
        Assert.Equal("", data.GetProperty("config.file").GetString());
        Assert.Equal("info", data.GetProperty("log.level").GetString());
    }

    [Fact]
    public async Task Runtimeinfo_has_Prometheus_fields()
    {
        await using var vigil = await TestVigil.StartAsync();
        var data = await vigil.Client.GetDataAsync("/api/v1/status/runtimeinfo");
        Assert.Equal(["startTime", "CWD", "reloadConfigSuccess", "lastConfigTime", "corruptionCount", "goroutineCount", "GOMAXPROCS", "GOGC", "GODEBUG", "storageRetention"], data.Names());
        Assert.Equal("15d", data.GetProperty("storageRetention").GetString());
        Assert.True(data.GetProperty("reloadConfigSuccess").GetBoolean());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", data.GetProperty("startTime").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", data.GetProperty("lastConfigTime").GetString());
        Assert.Equal(0, data.GetProperty("corruptionCount").GetInt64());
    }

    [Fact]
    public async Task Tsdb_status_of_an_empty_head_matches_Prometheus()
    {
        await using var vigil = await TestVigil.StartAsync();
        var data = await vigil.Client.GetDataAsync("/api/v1/status/tsdb");
        Assert.Equal("""{"headStats":{"numSeries":0,"numLabelPairs":0,"chunkCount":0,"minTime":9223372036854775807,"maxTime":-9223372036854775808},"seriesCountByMetricName":[],"labelValueCountByLabelName":[],"memoryInBytesByLabelName":[],"seriesCountByLabelValuePair":[]}""",
            data.GetRawText());
    }

    [Fact]
    public async Task Tsdb_status_counts_the_head_like_MemPostings_Stats()
    {
        await using var vigil = await TestVigil.StartAsync();
        var db = vigil.App.Services.GetRequiredService<TimeSeriesDb>();
        var app = db.Appender();
        for (var i = 0; i < 12; i++)
        {
            var r = default(SeriesRef);
            app.Append(ref r, Labels.Of("__name__", "http_requests_total", "code", i % 2 == 0 ? "200" : "500", "instance", $"host-{i}"), 1000, i);
        }
        var u = default(SeriesRef);
        app.Append(ref u, Labels.Of("__name__", "up", "instance", "host-0", "zz", "ö"), 2000, 1);
        app.Commit();

        var data = await vigil.Client.GetDataAsync("/api/v1/status/tsdb");
        var head = data.GetProperty("headStats");
        Assert.Equal(13, head.GetProperty("numSeries").GetInt64());
        // __name__: 2 values, code: 2, instance: 12, zz: 1.
        Assert.Equal(17, head.GetProperty("numLabelPairs").GetInt64());
        Assert.Equal(13, head.GetProperty("chunkCount").GetInt64());
        Assert.Equal(1000, head.GetProperty("minTime").GetInt64());
        Assert.Equal(2000, head.GetProperty("maxTime").GetInt64());
        Assert.Equal("""[{"name":"http_requests_total","value":12},{"name":"up","value":1}]""", data.GetProperty("seriesCountByMetricName").GetRawText());
        Assert.Equal("""[{"name":"instance","value":12},{"name":"__name__","value":2},{"name":"code","value":2},{"name":"zz","value":1}]""", data.GetProperty("labelValueCountByLabelName").GetRawText());
        // Bytes of the distinct values: "host-0".."host-9" (6 each) + "host-10", "host-11" (7 each) = 74; "ö" is 2 bytes.
        Assert.Equal("""[{"name":"instance","value":74},{"name":"__name__","value":21},{"name":"code","value":6},{"name":"zz","value":2}]""", data.GetProperty("memoryInBytesByLabelName").GetRawText());
        var pairs = data.GetProperty("seriesCountByLabelValuePair");
        Assert.Equal(10, pairs.GetArrayLength());
        Assert.Equal("""{"name":"__name__=http_requests_total","value":12}""", pairs[0].GetRawText());
        Assert.Equal("""{"name":"code=200","value":6}""", pairs[1].GetRawText());
        Assert.Equal("""{"name":"code=500","value":6}""", pairs[2].GetRawText());
        Assert.Equal("""{"name":"instance=host-0","value":2}""", pairs[3].GetRawText());
    }

    [Fact]
    public async Task Discovery_placeholders_have_Prometheus_empty_shapes()
    {
        await using var vigil = await TestVigil.StartAsync();
        Assert.Equal("{}", (await vigil.Client.GetDataAsync("/api/v1/metadata")).GetRawText());
        Assert.Equal("{}", (await vigil.Client.GetDataAsync("/api/v1/metadata?metric=up&limit=1")).GetRawText());
        Assert.Equal("""{"activeTargets":[],"droppedTargets":[]}""", (await vigil.Client.GetDataAsync("/api/v1/targets")).GetRawText());
        Assert.Equal("""{"activeTargets":[],"droppedTargets":[]}""", (await vigil.Client.GetDataAsync("/api/v1/targets?state=active")).GetRawText());
        Assert.Equal("[]", (await vigil.Client.GetDataAsync("/api/v1/targets/metadata")).GetRawText());
        Assert.Equal("""{"groups":[]}""", (await vigil.Client.GetDataAsync("/api/v1/rules")).GetRawText());
        Assert.Equal("""{"groups":[]}""", (await vigil.Client.GetDataAsync("/api/v1/rules?type=ALERT")).GetRawText());
        Assert.Equal("""{"groups":[]}""", (await vigil.Client.GetDataAsync("/api/v1/rules?type=record")).GetRawText());
        Assert.Equal("""{"alerts":[]}""", (await vigil.Client.GetDataAsync("/api/v1/alerts")).GetRawText());
        Assert.Equal("""{"activeAlertmanagers":[],"droppedAlertmanagers":[]}""", (await vigil.Client.GetDataAsync("/api/v1/alertmanagers")).GetRawText());
    }

    [Fact]
    public async Task Success_envelope_is_compact_json_with_status_first()
    {
        await using var vigil = await TestVigil.StartAsync();
        var response = await vigil.Client.GetAsync("/api/v1/alerts");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("""{"status":"success","data":{"alerts":[]}}""", await response.Content.ReadAsStringAsync());
        var error = await vigil.Client.GetAsync("/api/v1/series");
        Assert.Equal("""{"status":"error","errorType":"bad_data","error":"no match[] parameter provided"}""", await error.Content.ReadAsStringAsync());
    }
}
