using System.Net;
using Vigil.Model;
using Vigil.Model.Relabel;
using Vigil.Remote.Send;
using Vigil.Testing;
using Vigil.Tsdb;

namespace Vigil.Remote.Tests.Send;

public class RemoteWriteQueueTests
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static async Task<RemoteWriteQueue> StartAsync(string walDirectory, FakeReceiver receiver, QueueOptions? queue = null,
        Labels? external = null, IReadOnlyList<RelabelConfig>? relabel = null, TimeSpan? timeout = null, string? progress = null)
    {
        var q = new RemoteWriteQueue(new RemoteWriteOptions
        {
            Name = "test",
            Url = new Uri("http://receiver.invalid/api/v1/write"),
            Headers = new Dictionary<string, string> { ["X-Scope-OrgID"] = "tenant-1" },
            ExternalLabels = external ?? Labels.Empty,
            WriteRelabelConfigs = relabel ?? [],
            RemoteTimeout = timeout ?? TimeSpan.FromSeconds(5),
            Queue = queue ?? new QueueOptions { BatchSendDeadline = TimeSpan.FromMilliseconds(20), MinBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(20) },
            Handler = receiver,
        }, new RemoteWriteEnvironment
        {
            WalDirectory = walDirectory,
            ProgressDirectory = progress,
            ReadPeriod = TimeSpan.FromMilliseconds(5),
            ProgressInterval = TimeSpan.FromMilliseconds(20),
            FlushDeadline = TimeSpan.FromSeconds(5),
        });
        q.Start();
        await q.Started;
        return q;
    }

    private static QueueOptions Fast(int maxPerSend = 500, bool retry429 = false) => new()
    {
        MaxSamplesPerSend = maxPerSend,
        BatchSendDeadline = TimeSpan.FromMilliseconds(20),
        MinBackoff = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(20),
        RetryOnRateLimit = retry429,
    };

    [Fact]
    public async Task Posts_snappy_protobuf_with_prometheus_headers_and_configured_ones()
    {
        using var dir = new TempDirectory();
        using var wal = new TestWal(dir.Path);
        var receiver = new FakeReceiver();
        await using var queue = await StartAsync(dir.Path, receiver);
        var t = Now + 1000;
        wal.Series(1, Labels.Of("__name__", "up", "job", "a"));
        wal.Samples(new RefSample(1, t, 1), new RefSample(1, t + 1, BitConverter.UInt64BitsToDouble(0x7FF0000000000002)));
        await Eventually.TrueAsync(() => receiver.AcceptedSamples().Count == 2, "two samples delivered");

        var request = receiver.Requests[0];
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(["snappy"], request.Content!.Headers.ContentEncoding);
        Assert.Equal("application/x-protobuf", request.Content.Headers.ContentType!.MediaType);
        Assert.Equal("0.1.0", request.Headers.GetValues("X-Prometheus-Remote-Write-Version").Single());
        Assert.StartsWith("Vigil/", request.Headers.GetValues("User-Agent").Single(), StringComparison.Ordinal);
        Assert.Equal("tenant-1", request.Headers.GetValues("X-Scope-OrgID").Single());
        var samples = receiver.AcceptedSamples();
        Assert.Equal(("__name__=up,job=a", t, 1.0), samples[0]);
        Assert.Equal(0x7FF0000000000002UL, BitConverter.DoubleToUInt64Bits(samples[1].V));
        await Eventually.TrueAsync(() => queue.Stats.Pending == 0, "nothing pending");
        Assert.Equal(2, queue.Stats.Samples);
        Assert.True(queue.Stats.Bytes > 0);
        Assert.Equal(t / 1000, queue.Stats.HighestSentTimestampSeconds);
    }

    [Fact]
    public async Task Batches_hold_at_most_max_samples_per_send_and_each_series_stays_in_order()
    {
        using var dir = new TempDirectory();
        using var wal = new TestWal(dir.Path);
        var receiver = new FakeReceiver();
        await using var queue = await StartAsync(dir.Path, receiver, Fast(maxPerSend: 10));
        var t = Now + 1000;
        for (ulong r = 1; r <= 3; r++)
        {
            wal.Series(r, Labels.Of("__name__", "m", "i", r.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        for (var i = 0; i < 25; i++)
        {
            wal.Samples(new RefSample(1, t + i, i), new RefSample(2, t + i, i), new RefSample(3, t + i, i));
        }
        await Eventually.TrueAsync(() => receiver.AcceptedSamples().Count == 75, "75 samples delivered");
        Assert.All(receiver.Accepted, r => Assert.InRange(r.Timeseries.Count, 1, 10));
        foreach (var series in receiver.AcceptedSamples().GroupBy(s => s.Labels))
        {
            Assert.Equal(Enumerable.Range(0, 25).Select(i => t + i), series.Select(s => s.T));
        }
    }

    [Fact]
    public async Task Server_errors_and_timeouts_are_retried_until_the_batch_is_accepted()
    {
        using var dir = new TempDirectory();
        using var wal = new TestWal(dir.Path);
        var receiver = new FakeReceiver(async (attempt, _) =>
        {
            if (attempt == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(30)); // Longer than remote_timeout.
            }
            return attempt < 3 ? await FakeReceiver.Status(HttpStatusCode.InternalServerError, "boom\nsecond line") : new HttpResponseMessage(HttpStatusCode.OK);
        });
        await using var queue = await StartAsync(dir.Path, receiver, timeout: TimeSpan.FromMilliseconds(200));
        wal.Series(1, Labels.Of("__name__", "m"));
        wal.Samples(new RefSample(1, Now + 1000, 5), new RefSample(1, Now + 1001, 6));
        await Eventually.TrueAsync(() => receiver.AcceptedSamples().Count == 2, "accepted after retries");
        await Eventually.TrueAsync(() => queue.Stats.Pending == 0, "nothing pending");
        Assert.Equal(4, receiver.Attempts);
        Assert.Equal(6, queue.Stats.Retried);
        Assert.Equal(8, queue.Stats.Samples);
        Assert.Equal(0, queue.Stats.Failed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Too_many_requests_is_retried_only_with_retry_on_http_429(bool retry)
    {
        using var dir = new TempDirectory();
        using var wal = new TestWal(dir.Path);
        var receiver = new FakeReceiver((attempt, _) => attempt == 0 ? FakeReceiver.Status(HttpStatusCode.TooManyRequests, "slow down", retryAfter: "0") : FakeReceiver.Status(HttpStatusCode.OK));
        await using var queue = await StartAsync(dir.Path, receiver, Fast(retry429: retry));
        wal.Series(1, Labels.Of("__name__", "m"));
        wal.Samples(new RefSample(1, Now + 1000, 5));
        await Eventually.TrueAsync(() => queue.Stats.Pending == 0 && receiver.Attempts >= 1 && queue.Watermark.Offset > 0 && queue.Stats.Failed + queue.Stats.Retried > 0, "the batch settled");
        if (retry)
        {
            await Eventually.TrueAsync(() => receiver.AcceptedSamples().Count == 1, "accepted on the retry");
            Assert.Equal(1, queue.Stats.Retried);
            Assert.Equal(0, queue.Stats.Failed);
        }
        else
        {
            Assert.Equal(1, queue.Stats.Failed);
            Assert.Equal(0, queue.Stats.Retried);
            Assert.Equal(1, receiver.Attempts);
        }
    }

    [Fact]
    public async Task Client_errors_drop_the_batch_count_it_and_do_not_hold_up_progress()
    {
        using var dir = new TempDirectory();
        using var wal = new TestWal(dir.Path);
        var receiver = new FakeReceiver((attempt, _) => attempt == 0 ? FakeReceiver.Status(HttpStatusCode.BadRequest, "out of order sample") : FakeReceiver.Status(HttpStatusCode.OK));
        await using var queue = await StartAsync(dir.Path, receiver);
        wal.Series(1, Labels.Of("__name__", "m"));
        wal.Samples(new RefSample(1, Now + 1000, 5), new RefSample(1, Now + 1000, 6));
        await Eventually.TrueAsync(() => queue.Stats.Failed == 2, "the batch failed");
        wal.Samples(new RefSample(1, Now + 2000, 7));
        await Eventually.TrueAsync(() => receiver.AcceptedSamples().Count == 1, "the next batch goes through");
        var end = new WalPosition(0, TestWal.RecordsEnd(dir.Path, 0));
        await Eventually.TrueAsync(() => queue.Watermark == end, "the watermark reaches the last record");
        Assert.Equal(0, queue.Stats.Retried);
        Assert.Equal(7, receiver.AcceptedSamples()[0].V);
    }

    [Fact]
    public async Task External_labels_are_added_unless_the_series_has_them_and_write_relabelling_can_drop_series()
    {
        using var dir = new TempDirectory();
        using var wal = new TestWal(dir.Path);
        var receiver = new FakeReceiver();
        var drop = new RelabelConfig { SourceLabels = ["__name__"], Regex = RelabelRegex.Create("secret_.*"), Action = RelabelAction.Drop };
        await using var queue = await StartAsync(dir.Path, receiver, external: Labels.Of("env", "prod", "job", "ext"), relabel: [drop]);
        wal.Series(1, Labels.Of("__name__", "up", "job", "a"));
        wal.Series(2, Labels.Of("__name__", "secret_thing"));
        wal.Samples(new RefSample(1, Now + 1000, 1), new RefSample(2, Now + 1000, 2), new RefSample(99, Now + 1000, 3));
        await Eventually.TrueAsync(() => receiver.AcceptedSamples().Count == 1 && queue.Stats.Dropped == 2, "one sent, two dropped");
        Assert.Equal("__name__=up,env=prod,job=a", receiver.AcceptedSamples()[0].Labels);
    }
}
