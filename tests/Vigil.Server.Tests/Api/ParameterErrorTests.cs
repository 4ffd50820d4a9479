using System.Net;
using Vigil.Server.Tests.Hosting;

namespace Vigil.Server.Tests.Api;

/// <summary>
/// Parameter checks that answer before any PromQL runs: status code, errorType and message exactly as
/// Prometheus 2.42 answered the same requests (observed on the real server).
/// </summary>
public sealed class ParameterErrorTests : IAsyncLifetime
{
    private TestVigil _vigil = null!;

    public async Task InitializeAsync() => _vigil = await TestVigil.StartAsync();

    public async Task DisposeAsync() => await _vigil.DisposeAsync();

    [Theory]
    [InlineData("/api/v1/query?query=up&time=abc", "invalid parameter \"time\": Invalid time value for 'time': cannot parse \"abc\" to a valid timestamp")]
    [InlineData("/api/v1/query?query=up&time=2015-07-01", "invalid parameter \"time\": Invalid time value for 'time': cannot parse \"2015-07-01\" to a valid timestamp")]
    [InlineData("/api/v1/query?query=up&time=%20100", "invalid parameter \"time\": Invalid time value for 'time': cannot parse \" 100\" to a valid timestamp")]
    [InlineData("/api/v1/query?query=up&timeout=abc", "invalid parameter \"timeout\": cannot parse \"abc\" to a valid duration")]
    [InlineData("/api/v1/query?query=1&time=1&timeout=1ns", "invalid parameter \"timeout\": cannot parse \"1ns\" to a valid duration")]
    [InlineData("/api/v1/query_range?query=vector(1)&start=2&end=0&step=1", "invalid parameter \"end\": end timestamp must not be before start time")]
    [InlineData("/api/v1/query_range?query=vector(1)&start=0&end=2&step=0", "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer")]
    [InlineData("/api/v1/query_range?query=vector(1)&start=0&end=2&step=-1", "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer")]
    [InlineData("/api/v1/query_range?query=1&start=0&end=1&step=NaN", "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer")]
    [InlineData("/api/v1/query_range?query=vector(1)&start=0&end=11001&step=1", "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")]
    [InlineData("/api/v1/query_range?query=vector(1)&start=0&end=2", "invalid parameter \"step\": cannot parse \"\" to a valid duration")]
    [InlineData("/api/v1/query_range?query=vector(1)&start=0&step=1", "invalid parameter \"end\": cannot parse \"\" to a valid timestamp")]
    [InlineData("/api/v1/query_range?query=vector(1)&end=2&step=1", "invalid parameter \"start\": cannot parse \"\" to a valid timestamp")]
    [InlineData("/api/v1/query_range?query=vector(1)&start=x&end=2&step=1", "invalid parameter \"start\": cannot parse \"x\" to a valid timestamp")]
    [InlineData("/api/v1/query_range?query=vector(1)&start=0&end=x&step=1", "invalid parameter \"end\": cannot parse \"x\" to a valid timestamp")]
    [InlineData("/api/v1/query_range?query=vector(1)&start=0&end=2&step=x", "invalid parameter \"step\": cannot parse \"x\" to a valid duration")]
    [InlineData("/api/v1/query_range?query=vector(1)&start=0&end=2&step=1e30", "invalid parameter \"step\": cannot parse \"1e30\" to a valid duration. It overflows int64")]
    [InlineData("/api/v1/query_range?query=1&start=0&end=1&step=1H", "invalid parameter \"step\": cannot parse \"1H\" to a valid duration")]
    [InlineData("/api/v1/query_range?query=vector(1)&start=0&end=2&step=1&timeout=x", "invalid parameter \"timeout\": cannot parse \"x\" to a valid duration")]
    [InlineData("/api/v1/series", "no match[] parameter provided")]
    [InlineData("/api/v1/series?match[]=up&start=x", "invalid parameter \"start\": Invalid time value for 'start': cannot parse \"x\" to a valid timestamp")]
    [InlineData("/api/v1/series?match[]=up&end=x", "invalid parameter \"end\": Invalid time value for 'end': cannot parse \"x\" to a valid timestamp")]
    [InlineData("/api/v1/labels?start=x", "invalid parameter \"start\": Invalid time value for 'start': cannot parse \"x\" to a valid timestamp")]
    [InlineData("/api/v1/label/job/values?start=y", "invalid parameter \"start\": Invalid time value for 'start': cannot parse \"y\" to a valid timestamp")]
    [InlineData("/api/v1/label/bad-name/values", "invalid label name: \"bad-name\"")]
    [InlineData("/api/v1/metadata?limit=x", "limit must be a number")]
    [InlineData("/api/v1/targets/metadata?limit=x", "limit must be a number")]
    [InlineData("/api/v1/rules?type=x", "invalid parameter \"type\": not supported value \"x\"")]
    [InlineData("/api/v1/query_exemplars?query=up&start=x", "invalid parameter \"start\": Invalid time value for 'start': cannot parse \"x\" to a valid timestamp")]
    [InlineData("/api/v1/query_exemplars?query=up&end=1&start=2", "end timestamp must not be before start timestamp")]
    public async Task Bad_parameters_answer_400_bad_data_with_Prometheus_message(string url, string error)
        => await _vigil.Client.AssertErrorAsync(url, HttpStatusCode.BadRequest, "bad_data", error);

