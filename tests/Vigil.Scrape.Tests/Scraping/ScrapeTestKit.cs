using Vigil.Model;
using Vigil.Scrape.Scraping;
using Vigil.Storage;

namespace Vigil.Scrape.Tests.Scraping;

/// <summary>Targets, loops and storage reads shared by the scrape tests.</summary>
internal static class ScrapeTestKit
{
    private static readonly HttpClient s_client = ScrapePool.CreateClient(new ScrapePoolOptions());

    /// <summary>The labels relabeling would leave for a target at <paramref name="url"/>.</summary>
    public static Labels LabelsFor(Uri url, string job = "test", params string[] extra)
    {
        var b = new LabelsBuilder(Labels.Of(
            "job", job,
            "instance", url.Authority,
            ScrapeLabels.Address, url.Authority,
            ScrapeLabels.Scheme, url.Scheme,
            ScrapeLabels.MetricsPath, url.AbsolutePath));
        for (var i = 0; i < extra.Length; i += 2)
        {
            b.Set(extra[i], extra[i + 1]);
        }
        return b.ToLabels();
    }

    public static ScrapeTarget Target(Uri url, string job = "test") => new()
    {
        Labels = LabelsFor(url, job),
        Url = url,
        Interval = TimeSpan.FromSeconds(10),
        Timeout = TimeSpan.FromSeconds(5),
    };

    public static ScrapeLoop Loop(ScrapeTarget target, IAppendable storage, TimeProvider? time = null, ScrapeStats? stats = null)
        => new("test", target, s_client, storage, time ?? TimeProvider.System, stats ?? new ScrapeStats(), 0, "Vigil/test");

    /// <summary>Every series in <paramref name="storage"/> with its samples.</summary>
    public static Dictionary<Labels, List<Sample>> All(IQueryableStorage storage)
    {
        var result = new Dictionary<Labels, List<Sample>>();
        using var q = storage.Querier(long.MinValue, long.MaxValue);
        var set = q.Select(false, [LabelMatcher.Create(LabelMatchType.Regex, Label.MetricName, ".+")]);
        while (set.Next())
        {
            var series = set.At();
            var samples = new List<Sample>();
            var it = series.Iterator();
            while (it.Next())
            {
                samples.Add(it.At());
            }
            result[series.Labels] = samples;
        }
        return result;
    }

    /// <summary>The samples of the one series named <paramref name="metric"/> matching the given label values.</summary>
    public static List<Sample> Samples(IQueryableStorage storage, string metric, params string[] labelValues)
    {
        var matchers = new List<LabelMatcher> { LabelMatcher.Create(LabelMatchType.Equal, Label.MetricName, metric) };
        for (var i = 0; i < labelValues.Length; i += 2)
        {
            matchers.Add(LabelMatcher.Create(LabelMatchType.Equal, labelValues[i], labelValues[i + 1]));
        }
        using var q = storage.Querier(long.MinValue, long.MaxValue);
        var set = q.Select(false, matchers);
        var samples = new List<Sample>();
        var count = 0;
        while (set.Next())
        {
            count++;
            var it = set.At().Iterator();
            while (it.Next())
            {
                samples.Add(it.At());
            }
        }
        Assert.True(count <= 1, $"{count} series match {metric}");
        return samples;
    }

    /// <summary>The last value of a series, or null when it has none.</summary>
    public static double? Last(IQueryableStorage storage, string metric, params string[] labelValues)
    {
        var samples = Samples(storage, metric, labelValues);
        return samples.Count == 0 ? null : samples[^1].Value;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the time is up.</summary>
    public static async Task Eventually(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("timed out waiting for " + what);
            }
            await Task.Delay(20);
        }
    }
}
