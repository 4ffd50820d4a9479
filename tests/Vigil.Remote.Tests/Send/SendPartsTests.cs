using Vigil.Model;
using Vigil.Remote.Prompb;
using Vigil.Remote.Send;
using Vigil.Testing;

namespace Vigil.Remote.Tests.Send;

public class SendPartsTests
{
    [Theory]
    [InlineData("3", 3)]
    [InlineData("0", 0)]
    [InlineData("-2", -2)]
    [InlineData("soon", 0)]
    [InlineData("", 0)]
    [InlineData("Wed, 21 Oct 2015 07:28:10 GMT", 10)]
    [InlineData("Wed, 21 Oct 2015 07:27:50 GMT", -10)]
    public void Retry_after_is_seconds_or_an_http_date_and_anything_else_means_the_backoff(string header, int seconds)
    {
        var now = new DateTimeOffset(2015, 10, 21, 7, 28, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryPolicy.ParseRetryAfter(header, now));
    }

    [Fact]
    public void Backoff_doubles_from_the_sleep_up_to_max_backoff_and_retry_after_replaces_it()
    {
        var max = TimeSpan.FromMilliseconds(500);
        Assert.Equal((TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(60)), RetryPolicy.Next(TimeSpan.FromMilliseconds(30), TimeSpan.Zero, max));
        Assert.Equal((TimeSpan.FromMilliseconds(400), max), RetryPolicy.Next(TimeSpan.FromMilliseconds(400), TimeSpan.Zero, max));
        Assert.Equal((TimeSpan.FromSeconds(2), max), RetryPolicy.Next(TimeSpan.FromMilliseconds(30), TimeSpan.FromSeconds(2), max));
        Assert.Equal((TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(60)), RetryPolicy.Next(TimeSpan.FromMilliseconds(30), TimeSpan.FromSeconds(-5), max));
    }

    [Fact]
    public void Desired_shards_follow_prometheus_formula_with_tolerance_delay_and_bounds()
    {
        // 1000 samples/s in, all kept; sending 1000 samples/s takes 2 s per second: 2 shards' worth; no backlog.
        Assert.Equal((2, 2.0), ShardCalculator.Calculate(1, 1, 10, 1000, 1000, 0, 2, 100, 100));
        // Within 30% of the current 2: unchanged, but the desired value is reported.
        var (same, desired) = ShardCalculator.Calculate(2, 1, 10, 1000, 1000, 0, 2.5, 100, 100);
        Assert.Equal(2, same);
        Assert.Equal(2.5, desired, 9);
        // 20 s behind: backlog 20 s × 1000/s, 5% of it per second added: 0.002 × (1000 + 1000) = 4.
        Assert.Equal((4, 4.0), ShardCalculator.Calculate(1, 1, 10, 1000, 1000, 0, 2, 120, 100));
        // Never above max, never below min; no sends: no change.
        Assert.Equal(10, ShardCalculator.Calculate(1, 1, 10, 100_000, 1000, 0, 2, 100, 100).Shards);
        Assert.Equal(3, ShardCalculator.Calculate(8, 3, 10, 10, 1000, 0, 0.01, 100, 100).Shards);
        Assert.Equal(5, ShardCalculator.Calculate(5, 1, 10, 1000, 0, 0, 0, 100, 100).Shards);
        // Not down while more than 10 s behind.
        Assert.Equal(8, ShardCalculator.Calculate(8, 1, 10, 10, 1000, 0, 0.01, 200, 100).Shards);
        // Dropped samples lower the kept ratio: half dropped halves the work.
        Assert.Equal((1, 1.0), ShardCalculator.Calculate(4, 1, 10, 1000, 1000, 1000, 2, 100, 100));
    }

    [Fact]
    public void Ewma_rate_starts_at_the_first_busy_interval_and_then_moves_a_fifth_of_the_way()
    {
        var rate = new EwmaRate(0.2, TimeSpan.FromSeconds(10));
        rate.Tick();
        Assert.Equal(0, rate.Rate);
        rate.Increment(100);
        rate.Tick();
        Assert.Equal(10, rate.Rate, 9);
        rate.Increment(200);
        rate.Tick();
        Assert.Equal(12, rate.Rate, 9);
    }