    [Fact]
    public async Task Form_posts_are_read_like_Go_FormValue()
    {
        var response = await _vigil.Client.PostFormAsync("/api/v1/query_range", ("query", "vector(1)"), ("start", "x"), ("end", "2"), ("step", "1"));
        ApiTestClient.AssertError(response, HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"start\": cannot parse \"x\" to a valid timestamp");
        // The body's value wins over the URL's.
        response = await _vigil.Client.PostFormAsync("/api/v1/query?time=1", ("time", "bad"));
        ApiTestClient.AssertError(response, HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"time\": Invalid time value for 'time': cannot parse \"bad\" to a valid timestamp");
        response = await _vigil.Client.PostFormAsync("/api/v1/series");
        ApiTestClient.AssertError(response, HttpStatusCode.BadRequest, "bad_data", "no match[] parameter provided");
    }

    [Theory]
    [InlineData("PUT", "/api/v1/query")]
    [InlineData("POST", "/api/v1/status/buildinfo")]
    [InlineData("POST", "/api/v1/rules")]
    [InlineData("GET", "/api/v1/admin/tsdb/snapshot")]
    [InlineData("GET", "/api/v1/admin/tsdb/delete_series")]
    public async Task Wrong_methods_answer_405(string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _vigil.Client.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/v1/admin/tsdb/delete_series?match[]=up")]
    [InlineData("PUT", "/api/v1/admin/tsdb/delete_series")]
    [InlineData("POST", "/api/v1/admin/tsdb/snapshot")]
    [InlineData("PUT", "/api/v1/admin/tsdb/snapshot")]
    public async Task Admin_endpoints_are_unavailable_unless_enabled(string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        var response = await ApiTestClient.ReadAsync(await _vigil.Client.SendAsync(request));
        ApiTestClient.AssertError(response, HttpStatusCode.InternalServerError, "unavailable", "admin APIs disabled");
    }

    [Fact]
    public async Task Cors_headers_and_preflight_answer_like_Prometheus_default_origin()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/query");
        preflight.Headers.Add("Origin", "http://x.example");
        var response = await _vigil.Client.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("GET, POST, OPTIONS", response.Headers.GetValues("Access-Control-Allow-Methods").Single());

        using var get = new HttpRequestMessage(HttpMethod.Get, "/api/v1/alerts");
        get.Headers.Add("Origin", "http://x.example");
        response = await _vigil.Client.SendAsync(get);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("Date", response.Headers.GetValues("Access-Control-Expose-Headers").Single());

        response = await _vigil.Client.GetAsync("/api/v1/alerts");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Unknown_api_paths_are_404()
        => Assert.Equal(HttpStatusCode.NotFound, (await _vigil.Client.GetAsync("/api/v1/nonexistent")).StatusCode);
}
