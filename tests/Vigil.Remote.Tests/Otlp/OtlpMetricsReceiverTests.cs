using System.IO.Compression;
using System.Text;
using Google.Protobuf;
using Vigil.Model;
using Vigil.Remote.Otlp;
using Vigil.Remote.Otlp.Proto.Collector;
using Vigil.Remote.Otlp.Proto.Metrics;
using Vigil.Remote.Otlp.Proto.Rpc;
using Vigil.Storage;
using static Vigil.Remote.Tests.Otlp.OtlpRequests;

namespace Vigil.Remote.Tests.Otlp;

public sealed class OtlpMetricsReceiverTests
{
    private const string Protobuf = "application/x-protobuf";

    private static List<(string Series, Sample[] Samples)> ReadAll(IQueryableStorage storage)
    {
        using var q = storage.Querier(long.MinValue / 2, long.MaxValue / 2);
        var set = q.Select(true, [LabelMatcher.Create(LabelMatchType.Regex, "__name__", ".+")]);
        var result = new List<(string, Sample[])>();
        while (set.Next())
        {
            var s = set.At();
            var it = s.Iterator();
            var samples = new List<Sample>();
            while (it.Next())
            {
                samples.Add(it.At());
            }
            result.Add((s.Labels.ToString(), [.. samples]));
        }
        return result;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    [Fact]
    public void Protobuf_request_is_appended_and_answered_with_an_empty_response()
    {
        var storage = new MemoryStorage();
        var receiver = new OtlpMetricsReceiver(storage);
        var body = Request(Service("api"), Counter("jobs", "", Point(BaseMs, 3))).ToByteArray();
        var result = receiver.Receive(body, "application/x-protobuf", null);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(Protobuf, result.ContentType);
        var response = ExportMetricsServiceResponse.Parser.ParseFrom(result.Body);
        Assert.Null(response.PartialSuccess);
        Assert.Null(result.Error);
        var (series, samples) = Assert.Single(ReadAll(storage));
        Assert.Equal("{__name__=\"jobs_total\", job=\"api\"}", series);
        Assert.Equal([new Sample(BaseMs, 3)], samples);
        Assert.Equal(1, receiver.SamplesReceived);
    }

    [Fact]
    public void Gzip_body_is_accepted()
    {
        var storage = new MemoryStorage();
        var receiver = new OtlpMetricsReceiver(storage);
        var body = Gzip(Request(null, Gauge("g", "", Point(BaseMs, 1))).ToByteArray());
        var result = receiver.Receive(body, "application/x-protobuf", "gzip");
        Assert.Equal(200, result.StatusCode);
        Assert.Single(ReadAll(storage));
    }

    [Fact]
    public void Json_request_is_accepted_and_answered_in_json()
    {
        var storage = new MemoryStorage();
        var receiver = new OtlpMetricsReceiver(storage);
        // OTLP/JSON: lowerCamelCase keys, enums as integers, 64-bit integers as strings.
        var json = $$$"""
            {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"web"}}]},
              "scopeMetrics":[{"scope":{"name":"m"},"metrics":[
                {"name":"requests","unit":"1","sum":{"aggregationTemporality":1,"isMonotonic":true,
                  "dataPoints":[{"timeUnixNano":"{{{Nanos(BaseMs)}}}","asInt":"5"}]}},
                {"name":"temp","unit":"Cel","gauge":{"dataPoints":[{"timeUnixNano":"{{{Nanos(BaseMs)}}}","asDouble":21.5,"unknownField":1}]}}
              ]}]}]}
            """;
        var result = receiver.Receive(Encoding.UTF8.GetBytes(json), "application/json; charset=utf-8", null);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("application/json", result.ContentType);
        var response = JsonParser.Default.Parse<ExportMetricsServiceResponse>(Encoding.UTF8.GetString(result.Body));
        Assert.Equal(1, response.PartialSuccess.RejectedDataPoints);
        Assert.Equal("invalid temporality and type combination for metric \"requests\"", response.PartialSuccess.ErrorMessage);
        var (series, samples) = Assert.Single(ReadAll(storage));
        Assert.Equal("{__name__=\"temp_celsius\", job=\"web\"}", series);
        Assert.Equal([new Sample(BaseMs, 21.5)], samples);
        Assert.Equal(1, receiver.RejectedDataPoints);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/protobuf-ish")]
    [InlineData(null)]
    public void Unsupported_content_type_is_415(string? contentType)
    {
        var receiver = new OtlpMetricsReceiver(new MemoryStorage());
        var result = receiver.Receive(Request(null).ToByteArray(), contentType, null);
        Assert.Equal(415, result.StatusCode);
        Assert.StartsWith("unsupported content type", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, receiver.RejectedRequests);
    }

    [Fact]
    public void Unsupported_content_encoding_is_415()
    {
        var result = new OtlpMetricsReceiver(new MemoryStorage()).Receive([1, 2], Protobuf, "br");
        Assert.Equal(415, result.StatusCode);
        Assert.Equal("unsupported content encoding \"br\": send gzip or none", result.Error);
    }

    [Fact]
    public void Undecodable_bodies_are_400_with_a_status_message()
    {
        var receiver = new OtlpMetricsReceiver(new MemoryStorage());
        var garbage = receiver.Receive([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f], Protobuf, null);
        Assert.Equal(400, garbage.StatusCode);
        var status = Status.Parser.ParseFrom(garbage.Body);
        Assert.Equal(3, status.Code);
        Assert.StartsWith("proto: ", status.Message, StringComparison.Ordinal);

        var badGzip = receiver.Receive([1, 2, 3, 4], Protobuf, "gzip");
        Assert.Equal(400, badGzip.StatusCode);
        Assert.StartsWith("gzip: ", Status.Parser.ParseFrom(badGzip.Body).Message, StringComparison.Ordinal);

        var badJson = receiver.Receive("{\"resourceMetrics\": 5}"u8.ToArray(), "application/json", null);
        Assert.Equal(400, badJson.StatusCode);
        Assert.Equal("application/json", badJson.ContentType);
        Assert.Equal(3, JsonParser.Default.Parse<Status>(Encoding.UTF8.GetString(badJson.Body)).Code);
    }

    [Fact]
    public void Decompressed_body_past_the_limit_is_413()
    {
        var receiver = new OtlpMetricsReceiver(new MemoryStorage(), new OtlpReceiverOptions { MaxDecodedBytes = 1000 });
        var result = receiver.Receive(Gzip(new byte[5000]), Protobuf, "gzip");
        Assert.Equal(413, result.StatusCode);
        Assert.Equal(8, Status.Parser.ParseFrom(result.Body).Code);
    }

    [Fact]
    public void Out_of_order_sample_rolls_back_the_whole_request_with_400()
    {
        var storage = new MemoryStorage();
        var receiver = new OtlpMetricsReceiver(storage);
        Assert.Equal(200, receiver.Receive(Request(null, Gauge("g", "", Point(BaseMs + 10_000, 1))).ToByteArray(), Protobuf, null).StatusCode);

        var late = Request(null, Gauge("other", "", Point(BaseMs, 5)), Gauge("g", "", Point(BaseMs, 2)));
        var result = receiver.Receive(late.ToByteArray(), Protobuf, null);
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("out of order sample", Status.Parser.ParseFrom(result.Body).Message);
        // Nothing of the rejected request was kept, not even the series before the bad sample.
        Assert.Equal(["{__name__=\"g\"}"], ReadAll(storage).Select(s => s.Series));

        var duplicate = receiver.Receive(Request(null, Gauge("g", "", Point(BaseMs + 10_000, 7))).ToByteArray(), Protobuf, null);
        Assert.Equal("duplicate sample for timestamp", Status.Parser.ParseFrom(duplicate.Body).Message);
        // The same sample again is accepted, as Prometheus accepts a resent sample.
        Assert.Equal(200, receiver.Receive(Request(null, Gauge("g", "", Point(BaseMs + 10_000, 1))).ToByteArray(), Protobuf, null).StatusCode);
        Assert.Equal(2, receiver.RejectedRequests);
    }

    [Fact]
    public void Partial_success_reports_rejected_points_and_keeps_the_rest()
    {
        var storage = new MemoryStorage();
        var receiver = new OtlpMetricsReceiver(storage);
        var request = Request(Service("svc"),
            Sum("deltas", "", true, AggregationTemporality.Delta, Point(BaseMs, 1), Point(BaseMs + 1, 1)),
            Counter("ok", "", Point(BaseMs, 1)));
        var result = receiver.Receive(request.ToByteArray(), Protobuf, null);
        Assert.Equal(200, result.StatusCode);
        var partial = ExportMetricsServiceResponse.Parser.ParseFrom(result.Body).PartialSuccess;
        Assert.Equal(2, partial.RejectedDataPoints);
        Assert.Equal("invalid temporality and type combination for metric \"deltas\"", partial.ErrorMessage);
        Assert.Equal(["{__name__=\"ok_total\", job=\"svc\"}"], ReadAll(storage).Select(s => s.Series));
    }
}
