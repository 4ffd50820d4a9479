using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Hosting;
using Vigil.Tsdb;

namespace Vigil.Server.Tests.Api;

public sealed class AdminEndpointsTests
{
    private static Task<TestVigil> StartAdminAsync() => TestVigil.StartAsync(v => new ServerOptions { DataPath = v.DataPath, EnableAdminApi = true });

    [Fact]
    public async Task Snapshot_writes_into_snapshots_and_answers_its_name()
    {
        await using var vigil = await StartAdminAsync();
        var (status, body) = await ApiTestClient.ReadAsync(await vigil.Client.PostAsync("/api/v1/admin/tsdb/snapshot", null));
        Assert.Equal(HttpStatusCode.OK, status);
        var name = body.GetProperty("data").GetProperty("name").GetString()!;
        Assert.Matches(@"^\d{8}T\d{6}Z-[0-9a-f]{16}$", name);
        Assert.True(Directory.Exists(Path.Combine(vigil.DataPath, "snapshots", name)));

        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/admin/tsdb/snapshot?skip_head=true");
        Assert.Equal(HttpStatusCode.OK, (await vigil.Client.SendAsync(put)).StatusCode);
    }

    [Fact]
    public async Task Snapshot_rejects_a_bad_skip_head_like_strconv_ParseBool()
    {
        await using var vigil = await StartAdminAsync();
        var response = await ApiTestClient.ReadAsync(await vigil.Client.PostAsync("/api/v1/admin/tsdb/snapshot?skip_head=x", null));
        ApiTestClient.AssertError(response, HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"skip_head\": unable to parse boolean: strconv.ParseBool: parsing \"x\": invalid syntax");
    }

    [Theory]
    [InlineData("/api/v1/admin/tsdb/delete_series", "no match[] parameter provided")]
    [InlineData("/api/v1/admin/tsdb/delete_series?match[]=up&start=x", "invalid parameter \"start\": Invalid time value for 'start': cannot parse \"x\" to a valid timestamp")]
    [InlineData("/api/v1/admin/tsdb/delete_series?match[]=up&end=x", "invalid parameter \"end\": Invalid time value for 'end': cannot parse \"x\" to a valid timestamp")]
    public async Task Delete_series_checks_its_parameters(string url, string error)
    {
        await using var vigil = await StartAdminAsync();
        var response = await ApiTestClient.ReadAsync(await vigil.Client.PostAsync(url, null));
        ApiTestClient.AssertError(response, HttpStatusCode.BadRequest, "bad_data", error);
    }

    [Fact]
    public async Task Delete_series_tombstones_the_selected_samples_and_answers_204()
    {
        await using var vigil = await StartAdminAsync();
        var db = vigil.App.Services.GetRequiredService<TimeSeriesDb>();
        ApiTestData.AppendUpAndRequests(db);

        var response = await vigil.Client.PostAsync("/api/v1/admin/tsdb/delete_series?match[]=up{job=\"node\"}&end=1060", null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());

        using var q = db.Querier(0, long.MaxValue);
        var set = q.Select(true, [Vigil.Model.LabelMatcher.Create(Vigil.Model.LabelMatchType.Equal, "job", "node")]);
        Assert.True(set.Next());
        var it = set.At().Iterator();
        Assert.True(it.Next());
        Assert.Equal(1_120_000, it.At().TimestampMs); // the sample at 1000 s is gone, the one at 1120 s stays
        Assert.False(it.Next());
    }

    [Fact]
    public async Task Delete_series_with_only_empty_matching_matchers_deletes_everything_like_Prometheus()
    {
        await using var vigil = await StartAdminAsync();
        var db = vigil.App.Services.GetRequiredService<TimeSeriesDb>();
        ApiTestData.AppendUpAndRequests(db);
        Assert.Equal(HttpStatusCode.NoContent, (await vigil.Client.PostAsync("/api/v1/admin/tsdb/delete_series?match[]={a=\"\"}", null)).StatusCode);
        using var q = db.Querier(0, long.MaxValue);
        var set = q.Select(true, [Vigil.Model.LabelMatcher.Create(Vigil.Model.LabelMatchType.Regex, "__name__", ".+")]);
        while (set.Next())
        {
            Assert.False(set.At().Iterator().Next(), $"{set.At().Labels} still has samples");
        }
    }
}
