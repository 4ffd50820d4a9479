using Google.Protobuf;
using Vigil.Model;
using Vigil.Remote.Prompb;
using Vigil.Remote.Receive;
using Vigil.Storage;
using Vigil.Tsdb;

namespace Vigil.Remote.Tests;

public class RemoteWriteReceiverTests
{
    private static TimeSeries Series(string name, string job, params (long T, double V)[] samples)
    {
        var ts = new TimeSeries();
        ts.Labels.Add(new Prompb.Label { Name = "__name__", Value = name });
        ts.Labels.Add(new Prompb.Label { Name = "job", Value = job });
        foreach (var (t, v) in samples)
        {
            ts.Samples.Add(new Prompb.Sample { Timestamp = t, Value = v });
        }
        return ts;
    }

    private static byte[] Body(params TimeSeries[] series)
    {
        var request = new WriteRequest();
        request.Timeseries.AddRange(series);
        return IronSnappy.Snappy.Encode(request.ToByteArray());
    }

    private static List<(Labels Labels, List<Vigil.Model.Sample> Samples)> ReadAll(IQueryableStorage storage)
    {
        using var q = storage.Querier(long.MinValue / 2, long.MaxValue / 2);
        var set = q.Select(true, [LabelMatcher.Create(LabelMatchType.Regex, "__name__", ".+")]);
        var result = new List<(Labels, List<Vigil.Model.Sample>)>();
        while (set.Next())
        {
            var s = set.At();
            var it = s.Iterator();
            var samples = new List<Vigil.Model.Sample>();
            while (it.Next())
            {
                samples.Add(it.At());
            }
            result.Add((s.Labels, samples));
        }
        return result;
    }

    [Fact]
    public void Appends_every_sample_and_answers_204()
    {
        var head = new Head();
        var receiver = new RemoteWriteReceiver(head);
        var result = receiver.Receive(Body(Series("a", "x", (1000, 1), (2000, 2)), Series("b", "y", (1000, StaleMarker.Value))));
        Assert.Equal(204, result.StatusCode);
        Assert.Null(result.Error);
        var all = ReadAll(head);
        Assert.Equal(2, all.Count);
        Assert.Equal([new(1000, 1), new(2000, 2)], all[0].Samples);
        Assert.True(StaleMarker.IsStale(all[1].Samples[0].Value));
        Assert.Equal(3, receiver.SamplesReceived);
    }

    [Fact]
    public void An_empty_request_is_fine() => Assert.Equal(204, new RemoteWriteReceiver(new Head()).Receive(Body()).StatusCode);

    [Fact]
    public void Out_of_order_rejects_the_whole_request_with_prometheus_text()
    {
        var head = new Head();
        var receiver = new RemoteWriteReceiver(head);
        Assert.Equal(204, receiver.Receive(Body(Series("a", "x", (5000, 5)))).StatusCode);

        // The first series is fine, the second goes back in time: nothing of the request lands.
        var result = receiver.Receive(Body(Series("b", "x", (6000, 1)), Series("a", "x", (4000, 4))));
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("out of order sample", result.Error);
        var all = ReadAll(head);
        Assert.Single(all);
        Assert.Equal([new(5000, 5)], all[0].Samples);
    }

    [Fact]
    public void Duplicate_timestamp_with_another_value_is_rejected()
    {
        var head = new Head();
        var receiver = new RemoteWriteReceiver(head);
        Assert.Equal(204, receiver.Receive(Body(Series("a", "x", (5000, 5)))).StatusCode);
        var result = receiver.Receive(Body(Series("a", "x", (5000, 6))));
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("duplicate sample for timestamp", result.Error);
        // The same value again is not an error, as in Prometheus.
        Assert.Equal(204, receiver.Receive(Body(Series("a", "x", (5000, 5)))).StatusCode);
    }

    [Fact]
    public void Samples_too_old_for_the_head_are_out_of_bounds()
    {
        var head = new Head();
        var receiver = new RemoteWriteReceiver(head);
        // Everything before 2h has gone to blocks: the head no longer accepts it.
        head.Truncate(7_200_000);
        var result = receiver.Receive(Body(Series("b", "x", (1000, 1))));
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("out of bounds", result.Error);
    }

    [Fact]
    public void Framed_snappy_is_a_corrupt_block()
    {
        var request = new WriteRequest();
        request.Timeseries.Add(Series("a", "x", (1000, 1)));
        using var framed = new MemoryStream();
        // The framing format's stream identifier chunk: what a sender using snappy streams would send.
        framed.Write([0xff, 0x06, 0x00, 0x00, (byte)'s', (byte)'N', (byte)'a', (byte)'P', (byte)'p', (byte)'Y']);
        framed.Write(IronSnappy.Snappy.Encode(request.ToByteArray()));
        var result = new RemoteWriteReceiver(new Head()).Receive(framed.ToArray());
        Assert.Equal(400, result.StatusCode);
        Assert.StartsWith("snappy: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_and_truncated_bodies_are_400()
    {
        var receiver = new RemoteWriteReceiver(new Head());
        Assert.Equal(400, receiver.Receive([0x80, 0x80, 0x80]).StatusCode);
        Assert.Equal(400, receiver.Receive([]).StatusCode);
        var body = Body(Series("a", "x", (1000, 1)));
        Assert.Equal(400, receiver.Receive(body.AsSpan(0, body.Length - 3)).StatusCode);
    }

    [Fact]
    public void Valid_snappy_around_bad_protobuf_is_400_naming_protobuf()
    {
        var result = new RemoteWriteReceiver(new Head()).Receive(IronSnappy.Snappy.Encode([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));
        Assert.Equal(400, result.StatusCode);
        Assert.StartsWith("proto: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decoded_size_past_the_limit_is_refused_before_decompressing()
    {
        var receiver = new RemoteWriteReceiver(new Head(), new RemoteWriteReceiverOptions { MaxDecodedBytes = 1024 });
        var big = new TimeSeries();
        big.Labels.Add(new Prompb.Label { Name = "__name__", Value = new string('a', 4096) });
        var result = receiver.Receive(Body(big));
        Assert.Equal(400, result.StatusCode);
        Assert.Contains("exceeds the limit", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Series_with_invalid_labels_are_skipped_and_counted()
    {
        var head = new Head();
        var receiver = new RemoteWriteReceiver(head);
        var bad = Series("bad-name", "x", (1000, 1));
        var result = receiver.Receive(Body(bad, Series("good", "x", (1000, 1))));
        Assert.Equal(204, result.StatusCode);
        Assert.Equal(1, receiver.InvalidLabelSeries);
        Assert.Equal("good", Assert.Single(ReadAll(head)).Labels.MetricName);
    }
}
