using Vigil.Model;

namespace Vigil.Storage.Tests;

public sealed class MergeQuerierTests
{
    private static MemoryStorage Store(params (Labels Labels, long T, double V)[] samples)
    {
        var s = new MemoryStorage();
        var app = s.Appender();
        foreach (var (l, t, v) in samples)
        {
            var r = SeriesRef.None;
            Assert.Equal(AppendStatus.Ok, app.Append(ref r, l, t, v));
        }
        app.Commit();
        return s;
    }

    private static readonly Labels s_a = Labels.Of("__name__", "m", "i", "a");
    private static readonly Labels s_b = Labels.Of("__name__", "m", "i", "b");
    private static readonly Labels s_c = Labels.Of("__name__", "m", "i", "c");

    [Fact]
    public void Merges_series_by_labels_in_order_and_samples_by_time()
    {
        var older = Store((s_a, 1, 1), (s_a, 2, 2), (s_c, 1, 10));
        var newer = Store((s_a, 2, 99), (s_a, 3, 3), (s_b, 5, 5));
        using var q = new MergeQuerier([older.Querier(0, 100), newer.Querier(0, 100)]);
        var set = q.Select(false, []);
        var seen = new List<(Labels, List<Sample>)>();
        while (set.Next())
        {
            var list = new List<Sample>();
            var it = set.At().Iterator();
            while (it.Next())
            {
                list.Add(it.At());
            }
            seen.Add((set.At().Labels, list));
        }
        Assert.Equal([s_a, s_b, s_c], seen.Select(s => s.Item1));
        // t=2 exists in both: returned once, from the first (older) source.
        Assert.Equal([new Sample(1, 1), new Sample(2, 2), new Sample(3, 3)], seen[0].Item2);
        Assert.Equal([new Sample(5, 5)], seen[1].Item2);
        Assert.Equal(["a", "b", "c"], q.LabelValues("i", []));
    }

    [Fact]
    public void Seek_on_a_merged_series()
    {
        var one = Store((s_a, 1, 1), (s_a, 4, 4));
        var two = Store((s_a, 2, 2), (s_a, 6, 6));
        using var q = new MergeQuerier([one.Querier(0, 100), two.Querier(0, 100)]);
        var set = q.Select(true, []);
        Assert.True(set.Next());
        var it = set.At().Iterator();
        Assert.True(it.Seek(3));
        Assert.Equal(new Sample(4, 4), it.At());
        Assert.True(it.Seek(4));
        Assert.Equal(new Sample(4, 4), it.At());
        Assert.True(it.Next());
        Assert.Equal(new Sample(6, 6), it.At());
        Assert.False(it.Next());
        Assert.False(set.Next());
    }
}
