using Vigil.Model;
using Vigil.Remote.Send;
using Vigil.Testing;
using Vigil.Tsdb;

namespace Vigil.Remote.Tests.Send;

/// <summary>A receiver outage and a restart of the sender within WAL retention: every sample arrives exactly once.</summary>
public class OutageTests
{
    private static RemoteWriteQueue Queue(string walDirectory, string progressDirectory, Uri url) => new(new RemoteWriteOptions
    {
        Name = "outage",
        Url = url,
        RemoteTimeout = TimeSpan.FromSeconds(2),
        Queue = new QueueOptions
        {
            MinShards = 3,
            MaxShards = 3,
            Capacity = 50,
            MaxSamplesPerSend = 20,
            BatchSendDeadline = TimeSpan.FromMilliseconds(20),
            MinBackoff = TimeSpan.FromMilliseconds(5),
            MaxBackoff = TimeSpan.FromMilliseconds(50),
        },
    }, new RemoteWriteEnvironment
    {
        WalDirectory = walDirectory,
        ProgressDirectory = progressDirectory,
        ReadPeriod = TimeSpan.FromMilliseconds(5),
        ProgressInterval = TimeSpan.FromMilliseconds(20),
        FlushDeadline = TimeSpan.FromMilliseconds(300),
    });

    [Fact]
    public async Task Samples_written_during_an_outage_and_across_a_sender_restart_arrive_exactly_once()
    {
        using var data = new TempDirectory();
        var walDir = Path.Combine(data.Path, "wal");
        var progressDir = Path.Combine(data.Path, ProgressMarker.DirectoryName);
        using var wal = new TestWal(walDir, segmentSize: 32 * 1024);
        await using var receiver = new LoopbackReceiver();
        receiver.Up();

        const int seriesCount = 10;
        for (ulong r = 1; r <= seriesCount; r++)
        {
            wal.Series(r, Labels.Of("__name__", "m", "i", r.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        var t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 10_000;
        var written = 0;
        void Write(int rounds)
        {
            for (var i = 0; i < rounds; i++, written++)
            {
                var samples = new RefSample[seriesCount];
                for (var r = 0; r < seriesCount; r++)
                {
                    samples[r] = new RefSample((ulong)r + 1, t0 + written, written);
                }
                wal.Samples(samples);
            }
        }

        var first = Queue(walDir, progressDir, receiver.Url);
        first.Start();
        await first.Started;
        Write(100);
        await Eventually.TrueAsync(() => receiver.Distinct == 100 * seriesCount, "the first samples arrive");

        // Outage: the receiver's port refuses connections while more samples are written (and segments rotate).
        await receiver.DownAsync();
        Write(150);
        await Eventually.TrueAsync(() => first.Stats.Retried > 0, "sends fail and are retried");

        // The sender restarts while the receiver is still down; more samples are written meanwhile.
        await first.StopAsync();
        await first.DisposeAsync();
        Assert.True(File.Exists(first.MarkerPath));
        Write(100);
        var second = Queue(walDir, progressDir, receiver.Url);
        second.Start();
        await second.Started;
        Write(50);
        await Eventually.TrueAsync(() => second.Stats.Retried > 0, "the restarted sender retries too");

        receiver.Up();
        await Eventually.TrueAsync(() => receiver.Distinct == written * seriesCount, $"all {written * seriesCount} samples arrive");
        await Eventually.TrueAsync(() => second.Stats.Pending == 0, "nothing pending");
        await second.DisposeAsync();

        var arrivals = receiver.Arrivals();
        Assert.Equal(written * seriesCount, arrivals.Count);
        Assert.All(arrivals, a => Assert.True(a.Value == 1, $"{a.Key} arrived {a.Value} times"));
        Assert.True(WalLayoutSegments(walDir) > 1, "the WAL rotated segments during the test");
        Assert.Equal(0, second.Stats.Failed);
    }

    private static int WalLayoutSegments(string walDir) => Vigil.Tsdb.Wal.WalLayout.SegmentIndices(walDir).Count;
}
