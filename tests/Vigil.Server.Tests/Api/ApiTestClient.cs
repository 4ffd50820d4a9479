using System.Net;
using System.Text.Json;

namespace Vigil.Server.Tests.Api;

/// <summary>Small helpers for calling the API and checking Prometheus's envelope.</summary>
internal static class ApiTestClient
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(this HttpClient client, string url)
        => await ReadAsync(await client.GetAsync(url));

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostFormAsync(this HttpClient client, string url, params (string Key, string Value)[] form)
        => await ReadAsync(await client.PostAsync(url, new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)))));

    public static async Task<(HttpStatusCode Status, JsonElement Body)> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"{response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return (response.StatusCode, doc.RootElement.Clone());
    }

    public static async Task<JsonElement> GetDataAsync(this HttpClient client, string url)
    {
        var (status, body) = await client.GetJsonAsync(url);
        Assert.True(status == HttpStatusCode.OK, $"{url}: {status} {body}");
        Assert.Equal("success", body.GetProperty("status").GetString());
        return body.GetProperty("data");
    }

    public static async Task AssertErrorAsync(this HttpClient client, string url, HttpStatusCode status, string errorType, string error)
        => AssertError(await client.GetJsonAsync(url), status, errorType, error);

    public static void AssertError((HttpStatusCode Status, JsonElement Body) response, HttpStatusCode status, string errorType, string error)
    {
        Assert.Equal(status, response.Status);
        Assert.Equal("error", response.Body.GetProperty("status").GetString());
        Assert.Equal(errorType, response.Body.GetProperty("errorType").GetString());
        Assert.Equal(error, response.Body.GetProperty("error").GetString());
        Assert.False(response.Body.TryGetProperty("data", out _));
    }

    public static string[] Strings(this JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    public static string[] Names(this JsonElement obj) => [.. obj.EnumerateObject().Select(p => p.Name)];
}
