using Google.Protobuf;
using Vigil.Remote.Otlp;
using Vigil.Remote.Otlp.Proto.Metrics;
using Vigil.Remote.Otlp.Proto.Rpc;
using Vigil.Storage;
using static Vigil.Remote.Tests.Otlp.OtlpRequests;

namespace Vigil.Remote.Tests.Otlp;

public sealed class OtlpMetricsReceiverFuzzTests
{
    /// <summary>A request with every point kind, for mutation.</summary>
    private static byte[] Seed()
    {
        var summary = new Summary();
        var s = new SummaryDataPoint { TimeUnixNano = Nanos(BaseMs), Count = 2, Sum = 1 };
        s.QuantileValues.Add(new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 0.5, Value = 0.4 });
        summary.DataPoints.Add(s);
        return Request(Service("svc", "i-1", Attr("host.name", "h")),
            Counter("c", "s", Point(BaseMs, 1, Attr("k", "v"))),
            Gauge("g", "1", IntPoint(BaseMs, 2)),
            Histogram("h", "By", AggregationTemporality.Cumulative, HistogramPoint(BaseMs, [1, 2], [1, 2, 3], 7, Attr("le", "x"))),
            new Metric { Name = "s", Summary = summary }).ToByteArray();
    }

    [Fact]
    public void Mutated_and_truncated_bodies_never_throw_and_get_200_or_a_decodable_400()
    {
        var seed = Seed();
        var random = new Random(20261123);
        var receiver = new OtlpMetricsReceiver(new MemoryStorage());
        for (var round = 0; round < 3000; round++)
        {
            var body = (byte[])seed.Clone();
            if (round % 3 == 0)
            {
                body = body[..random.Next(body.Length)];
            }
            var flips = 1 + random.Next(4);
            for (var i = 0; i < flips && body.Length > 0; i++)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }
            var result = receiver.Receive(body, "application/x-protobuf", null);
            Assert.True(result.StatusCode is 200 or 400, $"round {round}: {result.StatusCode} {result.Error}");
            if (result.StatusCode == 400)
            {
                Assert.False(string.IsNullOrEmpty(Status.Parser.ParseFrom(result.Body).Message));
            }
        }
    }
}
