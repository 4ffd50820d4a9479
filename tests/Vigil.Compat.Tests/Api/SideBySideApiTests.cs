using System.Net;
using System.Text;
using System.Text.Json;

namespace Vigil.Compat.Tests.Api;

/// <summary>
/// The same HTTP requests, errors included, against a real Prometheus 2.42 and against Vigil on the same data:
/// status codes, content types, <c>errorType</c>, error messages and the JSON (structure, key order and values).
/// </summary>
[Collection(ApiServersCollection.Name)]
public sealed class SideBySideApiTests(ApiServersFixture servers)
{
    /// <summary>How much of two answers must agree.</summary>
    public enum Compare
    {
        /// <summary>Status, content type and the whole JSON document, key order included.</summary>
        Exact,

        /// <summary>Status, content type, errorType and the JSON structure (keys, value kinds), not the values.</summary>
        Shape,

        /// <summary>Status and errorType (messages that list series in Go's map order).</summary>
        ErrorType,

        /// <summary>Status code only (the router's plain-text answers).</summary>
        Status,
    }

    public static TheoryData<string, string, string?, Compare> Requests()
    {
        var data = new TheoryData<string, string, string?, Compare>();
        void Get(string url, Compare compare = Compare.Exact) => data.Add("GET", url, null, compare);
        void Post(string url, string? form, Compare compare = Compare.Exact) => data.Add("POST", url, form, compare);

        // query: values, types, formatting, time parameters.
        Get("/api/v1/query?query=1%2B1&time=100");
        Get("/api/v1/query?query=vector(1)&time=100.5");
        Get("/api/v1/query?query=vector(1)&time=-100.5");
        Get("/api/v1/query?query=scalar(vector(1))&time=100.5");
        Get("/api/v1/query?query=time()&time=1435781451.781");
        Get("/api/v1/query?query=%22abc%22&time=1");
        Get("/api/v1/query?query=0/0&time=100");
        Get("/api/v1/query?query=1/0&time=100");
        Get("/api/v1/query?query=-1/0&time=100");
        Get("/api/v1/query?query=0.1%2B0.2&time=100");
        Get("/api/v1/query?query=1e21&time=100");
        Get("/api/v1/query?query=1e-7&time=100");
        Get("/api/v1/query?query=123456789012345678901&time=100");
        Get("/api/v1/query?query=up&time=1120");
        Get("/api/v1/query?query=up%5B2m%5D&time=1120");
        Get("/api/v1/query?query=rate(http_requests_total%5B2m%5D)&time=1120");
        Get("/api/v1/query?query=sum%20by%20(job)%20(up)&time=1120");
        Get("/api/v1/query?query=up%7Bjob%3D%22node%22%7D&time=1060");
        Get("/api/v1/query?query=up&time=2015-07-01T20:10:51.781Z");
        Get("/api/v1/query?query=vector(1)&time=2015-07-01T20:10:51.781%2B02:00");
        Get("/api/v1/query?query=vector(1)&time=2015-07-01T2:10:51Z");
        Get("/api/v1/query?query=vector(1)&time=2015-07-01T20:10:51,5Z");
        Get("/api/v1/query?query=vector(1)&time=1e3");
        Get("/api/v1/query?query=vector(1)&time=1.0009");
        Get("/api/v1/query?query=vector(1)&time=1_000");
        Get("/api/v1/query?query=vector(1)&time=.5");
        Get("/api/v1/query?query=vector(1)&time=0x1p4");
        Get("/api/v1/query?query=vector(1)&time=NaN");
        Get("/api/v1/query?query=vector(1)&time=1e20");
        Get("/api/v1/query?query=vector(1)&time=0001-01-01T00:00:00Z");
        Get("/api/v1/query?query=vector(1)&time=-292273086-05-16T16:47:06Z");
        Get("/api/v1/query?query=vector(1)&time=1&timeout=1s");
        Get("/api/v1/query?query=1%2B&time=1");
        Get("/api/v1/query");
        Get("/api/v1/query?query=up&time=abc");
        Get("/api/v1/query?query=up&time=2015-07-01");
        Get("/api/v1/query?query=up&time=2015-02-29T20:10:51Z");
        Get("/api/v1/query?query=up&time=1e400");
        Get("/api/v1/query?query=up&timeout=abc");
        Get("/api/v1/query?query=1&time=1&timeout=1ns");
        Get("/api/v1/query?query=1&time=1&timeout=0", Compare.ErrorType);
        Get("/api/v1/query?query=http_requests_total%2Bon()up&time=1120", Compare.ErrorType);
        Get("/api/v1/query?query=rate(up)&time=1");
        Get("/api/v1/query?query=foo(up)&time=1");
        Post("/api/v1/query", "query=1%2B1&time=5");
        Post("/api/v1/query?time=7", "query=vector(3)");
        Post("/api/v1/query", "query=1%2B");

        // query_range
        Get("/api/v1/query_range?query=vector(1)&start=0&end=2&step=1");
        Get("/api/v1/query_range?query=1&start=0&end=2&step=0.5");
        Get("/api/v1/query_range?query=1&start=0&end=1&step=0.3");
        Get("/api/v1/query_range?query=1&start=0.0004&end=1&step=0.3");
        Get("/api/v1/query_range?query=vector(1)&start=0&end=2&step=1s");
        Get("/api/v1/query_range?query=1&start=0&end=1&step=1h30s");
        Get("/api/v1/query_range?query=up&start=1000&end=1120&step=60");
        Get("/api/v1/query_range?query=rate(http_requests_total%5B2m%5D)&start=1060&end=1120&step=30");
        Get("/api/v1/query_range?query=vector(1)&start=0&end=11000&step=1");
        Get("/api/v1/query_range?query=vector(1)&start=2&end=0&step=1");
        Get("/api/v1/query_range?query=vector(1)&start=0&end=2&step=0");
        Get("/api/v1/query_range?query=vector(1)&start=0&end=2&step=-1");
        Get("/api/v1/query_range?query=1&start=0&end=1&step=NaN");
        Get("/api/v1/query_range?query=1&start=0&end=1&step=Inf");
        Get("/api/v1/query_range?query=vector(1)&start=0&end=2&step=1e30");
        Get("/api/v1/query_range?query=1&start=0&end=1&step=1H");
        Get("/api/v1/query_range?query=vector(1)&start=0&end=11001&step=1");
        Get("/api/v1/query_range?query=vector(1)&start=0&end=2");
        Get("/api/v1/query_range?query=vector(1)&start=0&step=1");
        Get("/api/v1/query_range?query=vector(1)&end=2&step=1");
        Get("/api/v1/query_range?query=vector(1)&start=x&end=2&step=1");
        Get("/api/v1/query_range?query=up%5B5m%5D&start=0&end=2&step=1");
        Get("/api/v1/query_range?query=%22a%22&start=0&end=2&step=1");
        Get("/api/v1/query_range?query=1%2B&start=0&end=2&step=1");
        Get("/api/v1/query_range?start=0&end=2&step=1");
        Get("/api/v1/query_range?query=vector(1)&start=0&end=2&step=1&timeout=x");
        Get("/api/v1/query_range?query=1&start=0&end=0&step=0.0001");
        Post("/api/v1/query_range", "query=vector(2)&start=0&end=1&step=1");
        Post("/api/v1/query_range", "query=vector(2)&start=x&end=1&step=1");

        // series, labels, label values
        Get("/api/v1/series?match[]=up");
        Get("/api/v1/series?match[]=up&match[]=http_requests_total%7Bcode%3D%22200%22%7D");
        Get("/api/v1/series?match[]=up&start=1200&end=1300");
        Get("/api/v1/series?match[]=up&start=1100&end=1300");
        Get("/api/v1/series?match[]=up&start=-292273086-05-16T16:47:06Z&end=292277025-08-18T07:12:54.999999999Z");
        Get("/api/v1/series");
        Get("/api/v1/series?match[]=up%7B");
        Get("/api/v1/series?match[]=%7Ba%3D%22%22%7D");
        Get("/api/v1/series?match[]=up&match[]=bad%7B");
        Get("/api/v1/series?match[]=up&start=x");
        Get("/api/v1/series?match[]=up&end=x");
        Post("/api/v1/series", "match[]=up");
        Post("/api/v1/series", "");
        Get("/api/v1/labels");
        Get("/api/v1/labels?match[]=up");
        Get("/api/v1/labels?match[]=up%7B");
        Get("/api/v1/labels?start=x");
        Post("/api/v1/labels", "match[]=http_requests_total");
        Get("/api/v1/label/__name__/values");
        Get("/api/v1/label/zz/values");
        Get("/api/v1/label/job/values?match[]=http_requests_total");
        Get("/api/v1/label/nonexist/values");
        Get("/api/v1/label/bad-name/values");
        Get("/api/v1/label/job/values?match[]=up%7B");
        Get("/api/v1/label/job/values?start=y");

        // placeholders, formatting, exemplars
        Get("/api/v1/metadata");
        Get("/api/v1/metadata?limit=x");
        Get("/api/v1/metadata?metric=up&limit=1");
        Get("/api/v1/targets");
        Get("/api/v1/targets?state=active");
        Get("/api/v1/targets/metadata");
        Get("/api/v1/targets/metadata?limit=x");
        Get("/api/v1/targets/metadata?match_target=x%7B");
        Get("/api/v1/rules");
        Get("/api/v1/rules?type=alert");
        Get("/api/v1/rules?type=x");
        Get("/api/v1/alerts");
        Get("/api/v1/alertmanagers");
        Get("/api/v1/format_query?query=sum(rate(x%5B5m%5D))by(job)");
        Get("/api/v1/format_query?query=1%2B");
        Get("/api/v1/format_query");
        Get("/api/v1/query_exemplars?query=up");
        Get("/api/v1/query_exemplars?query=up&start=0&end=100");
        Get("/api/v1/query_exemplars?query=1");
        Get("/api/v1/query_exemplars?query=up%7B");
        Get("/api/v1/query_exemplars?query=up&start=x");
        Get("/api/v1/query_exemplars?query=up&end=1&start=2");
        Get("/api/v1/query_exemplars");

        // status: same shapes; the values describe different servers.
        Get("/api/v1/status/buildinfo", Compare.Shape);
        Get("/api/v1/status/config", Compare.Shape);
        Get("/api/v1/status/runtimeinfo", Compare.Shape);
        Get("/api/v1/status/tsdb", Compare.Shape);

        // admin (disabled on both), methods, unknown paths.
        Post("/api/v1/admin/tsdb/delete_series?match[]=up", null);
        Post("/api/v1/admin/tsdb/snapshot", null);
        data.Add("PUT", "/api/v1/query?query=1", null, Compare.Status);
        data.Add("POST", "/api/v1/status/buildinfo", null, Compare.Status);
        data.Add("GET", "/api/v1/admin/tsdb/snapshot", null, Compare.Status);
        Get("/api/v1/nonexistent", Compare.Status);
        data.Add("OPTIONS", "/api/v1/query", null, Compare.Status);
        data.Add("OPTIONS", "/api/v1/series", null, Compare.Status);
        return data;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Vigil_answers_like_Prometheus(string method, string url, string? form, Compare compare)
    {
        var expected = await SendAsync(servers.PrometheusClient, method, url, form);
        var actual = await SendAsync(servers.VigilClient, method, url, form);
        var context = $"{method} {url} {form}\nPrometheus: {expected.Status} {expected.Body}\nVigil:      {actual.Status} {actual.Body}";

        Assert.True(expected.Status == actual.Status, $"status differs\n{context}");
        if (compare == Compare.Status)
        {
            return;
        }
        if (expected.Body.Length == 0)
        {
            Assert.True(actual.Body.Length == 0, $"body differs\n{context}");
            return;
        }
        Assert.True(expected.ContentType == actual.ContentType, $"content type differs\n{context}");
        using var e = JsonDocument.Parse(expected.Body);
        using var a = JsonDocument.Parse(actual.Body);
        if (compare == Compare.ErrorType)
        {
            Assert.True(e.RootElement.GetProperty("errorType").GetString() == a.RootElement.GetProperty("errorType").GetString(), $"errorType differs\n{context}");
            return;
        }
        var difference = JsonDifference(e.RootElement, a.RootElement, compare == Compare.Exact, "$");
        Assert.True(difference is null, $"{difference}\n{context}");
    }

    private static async Task<(HttpStatusCode Status, string? ContentType, string Body)> SendAsync(HttpClient client, string method, string url, string? form)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (form is not null)
        {
            request.Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Where two JSON values differ (null when they agree): kinds, object keys in order, array lengths, and values when asked.</summary>
    private static string? JsonDifference(JsonElement expected, JsonElement actual, bool values, string path)
    {
        if (expected.ValueKind != actual.ValueKind && !(IsBool(expected) && IsBool(actual)))
        {
            return $"{path}: {expected.ValueKind} vs {actual.ValueKind}";
        }
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var ek = expected.EnumerateObject().Select(p => p.Name).ToArray();
                var ak = actual.EnumerateObject().Select(p => p.Name).ToArray();
                if (!ek.SequenceEqual(ak))
                {
                    return $"{path}: keys [{string.Join(",", ek)}] vs [{string.Join(",", ak)}]";
                }
                foreach (var k in ek)
                {
                    if (JsonDifference(expected.GetProperty(k), actual.GetProperty(k), values, $"{path}.{k}") is { } d)
                    {
                        return d;
                    }
                }
                return null;
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength() && values)
                {
                    return $"{path}: {expected.GetArrayLength()} vs {actual.GetArrayLength()} elements";
                }
                for (var i = 0; i < Math.Min(expected.GetArrayLength(), actual.GetArrayLength()); i++)
                {
                    if (JsonDifference(expected[i], actual[i], values, $"{path}[{i}]") is { } d)
                    {
                        return d;
                    }
                }
                return null;
            case JsonValueKind.Number:
                return !values || expected.GetDouble() == actual.GetDouble() ? null : $"{path}: {expected.GetRawText()} vs {actual.GetRawText()}";
            case JsonValueKind.String:
                return !values || expected.GetString() == actual.GetString() ? null : $"{path}: {expected.GetRawText()} vs {actual.GetRawText()}";
            default:
                return !values || expected.ValueKind == actual.ValueKind ? null : $"{path}: {expected.GetRawText()} vs {actual.GetRawText()}";
        }
    }

    private static bool IsBool(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;
}