    [Fact]
    public void The_watermark_waits_for_every_earlier_record_and_remembers_deliveries_beyond_it()
    {
        var progress = new SendProgress(new WalPosition(0, 0));
        var a = progress.Begin(new WalPosition(0, 100), 2);
        progress.Begin(new WalPosition(0, 150), 0);
        var b = progress.Begin(new WalPosition(0, 200), 1);
        var labels = Labels.Of("__name__", "m");
        // The later record is delivered first: the watermark stays before the first.
        progress.Complete([new PendingSample(labels, 10, 1, 7, b)], delivered: true);
        Assert.Equal(new WalPosition(0, 0), progress.Watermark);
        var marker = progress.Snapshot(new WalPosition(0, 200));
        Assert.Equal([new KeyValuePair<ulong, long>(7, 10)], marker.DeliveredAhead);
        progress.Complete([new PendingSample(labels, 5, 1, 3, a)], delivered: true);
        Assert.Equal(new WalPosition(0, 0), progress.Watermark);
        progress.Complete([new PendingSample(labels, 6, 1, 3, a)], delivered: false);
        Assert.Equal(new WalPosition(0, 200), progress.Watermark);
        Assert.Empty(progress.Snapshot(new WalPosition(0, 200)).DeliveredAhead);
        Assert.Equal(0, progress.Outstanding);
        progress.Begin(new WalPosition(1, 40), 0);
        Assert.Equal(new WalPosition(1, 40), progress.Watermark);
    }

    [Fact]
    public void Progress_marker_round_trips_and_a_damaged_one_is_reported_not_trusted()
    {
        using var dir = new TempDirectory();
        var path = ProgressMarker.PathFor(dir.Path, "name http://x");
        Assert.Null(ProgressMarker.Read(path, out var error));
        Assert.Null(error);
        var marker = new ProgressMarker(new WalPosition(3, 4096), [new(1, 10), new(ulong.MaxValue, -5)], new WalPosition(4, 12));
        marker.Write(path, "name http://x");
        var read = ProgressMarker.Read(path, out error);
        Assert.Null(error);
        Assert.Equal(marker.Position, read!.Position);
        Assert.Equal(marker.ReadUntil, read.ReadUntil);
        Assert.Equal(marker.DeliveredAhead, read.DeliveredAhead);
        Assert.False(File.Exists(path + ".tmp"));
        File.WriteAllText(path, "{\"version\":1,\"segment\":");
        Assert.Null(ProgressMarker.Read(path, out error));
        Assert.Contains(path, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_encoder_writes_what_prompb_parses_one_series_per_sample()
    {
        var labels = Labels.Of("__name__", "métrique", "empty_value_dropped", "", "job", "a");
        PendingSample[] samples =
        [
            new(labels, 1_700_000_000_123, 0.5, 1, 0),
            new(labels, 0, 0, 1, 0),
            new(Labels.Of("__name__", "neg"), -1, double.NegativeInfinity, 2, 0),
            new(Labels.Of("__name__", "stale"), 5, BitConverter.UInt64BitsToDouble(0x7FF0000000000002), 3, 0),
        ];
        var (body, highest) = WriteRequestEncoder.Encode(samples);
        Assert.Equal(1_700_000_000_123, highest);
        var request = WriteRequest.Parser.ParseFrom(IronSnappy.Snappy.Decode(body));
        Assert.Equal(4, request.Timeseries.Count);
        Assert.Equal("__name__=métrique,job=a", FakeReceiver.Text(request.Timeseries[0]));
        Assert.Equal((1_700_000_000_123L, 0.5), (request.Timeseries[0].Samples[0].Timestamp, request.Timeseries[0].Samples[0].Value));
        Assert.Equal((0L, 0.0), (request.Timeseries[1].Samples[0].Timestamp, request.Timeseries[1].Samples[0].Value));
        Assert.Equal((-1L, double.NegativeInfinity), (request.Timeseries[2].Samples[0].Timestamp, request.Timeseries[2].Samples[0].Value));
        Assert.Equal(0x7FF0000000000002UL, BitConverter.DoubleToUInt64Bits(request.Timeseries[3].Samples[0].Value));
    }
}
