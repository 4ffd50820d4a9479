using Vigil.Model;
using Vigil.Storage;
using Vigil.Testing;
using Vigil.Tsdb.Tests.Head;

namespace Vigil.Tsdb.Tests.Db;

public sealed class TimeSeriesDbTests
{
    private static readonly Labels s_a = Labels.Of("__name__", "m", "i", "a");

    [Fact]
    public void Committed_samples_survive_reopen_bit_exact()
    {
        using var dir = new TempDirectory();
        var expected = new List<Sample>();
        using (var db = TimeSeriesDb.Open(dir.Path))
        {
            var r = SeriesRef.None;
            for (var batch = 0; batch < 10; batch++)
            {
                var app = db.Appender();
                for (var i = 0; i < 50; i++)
                {
                    long t = (batch * 50) + i;
                    var v = t % 7 == 0 ? StaleMarker.Value : t * 0.1;
                    Assert.Equal(AppendStatus.Ok, app.Append(ref r, s_a, t, v));
                    expected.Add(new Sample(t, v));
                }
                app.Commit();
            }
            var rolledBack = db.Appender();
            rolledBack.Append(ref r, s_a, 10_000, 1);
            rolledBack.Rollback();
        }
        using (var db = TimeSeriesDb.Open(dir.Path))
        {
            Assert.Equal(1, db.LastReplay.Series);
            Assert.Equal(500, db.LastReplay.Samples);
            var got = HeadTests.ReadAll(db)[s_a];
            Assert.Equal(expected.Select(s => (s.TimestampMs, BitConverter.DoubleToUInt64Bits(s.Value))), got.Select(s => (s.TimestampMs, BitConverter.DoubleToUInt64Bits(s.Value))));
            // Appends continue after a replay, with refs that do not collide.
            var app = db.Appender();
            var b = SeriesRef.None;
            Assert.Equal(AppendStatus.Ok, app.Append(ref b, Labels.Of("__name__", "m", "i", "b"), 1, 1));
            Assert.Equal(2UL, b.Value); // "a" was ref 1 before the restart
            app.Commit();
        }
        using (var db = TimeSeriesDb.Open(dir.Path))
        {
            Assert.Equal(2, HeadTests.ReadAll(db).Count);
        }
    }

    [Fact]
    public void A_second_open_of_the_same_directory_is_refused()
    {
        using var dir = new TempDirectory();
        using var db = TimeSeriesDb.Open(dir.Path);
        var e = Assert.Throws<IOException>(() => TimeSeriesDb.Open(dir.Path));
        Assert.Contains("is locked by another process", e.Message);
        Assert.Contains(dir.Path, e.Message);
    }

    [Fact]
    public void The_lock_is_released_on_dispose()
    {
        using var dir = new TempDirectory();
        TimeSeriesDb.Open(dir.Path).Dispose();
        using var again = TimeSeriesDb.Open(dir.Path);
        Assert.NotNull(again);
    }

    [Fact]
    public void A_torn_wal_tail_is_repaired_on_open_keeping_everything_before_it()
    {
        using var dir = new TempDirectory();
        using (var db = TimeSeriesDb.Open(dir.Path))
        {
            var r = SeriesRef.None;
            for (var batch = 0; batch < 5; batch++)
            {
                var app = db.Appender();
                app.Append(ref r, s_a, batch, batch);
                app.Commit();
            }
        }
        // Tear the last record: drop its final bytes.
        var segment = Directory.EnumerateFiles(Path.Combine(dir.Path, "wal")).Where(f => Path.GetFileName(f).All(char.IsAsciiDigit)).Max()!;
        var bytes = File.ReadAllBytes(segment);
        var end = bytes.Length;
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--; // past any zero padding of the page
        }
        File.WriteAllBytes(segment, bytes[..(end - 3)]);

        var warnings = new List<string>();
        using (var db = TimeSeriesDb.Open(dir.Path, new TsdbOptions { Warning = warnings.Add }))
        {
            Assert.Equal(1, db.LastReplay.RepairedCorruptions);
            Assert.NotEmpty(warnings);
            var got = HeadTests.ReadAll(db)[s_a];
            Assert.Equal([0L, 1, 2, 3], got.Select(s => s.TimestampMs));
            var app = db.Appender();
            var r = SeriesRef.None;
            Assert.Equal(AppendStatus.Ok, app.Append(ref r, s_a, 4, 4));
            app.Commit();
        }
        using (var db = TimeSeriesDb.Open(dir.Path))
        {
            Assert.Equal([0L, 1, 2, 3, 4], HeadTests.ReadAll(db)[s_a].Select(s => s.TimestampMs));
        }
    }
}
