using System.Buffers;
using Vigil.Model;
using Vigil.Remote.Send;
using Vigil.Testing;
using Vigil.Tsdb;
using Vigil.Tsdb.Wal;

namespace Vigil.Remote.Tests.Send;

public class WalWatcherTests
{
    private sealed class RecordingSink : IWalWatcherSink
    {
        private readonly Lock _lock = new();
        public Dictionary<ulong, (Labels Labels, int Segment)> Series { get; } = [];
        public List<RefSample> Samples { get; } = [];
        public List<WalPosition> Ends { get; } = [];
        public List<WalPosition> SampleEnds { get; } = [];
        public List<int> Resets { get; } = [];

        public int SampleCount { get { lock (_lock) { return Samples.Count; } } }

        public List<RefSample> Snapshot() { lock (_lock) { return [.. Samples]; } }

        public void StoreSeries(IReadOnlyList<RefSeries> series, int segment)
        {
            lock (_lock)
            {
                foreach (var s in series)
                {
                    Series[s.Ref] = (s.Labels, segment);
                }
            }
        }

        public void UpdateSeriesSegment(IReadOnlyList<RefSeries> series, int segment)
        {
            lock (_lock)
            {
                foreach (var s in series)
                {
                    Series[s.Ref] = (Series[s.Ref].Labels, segment);
                }
            }
        }

        public void SeriesReset(int segment)
        {
            lock (_lock)
            {
                Resets.Add(segment);
                foreach (var key in Series.Where(p => p.Value.Segment < segment).Select(p => p.Key).ToList())
                {
                    Series.Remove(key);
                }
            }
        }

        public ValueTask AppendAsync(IReadOnlyList<RefSample> samples, WalPosition recordEnd, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                Samples.AddRange(samples);
                Ends.Add(recordEnd);
                SampleEnds.AddRange(samples.Select(_ => recordEnd));
            }
            return ValueTask.CompletedTask;
        }

