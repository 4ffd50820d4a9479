using Vigil.Model;

namespace Vigil.Storage.Tests;

public sealed class MemoryStorageTests
{
    private static readonly Labels s_up = Labels.Of("__name__", "up", "job", "a");
    private static readonly Labels s_down = Labels.Of("__name__", "down", "job", "b");

    [Fact]
    public void Appends_are_invisible_until_commit_and_gone_after_rollback()
    {
        var storage = new MemoryStorage();
        var app = storage.Appender();
        var r = SeriesRef.None;
        Assert.Equal(AppendStatus.Ok, app.Append(ref r, s_up, 1000, 1));
        Assert.True(r.IsSet);
        Assert.Empty(Read(storage, []));
        app.Commit();
        Assert.Single(Read(storage, []));

        var app2 = storage.Appender();
        app2.Append(ref r, null, 2000, 2);
        app2.Rollback();
        Assert.Equal([new Sample(1000, 1)], Read(storage, [])[s_up]);
    }

    [Fact]
    public void Rejects_out_of_order_and_duplicate_timestamps_per_sample()
    {
        var storage = new MemoryStorage();
        var app = storage.Appender();
        var r = SeriesRef.None;
        Assert.Equal(AppendStatus.Ok, app.Append(ref r, s_up, 2000, 1));
        Assert.Equal(AppendStatus.OutOfOrder, app.Append(ref r, s_up, 1000, 1));
        app.Commit();
        app = storage.Appender();
        Assert.Equal(AppendStatus.Ok, app.Append(ref r, s_up, 2000, 1)); // exact duplicate: accepted, ignored
        Assert.Equal(AppendStatus.DuplicateTimestamp, app.Append(ref r, s_up, 2000, 5));
        var fresh = SeriesRef.None;
        Assert.Equal(AppendStatus.InvalidLabels, app.Append(ref fresh, Labels.Of("job", "x"), 3000, 1));
        app.Commit();
        Assert.Equal([new Sample(2000, 1)], Read(storage, [])[s_up]);
    }

    [Fact]
    public void Select_filters_by_matchers_and_time_and_sorts()
    {
        var storage = new MemoryStorage();
        var app = storage.Appender();
        var a = SeriesRef.None;
        var b = SeriesRef.None;
        for (var t = 0; t < 10; t++)
        {
            app.Append(ref a, s_up, t * 1000, t);
            app.Append(ref b, s_down, t * 1000, -t);
        }
        app.Commit();
        using var q = storage.Querier(2000, 4000);
        var set = q.Select(true, [LabelMatcher.Create(LabelMatchType.Regex, "job", "a|b")]);
        Assert.True(set.Next());
        Assert.Equal(s_down, set.At().Labels); // "down" < "up"
        Assert.True(set.Next());
        var it = set.At().Iterator();
        Assert.True(it.Seek(3000));
        Assert.Equal(new Sample(3000, 3), it.At());
        Assert.True(it.Next());
        Assert.Equal(new Sample(4000, 4), it.At());
        Assert.False(it.Next());
        Assert.False(it.Next());
        Assert.False(set.Next());
        Assert.Equal(["__name__", "job"], q.LabelNames([]));
        Assert.Equal(["a"], q.LabelValues("job", [LabelMatcher.Create(LabelMatchType.Equal, "__name__", "up")]));
    }

    [Fact]
    public void Stale_marker_bits_survive()
    {
        var storage = new MemoryStorage();
        var app = storage.Appender();
        var r = SeriesRef.None;
        app.Append(ref r, s_up, 1, StaleMarker.Value);
        app.Commit();
        Assert.True(StaleMarker.IsStale(Read(storage, [])[s_up][0].Value));
    }

    private static Dictionary<Labels, List<Sample>> Read(MemoryStorage storage, IReadOnlyList<LabelMatcher> matchers)
    {
        using var q = storage.Querier(long.MinValue, long.MaxValue);
        var set = q.Select(false, matchers);
        var result = new Dictionary<Labels, List<Sample>>();
        while (set.Next())
        {
            var samples = new List<Sample>();
            var it = set.At().Iterator();
            while (it.Next())
            {
                samples.Add(it.At());
            }
            result[set.At().Labels] = samples;
        }
        return result;
    }
}
