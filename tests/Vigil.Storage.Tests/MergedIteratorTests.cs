using Vigil.Model;

namespace Vigil.Storage.Tests;

/// <summary>The merged iterator against a plain model: random parts (disjoint, overlapping, duplicate timestamps), Next and Seek mixed.</summary>
public sealed class MergedIteratorTests
{
    private static readonly Labels s_series = Labels.Of("__name__", "m");

    [Fact]
    public void Random_parts_merge_like_the_model()
    {
        var random = new Random(20261123);
        for (var round = 0; round < 300; round++)
        {
            var parts = random.Next(1, 6);
            var stores = new List<MemoryStorage>();
            var expected = new SortedDictionary<long, double>();
            long t = 0;
            for (var p = 0; p < parts; p++)
            {
                var store = new MemoryStorage();
                var app = store.Appender();
                var r = SeriesRef.None;
                // Mostly consecutive time ranges (like blocks), sometimes overlapping the previous part.
                t = random.Next(3) == 0 ? Math.Max(0, t - random.Next(0, 20)) : t;
                var count = random.Next(0, 30);
                for (var k = 0; k < count; k++)
                {
                    t += random.Next(1, 4);
                    var v = (p * 1000) + k;
                    app.Append(ref r, s_series, t, v);
                    expected.TryAdd(t, v); // the earliest-listed part wins a shared timestamp
                }
                app.Commit();
                stores.Add(store);
            }

            using var q = new MergeQuerier([.. stores.Select(s => s.Querier(long.MinValue, long.MaxValue))]);
            var set = q.Select(false, []);
            if (expected.Count == 0)
            {
                Assert.False(set.Next());
                continue;
            }
            Assert.True(set.Next());
            var it = set.At().Iterator();
            var model = expected.ToList();
            var index = -1;
            while (true)
            {
                bool has;
                if (random.Next(4) == 0)
                {
                    // Seek somewhere between here and a little past the end.
                    var target = (index < 0 ? model[0].Key : model[index].Key) + random.Next(-2, 8);
                    has = it.Seek(target);
                    var from = Math.Max(index, 0);
                    while (from < model.Count && model[from].Key < target)
                    {
                        from++;
                    }
                    if (index >= 0 && model[index].Key >= target)
                    {
                        from = index;
                    }
                    index = from;
                }
                else
                {
                    has = it.Next();
                    index++;
                }
                Assert.Equal(index < model.Count, has);
                if (!has)
                {
                    break;
                }
                Assert.Equal(model[index].Key, it.At().TimestampMs);
                Assert.Equal(model[index].Value, it.At().Value);
            }
        }
    }
}