        public void Advance(WalPosition recordEnd)
        {
            lock (_lock)
            {
                Ends.Add(recordEnd);
            }
        }
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static async Task<(WalWatcher Watcher, Task Run, CancellationTokenSource Stop)> StartAsync(string dir, IWalWatcherSink sink, WalPosition? resume = null)
    {
        var watcher = new WalWatcher(dir, sink, new WalWatcherOptions
        {
            Consumer = "test",
            ResumeFrom = resume,
            ReadPeriod = TimeSpan.FromMilliseconds(5),
            SegmentCheckPeriod = TimeSpan.FromMilliseconds(5),
            CheckpointPeriod = TimeSpan.FromMilliseconds(20),
            Warning = m => Console.WriteLine("WARN " + m),
            Info = m => Console.WriteLine("INFO " + m),
        });
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => watcher.RunAsync(stop.Token));
        await watcher.Started;
        return (watcher, run, stop);
    }

    [Fact]
    public async Task Tails_new_samples_across_segment_rotation_and_skips_samples_older_than_its_start()
    {
        using var dir = new TempDirectory();
        using var wal = new TestWal(dir.Path);
        wal.Series(1, Labels.Of("__name__", "up", "job", "a"));
        wal.Samples(new RefSample(1, Now - 60_000, 1)); // Before the watcher starts: not sent, as Prometheus.
        var sink = new RecordingSink();
        var (watcher, run, stop) = await StartAsync(dir.Path, sink);

        var t = Now + 1000;
        wal.Samples(new RefSample(1, t, 2));
        wal.Wal.NextSegment();
        wal.Series(2, Labels.Of("__name__", "up", "job", "b"));
        wal.Samples(new RefSample(1, t + 1, 3), new RefSample(2, t + 1, 4));
        wal.Wal.NextSegment();
        wal.Samples(new RefSample(2, t + 2, 5));
        await Eventually.TrueAsync(() => sink.SampleCount == 4, "four samples");
        await stop.CancelAsync();
        await run;

        Assert.Equal([2.0, 3, 4, 5], sink.Snapshot().Select(s => s.Value));
        Assert.Equal(Labels.Of("__name__", "up", "job", "b"), sink.Series[2].Labels);
        Assert.Equal(1, sink.Series[2].Segment);
        Assert.Equal(2, watcher.Stats.CurrentSegment);
        Assert.Equal(0, watcher.Stats.SegmentsSkipped);
        Assert.True(watcher.Stats.SamplesRecords >= 4);
    }

    [Fact]
    public async Task Reads_series_from_the_last_checkpoint_and_forgets_series_a_newer_checkpoint_dropped()
    {
        using var dir = new TempDirectory();
        using var wal = new TestWal(dir.Path);
        wal.Series(1, Labels.Of("__name__", "kept"));
        wal.Series(2, Labels.Of("__name__", "gone"));
        wal.Samples(new RefSample(1, 1000, 1), new RefSample(2, 1000, 1));
        wal.Wal.NextSegment();
        Checkpoint.Create(wal.Wal, 0, 0, _ => true, 0);
        var sink = new RecordingSink();
        var (watcher, run, stop) = await StartAsync(dir.Path, sink);
        Assert.Equal(0, sink.Series[1].Segment);
        Assert.Equal(Labels.Of("__name__", "gone"), sink.Series[2].Labels);

        var t = Now + 1000;
        wal.Samples(new RefSample(1, t, 7));
        wal.Wal.NextSegment();
        wal.Samples(new RefSample(1, t + 1, 8));
        wal.Wal.NextSegment();
        await Eventually.TrueAsync(() => sink.SampleCount == 2, "samples of a checkpointed series");
        // A newer checkpoint keeps only series 1: the watcher forgets series 2.
        Checkpoint.Create(wal.Wal, 1, 2, r => r == 1, 0);
        wal.Samples(new RefSample(1, t + 2, 9));
        await Eventually.TrueAsync(() => sink.Resets.Contains(2), "series reset at the new checkpoint");
        await Eventually.TrueAsync(() => sink.SampleCount == 3, "the sample after the checkpoint");
        await stop.CancelAsync();
        await run;

        Assert.True(sink.Series.ContainsKey(1));
        Assert.False(sink.Series.ContainsKey(2));
        Assert.Equal([7.0, 8, 9], sink.Snapshot().Select(s => s.Value));
    }

    [Fact]
    public async Task A_record_cut_off_at_the_tail_is_read_once_it_is_complete()
    {
        using var dir = new TempDirectory();
        var walDir = Path.Combine(dir.Path, "wal");
        Directory.CreateDirectory(walDir);
        // Build the bytes of a segment holding a series record and a samples record, then write them in pieces.
        byte[] full;
        using (var source = new TempDirectory())
        {
            using (var wal = new TestWal(source.Path))
            {
                wal.Series(1, Labels.Of("__name__", "m"));
                wal.Samples(new RefSample(1, Now + 5000, 42));
            }
            full = File.ReadAllBytes(Path.Combine(source.Path, "00000000"))[..(int)TestWal.RecordsEnd(source.Path, 0)];
        }
        var segment = Path.Combine(walDir, "00000000");
        await File.WriteAllBytesAsync(segment, []);
        var sink = new RecordingSink();
        var (watcher, run, stop) = await StartAsync(walDir, sink);

        var cut = full.Length - 5;
        await using (var stream = new FileStream(segment, FileMode.Append))
        {
            await stream.WriteAsync(full.AsMemory(0, cut));
        }
        await Eventually.TrueAsync(() => sink.Series.ContainsKey(1), "the complete series record");
        await Task.Delay(100);
        Assert.Equal(0, sink.SampleCount);
        Assert.Equal(0, watcher.Stats.Corruptions);
        await using (var stream = new FileStream(segment, FileMode.Append))
        {
            await stream.WriteAsync(full.AsMemory(cut));
        }
        await Eventually.TrueAsync(() => sink.SampleCount == 1, "the completed samples record");
        await stop.CancelAsync();
        await run;
        Assert.Equal(42, sink.Samples[0].Value);
    }

    [Fact]
    public async Task A_torn_tail_left_by_a_crash_is_skipped_once_a_newer_segment_exists()
    {
        using var dir = new TempDirectory();
        var t = Now + 1000;
        using (var wal = new TestWal(dir.Path))
        {
            wal.Series(1, Labels.Of("__name__", "m"));
            wal.Samples(new RefSample(1, t, 1));
        }
        // The crash tore the last record: garbage after the last intact one, then the next process wrote segment 1.
        var segment0 = Path.Combine(dir.Path, "00000000");
        var bytes = File.ReadAllBytes(segment0)[..(int)TestWal.RecordsEnd(dir.Path, 0)];
        File.WriteAllBytes(segment0, [.. bytes, 2, 0, 50, 1, 2, 3, 4, 9]);
        var sink = new RecordingSink();
        var (watcher, run, stop) = await StartAsync(dir.Path, sink, resume: new WalPosition(0, 0));
        await Eventually.TrueAsync(() => sink.SampleCount == 1, "the sample before the tear");
        var record = TestWal.SamplesRecordBytes(new RefSample(1, t + 1, 2));
        using (var next = WriteAheadLog.Open(Path.Combine(dir.Path, "next"), new WalOptions { FsyncPolicy = FsyncPolicy.Never }))
        {
            next.Log(record);
        }
        File.Move(Path.Combine(dir.Path, "next", "00000000"), Path.Combine(dir.Path, "00000001"));
        await Eventually.TrueAsync(() => sink.SampleCount == 2, "the sample in the next segment");
        await stop.CancelAsync();
        await run;
        Assert.Equal(1, watcher.Stats.Corruptions);
        Assert.Equal([1.0, 2], sink.Snapshot().Select(s => s.Value));
    }

    [Fact]
    public async Task Resumes_at_a_position_and_skips_segments_deleted_before_they_were_read()
    {
        using var dir = new TempDirectory();
        using var wal = new TestWal(dir.Path);
        wal.Series(1, Labels.Of("__name__", "m"));
        wal.Samples(new RefSample(1, 1000, 1));
        wal.Wal.NextSegment();
        wal.Samples(new RefSample(1, 2000, 2));
        wal.Wal.NextSegment();
        wal.Samples(new RefSample(1, 3000, 3));
        wal.Samples(new RefSample(1, 4000, 4));
        wal.Wal.NextSegment();

        // Resume inside segment 2, after its first record: only the last sample is sent, although it is old.
        var first = new RecordingSink();
        var (_, run, stop) = await StartAsync(dir.Path, first, resume: new WalPosition(0, 0));
        await Eventually.TrueAsync(() => first.SampleCount == 4, "all samples from the start");
        await stop.CancelAsync();
        await run;
        var afterThird = first.SampleEnds[first.Snapshot().FindIndex(s => s.Value == 3)];

        var second = new RecordingSink();
        (_, run, stop) = await StartAsync(dir.Path, second, resume: afterThird);
        await Eventually.TrueAsync(() => second.SampleCount == 1, "the sample after the resume position");
        await stop.CancelAsync();
        await run;
        Assert.Equal(4, second.Samples[0].Value);

        // Segments 0 and 1 are deleted (a checkpoint keeps the series): resuming at segment 0 skips them, counted.
        Checkpoint.Create(wal.Wal, 0, 1, _ => true, long.MaxValue);
        var third = new RecordingSink();
        WalWatcher watcher;
        (watcher, run, stop) = await StartAsync(dir.Path, third, resume: new WalPosition(0, 0));
        await Eventually.TrueAsync(() => third.SampleCount == 2, "the samples of segment 2");
        await stop.CancelAsync();
        await run;
        Assert.Equal(2, watcher.Stats.SegmentsSkipped);
        Assert.Equal([3.0, 4], third.Snapshot().Select(s => s.Value));
    }

    [Fact]
    public void OpenSegment_reads_from_a_record_boundary_inside_a_page()
    {
        using var dir = new TempDirectory();
        using (var wal = new TestWal(dir.Path, segmentSize: 1024 * 1024))
        {
            wal.Series(1, Labels.Of("__name__", "m"));
            for (var i = 0; i < 2000; i++)
            {
                wal.Samples(new RefSample(1, i, i));
            }
        }
        var ends = new List<long>();
        using (var reader = WalReader.OpenSegment(dir.Path, 0))
        {
            while (reader.Next())
            {
                ends.Add(reader.NextOffset);
            }
            Assert.Null(reader.Error);
        }
        Assert.True(ends[^1] > 32 * 1024, "the records span more than one page");
        foreach (var index in new[] { 0, 1, 700, 1500, ends.Count - 2 })
        {
            using var reader = WalReader.OpenSegment(dir.Path, 0, ends[index]);
            var samples = new List<RefSample>();
            var count = 0;
            while (reader.Next())
            {
                samples.Clear();
                SamplesRecord.Decode(reader.Record, samples);
                Assert.Equal(index + count, samples[0].Value);
                count++;
            }
            Assert.Null(reader.Error);
            Assert.Equal(ends.Count - 1 - index, count);
        }
        Assert.Throws<FileNotFoundException>(() => WalReader.OpenSegment(dir.Path, 7));
        Assert.Equal([0], WalLayout.SegmentIndices(dir.Path));
    }
}
