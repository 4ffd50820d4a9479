using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Tests.Hosting;
using Vigil.Tsdb;

namespace Vigil.Server.Tests.Api;

/// <summary>
/// Queries, series and labels end to end through the engine and parser, on <see cref="ApiTestData"/>. Expected
/// bodies are what Prometheus 2.42 answered for the same requests on the same data.
/// </summary>
public sealed class QueryEndpointsTests : IAsyncLifetime
{
    private TestVigil _vigil = null!;

    public async Task InitializeAsync()
    {
        _vigil = await TestVigil.StartAsync();
        ApiTestData.AppendUpAndRequests(_vigil.App.Services.GetRequiredService<TimeSeriesDb>());
    }

    public async Task DisposeAsync() => await _vigil.DisposeAsync();

    private async Task<string> BodyAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await _vigil.Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{url}: {response.StatusCode} {body}");
        return body;
    }

    [Theory]
    [InlineData("/api/v1/query?query=1%2B1&time=100", """{"status":"success","data":{"resultType":"scalar","result":[100,"2"]}}""")]
    [InlineData("/api/v1/query?query=vector(1)&time=100.5", """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[100.500,"1"]}]}}""")]
    [InlineData("/api/v1/query?query=scalar(vector(1))&time=100.5", """{"status":"success","data":{"resultType":"scalar","result":[100.5,"1"]}}""")]
    [InlineData("/api/v1/query?query=%22abc%22&time=1", """{"status":"success","data":{"resultType":"string","result":[1,"abc"]}}""")]
    [InlineData("/api/v1/query?query=0/0&time=100", """{"status":"success","data":{"resultType":"scalar","result":[100,"NaN"]}}""")]
    [InlineData("/api/v1/query?query=-1/0&time=100", """{"status":"success","data":{"resultType":"scalar","result":[100,"-Inf"]}}""")]
    [InlineData("/api/v1/query?query=0.1%2B0.2&time=100", """{"status":"success","data":{"resultType":"scalar","result":[100,"0.30000000000000004"]}}""")]
    [InlineData("/api/v1/query?query=1e21&time=100", """{"status":"success","data":{"resultType":"scalar","result":[100,"1000000000000000000000"]}}""")]
    [InlineData("/api/v1/query?query=vector(1)&time=2015-07-01T20:10:51.781%2B02:00", """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1435774251.781,"1"]}]}}""")]
    [InlineData("/api/v1/query_range?query=1&start=0&end=2&step=0.5", """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[0,"1"],[0.500,"1"],[1,"1"],[1.500,"1"],[2,"1"]]}]}}""")]
    [InlineData("/api/v1/query_range?query=vector(1)&start=0&end=2&step=1s", """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[0,"1"],[1,"1"],[2,"1"]]}]}}""")]
    [InlineData("/api/v1/query?query=up&time=1120", """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"a:1","job":"api"},"value":[1120,"1"]},{"metric":{"__name__":"up","instance":"n:9100","job":"node","zz":"ö"},"value":[1120,"1"]}]}}""")]
    [InlineData("/api/v1/query?query=up[2m]&time=1120", """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","instance":"a:1","job":"api"},"values":[[1000,"1"],[1060,"1"],[1120,"1"]]},{"metric":{"__name__":"up","instance":"n:9100","job":"node","zz":"ö"},"values":[[1000,"0"],[1120,"1"]]}]}}""")]
    [InlineData("/api/v1/query_range?query=up&start=1000&end=1120&step=60", """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","instance":"a:1","job":"api"},"values":[[1000,"1"],[1060,"1"],[1120,"1"]]},{"metric":{"__name__":"up","instance":"n:9100","job":"node","zz":"ö"},"values":[[1000,"0"],[1060,"0"],[1120,"1"]]}]}}""")]
    [InlineData("/api/v1/query?query=rate(http_requests_total[2m])&time=1120", """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"code":"200","instance":"a:1","job":"api"},"value":[1120,"0.06666666666666667"]},{"metric":{"code":"500","instance":"b:1","job":"api"},"value":[1120,"0.016666666666666666"]}]}}""")]
    public async Task Query_results_match_Prometheus_byte_for_byte(string url, string expected)
        => Assert.Equal(expected, await BodyAsync(url));

    [Fact]
    public async Task Query_defaults_time_to_now()
    {
        var data = await _vigil.Client.GetDataAsync("/api/v1/query?query=time()");
        var result = data.GetProperty("result");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        Assert.InRange(result[0].GetDouble(), now - 60, now + 1);
    }

    [Fact]
    public async Task Query_accepts_form_posts()
    {
        var (status, body) = await _vigil.Client.PostFormAsync("/api/v1/query", ("query", "1+1"), ("time", "5"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"resultType":"scalar","result":[5,"2"]}""", body.GetProperty("data").GetRawText());
        (status, body) = await _vigil.Client.PostFormAsync("/api/v1/query_range", ("query", "vector(2)"), ("start", "0"), ("end", "1"), ("step", "1"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"resultType":"matrix","result":[{"metric":{},"values":[[0,"2"],[1,"2"]]}]}""", body.GetProperty("data").GetRawText());
    }

    [Theory]
    [InlineData("/api/v1/query?query=1%2B&time=1", HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"query\": 1:3: parse error: unexpected end of input")]
    [InlineData("/api/v1/query", HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"query\": 1:1: parse error: no expression found in input")]
    [InlineData("/api/v1/query_range?query=1%2B&start=0&end=2&step=1", HttpStatusCode.BadRequest, "bad_data", "1:3: parse error: unexpected end of input")]
    [InlineData("/api/v1/query_range?start=0&end=2&step=1", HttpStatusCode.BadRequest, "bad_data", "1:1: parse error: no expression found in input")]
    [InlineData("/api/v1/query_range?query=up[5m]&start=0&end=2&step=1", HttpStatusCode.BadRequest, "bad_data", "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector")]
    [InlineData("/api/v1/query_range?query=%22a%22&start=0&end=2&step=1", HttpStatusCode.BadRequest, "bad_data", "invalid expression type \"string\" for range query, must be Scalar or instant Vector")]
    [InlineData("/api/v1/query_range?query=1&start=0&end=0&step=0.0001", HttpStatusCode.UnprocessableEntity, "execution", "unexpected error: runtime error: integer divide by zero")]
    [InlineData("/api/v1/query?query=1&time=1&timeout=0", HttpStatusCode.ServiceUnavailable, "timeout", "query timed out in query queue")]
    [InlineData("/api/v1/series?match[]=up{", HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"match[]\": 1:4: parse error: unexpected end of input inside braces")]
    [InlineData("/api/v1/series?match[]=up&match[]=bad{", HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"match[]\": 1:5: parse error: unexpected end of input inside braces")]
    [InlineData("/api/v1/series?match[]={a=%22%22}", HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"match[]\": match[] must contain at least one non-empty matcher")]
    [InlineData("/api/v1/labels?match[]=up{", HttpStatusCode.BadRequest, "bad_data", "1:4: parse error: unexpected end of input inside braces")]
    [InlineData("/api/v1/label/job/values?match[]=up{", HttpStatusCode.BadRequest, "bad_data", "1:4: parse error: unexpected end of input inside braces")]
    [InlineData("/api/v1/targets/metadata?match_target=x{", HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"match_target\": 1:3: parse error: unexpected end of input inside braces")]
    [InlineData("/api/v1/format_query?query=1%2B", HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"query\": 1:3: parse error: unexpected end of input")]
    [InlineData("/api/v1/format_query", HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"query\": 1:1: parse error: no expression found in input")]
    [InlineData("/api/v1/query_exemplars?query=up{", HttpStatusCode.BadRequest, "bad_data", "1:4: parse error: unexpected end of input inside braces")]
    [InlineData("/api/v1/query_exemplars", HttpStatusCode.BadRequest, "bad_data", "1:1: parse error: no expression found in input")]
    public async Task Query_errors_match_Prometheus(string url, HttpStatusCode status, string errorType, string error)
        => await _vigil.Client.AssertErrorAsync(url, status, errorType, error);

    [Fact]
    public async Task Execution_errors_are_422()
    {
        var (status, body) = await _vigil.Client.GetJsonAsync("/api/v1/query?query=http_requests_total%2Bon()up&time=1120");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("execution", body.GetProperty("errorType").GetString());
        Assert.Contains("many-to-many matching not allowed", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Series_lists_label_sets_merged_over_selectors_within_the_range()
    {
        Assert.Equal("""[{"__name__":"up","instance":"a:1","job":"api"},{"__name__":"up","instance":"n:9100","job":"node","zz":"ö"}]""",
            (await _vigil.Client.GetDataAsync("/api/v1/series?match[]=up")).GetRawText());
        Assert.Equal("""[{"__name__":"http_requests_total","code":"200","instance":"a:1","job":"api"},{"__name__":"up","instance":"a:1","job":"api"},{"__name__":"up","instance":"n:9100","job":"node","zz":"ö"}]""",
            (await _vigil.Client.GetDataAsync("/api/v1/series?match[]=up&match[]=http_requests_total{code=%22200%22}&match[]=up{job=%22api%22}")).GetRawText());
        Assert.Equal("[]", (await _vigil.Client.GetDataAsync("/api/v1/series?match[]=up&start=1200&end=1300")).GetRawText());
        Assert.Equal(2, (await _vigil.Client.GetDataAsync("/api/v1/series?match[]=up&start=1100&end=1300")).GetArrayLength());
        var (status, body) = await _vigil.Client.PostFormAsync("/api/v1/series", ("match[]", "up{job=\"node\"}"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Labels_and_values_are_sorted_and_filtered_by_match()
    {
        Assert.Equal(["__name__", "code", "instance", "job", "zz"], (await _vigil.Client.GetDataAsync("/api/v1/labels")).Strings());
        Assert.Equal(["__name__", "instance", "job", "zz"], (await _vigil.Client.GetDataAsync("/api/v1/labels?match[]=up")).Strings());
        Assert.Equal(["http_requests_total", "up"], (await _vigil.Client.GetDataAsync("/api/v1/label/__name__/values")).Strings());
        Assert.Equal(["ö"], (await _vigil.Client.GetDataAsync("/api/v1/label/zz/values")).Strings());
        Assert.Equal(["api"], (await _vigil.Client.GetDataAsync("/api/v1/label/job/values?match[]=http_requests_total")).Strings());
        Assert.Equal(["api", "node"], (await _vigil.Client.GetDataAsync("/api/v1/label/job/values?match[]=http_requests_total&match[]=up")).Strings());
        Assert.Empty((await _vigil.Client.GetDataAsync("/api/v1/label/nonexist/values")).Strings());
        Assert.Equal(["__name__", "instance", "job", "zz"], (await _vigil.Client.GetDataAsync("/api/v1/labels?match[]=up&start=1100&end=1200")).Strings());
        Assert.Empty((await _vigil.Client.GetDataAsync("/api/v1/labels?match[]=up&start=5000&end=6000")).Strings());
    }

    [Fact]
    public async Task Format_query_prints_the_canonical_expression()
        => Assert.Equal("sum by (job) (rate(x[5m]))", (await _vigil.Client.GetDataAsync("/api/v1/format_query?query=sum(rate(x[5m]))by(job)")).GetString());

    [Fact]
    public async Task Query_exemplars_answers_empty_or_204_without_selectors_like_Prometheus()
    {
        Assert.Equal("[]", (await _vigil.Client.GetDataAsync("/api/v1/query_exemplars?query=up&start=0&end=100")).GetRawText());
        Assert.Equal("", await BodyAsync("/api/v1/query_exemplars?query=1", HttpStatusCode.NoContent));
    }

    [Fact]
    public async Task A_client_that_goes_away_cancels_its_query()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _vigil.Client.GetAsync("/api/v1/query?query=up", cts.Token));
    }
}
