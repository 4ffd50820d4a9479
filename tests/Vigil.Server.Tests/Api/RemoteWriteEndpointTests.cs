using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Vigil.Remote.Prompb;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Hosting;

namespace Vigil.Server.Tests.Api;

public sealed class RemoteWriteEndpointTests
{
    private static ByteArrayContent Body(string name, long t, double v)
    {
        var series = new TimeSeries();
        series.Labels.Add(new Label { Name = "__name__", Value = name });
        series.Labels.Add(new Label { Name = "job", Value = "push" });
        series.Samples.Add(new Sample { Timestamp = t, Value = v });
        var request = new WriteRequest();
        request.Timeseries.Add(series);
        var content = new ByteArrayContent(IronSnappy.Snappy.Encode(request.ToByteArray()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("snappy");
        return content;
    }

    [Fact]
    public async Task Off_by_default_with_prometheus_hint()
    {
        await using var vigil = await TestVigil.StartAsync(v => new ServerOptions { DataPath = v.DataPath });
        var response = await vigil.Client.PostAsync("/api/v1/write", Body("m", 1000, 1));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("remote write receiver needs to be enabled with --web.enable-remote-write-receiver\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Accepted_samples_are_queryable_and_rejected_ones_are_400_text()
    {
        await using var vigil = await TestVigil.StartAsync(v => new ServerOptions { DataPath = v.DataPath, EnableRemoteWriteReceiver = true });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ok = await vigil.Client.PostAsync("/api/v1/write", Body("pushed_total", now, 42));
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);

        var data = await vigil.Client.GetDataAsync("/api/v1/query?query=pushed_total&time=" + (now / 1000.0).ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("42", data.GetProperty("result")[0].GetProperty("value")[1].GetString());

        var old = await vigil.Client.PostAsync("/api/v1/write", Body("pushed_total", now - 60_000, 1));
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        Assert.Equal("out of order sample\n", await old.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", old.Content.Headers.ContentType?.ToString());

        var garbage = await vigil.Client.PostAsync("/api/v1/write", new ByteArrayContent([1, 2, 3, 4, 5]));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Fact]
    public async Task A_body_past_the_limit_is_413()
    {
        await using var vigil = await TestVigil.StartAsync(v => new ServerOptions { DataPath = v.DataPath, EnableRemoteWriteReceiver = true });
        var huge = new ByteArrayContent(new byte[(32 << 20) + 10]);
        var response = await vigil.Client.PostAsync("/api/v1/write", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
