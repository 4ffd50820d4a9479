using System.Globalization;
using System.Text;
using Vigil.Model;
using Vigil.Model.Exposition;
using Vigil.ScrapeCompare.Load;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Bench;

/// <summary>
/// The scrape benchmark's load generator (<c>bench/scrape-compare/Load/LoadTarget</c>) must expose what a real exporter
/// would: its text 0.0.4 body passes the real <c>promtool check metrics</c> (Prometheus 2.42) without a lint complaint,
/// its OpenMetrics body holds the same series, and values move on from scrape to scrape as counters and histograms must.
/// </summary>
public sealed class ScrapeLoadFormatTests
{
    [Theory]
    [InlineData(2000)]
    [InlineData(137)]
    public async Task Text_body_passes_promtool_check_metrics_without_lint_complaints(int series)
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var target = new LoadTarget(3, series);
        var body = new BodyBuffer();
        target.Render(body, openMetrics: false, elapsedSeconds: 10);
        target.Render(body, openMetrics: false, elapsedSeconds: 10);
        var text = Encoding.UTF8.GetString(body.Span);

        var result = await ExternalTool.RunAsync(promtool, ["check", "metrics"], stdin: text);

        Assert.True(result.ExitCode == 0 && result.Output.Trim().Length == 0, $"promtool check metrics said (exit {result.ExitCode}):\n{result.Output}\n--- body (start) ---\n{text[..Math.Min(text.Length, 3000)]}");
        Assert.Equal(series, target.SeriesCount);
        Assert.Equal(series, Samples(body.Span, ExpositionFormat.PrometheusText).Count);
    }

    [Fact]
    public void OpenMetrics_body_has_the_same_series_and_families_as_text()
    {
        var target = new LoadTarget(7, 2000);
        var body = new BodyBuffer();
        target.Render(body, openMetrics: false, elapsedSeconds: 10);
        var text = ExpositionReader.ReadFamilies(body.Span, ExpositionFormat.PrometheusText);
        target.Render(body, openMetrics: true, elapsedSeconds: 10);
        Assert.EndsWith("# EOF\n", Encoding.UTF8.GetString(body.Span), StringComparison.Ordinal);
        var om = ExpositionReader.ReadFamilies(body.Span, ExpositionFormat.OpenMetrics);

        Assert.Equal(text.Count, om.Count);
        for (var i = 0; i < text.Count; i++)
        {
            Assert.Equal(text[i].Type, om[i].Type);
            Assert.Equal(text[i].Samples.Count, om[i].Samples.Count);
            for (var j = 0; j < text[i].Samples.Count; j++)
            {
                var t = text[i].Samples[j].Labels;
                var o = om[i].Samples[j].Labels;
                // Only le may be spelled differently ("1" in text, "1.0" in OpenMetrics, as client_golang writes them).
                Assert.Equal(t.Count, o.Count);
                Assert.Equal(Without(t, "le"), Without(o, "le"));
                if (t.Has("le"))
                {
                    Assert.Equal(Le(t.Get("le")), Le(o.Get("le")));
                }
            }
        }
    }

    [Fact]
    public void Values_advance_every_scrape_counters_never_decrease_and_histograms_stay_consistent()
    {
        var target = new LoadTarget(11, 2000);
        var body = new BodyBuffer();
        target.Render(body, openMetrics: false, elapsedSeconds: 10);
        var before = Samples(body.Span, ExpositionFormat.PrometheusText);
        target.Render(body, openMetrics: false, elapsedSeconds: 10);
        var families = ExpositionReader.ReadFamilies(body.Span, ExpositionFormat.PrometheusText);
        var after = Samples(body.Span, ExpositionFormat.PrometheusText);

        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        var changed = 0;
        foreach (var f in families)
        {
            foreach (var s in f.Samples)
            {
                var key = s.Labels.ToString();
                changed += before[key] != after[key] ? 1 : 0;
                if (f.Type is MetricType.Counter or MetricType.Histogram)
                {
                    Assert.True(after[key] >= before[key], $"{key} went down: {before[key]} -> {after[key]}");
                }
            }
            if (f.Type == MetricType.Histogram)
            {
                // Buckets cumulative and the +Inf bucket equal to _count, per label set.
                double previous = 0;
                foreach (var s in f.Samples)
                {
                    if (s.MetricName.EndsWith("_bucket", StringComparison.Ordinal))
                    {
                        Assert.True(s.Value >= previous, $"{s.Labels} is below the bucket before it");
                        previous = s.Labels.Get("le") == "+Inf" ? 0 : s.Value;
                        if (s.Labels.Get("le") == "+Inf")
                        {
                            var count = new LabelsBuilder(s.Labels).Remove("le").Set(Label.MetricName, s.MetricName[..^"_bucket".Length] + "_count").ToLabels().ToString();
                            Assert.Equal(s.Value, after[count]);
                        }
                    }
                }
            }
        }
        // Most series move every scrape (constants, slow counters and clamped gauges may not).
        Assert.True(changed > after.Count / 2, $"only {changed} of {after.Count} series changed");
    }

    private static double Le(string value) => value == "+Inf" ? double.PositiveInfinity : double.Parse(value, CultureInfo.InvariantCulture);

    private static Labels Without(Labels labels, string name) => new LabelsBuilder(labels).Remove(name).ToLabels();

    private static Dictionary<string, double> Samples(ReadOnlySpan<byte> body, ExpositionFormat format)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var f in ExpositionReader.ReadFamilies(body, format))
        {
            foreach (var s in f.Samples)
            {
                Assert.True(samples.TryAdd(s.Labels.ToString(), s.Value), $"duplicate series {s.Labels}");
            }
        }
        return samples;
    }
}
