using System.Diagnostics.Metrics;
using Vigil.Instrumentation.Bridge;

namespace Vigil.Instrumentation.Tests.Bridge;

public sealed class HistogramTests
{
    [Theory]
    [InlineData(-5, 0)]
    [InlineData(0, 0)]
    [InlineData(1, 0)] // on the bound: le is "less than or equal"
    [InlineData(1.0000001, 1)]
    [InlineData(2, 1)]
    [InlineData(4, 2)]
    [InlineData(4.5, 3)]
    [InlineData(double.PositiveInfinity, 3)]
    public void A_value_falls_in_the_first_bucket_whose_bound_is_not_below_it(double value, int expected)
        => Assert.Equal(expected, Series.BucketIndex([1, 2, 4], value));

    [Fact]
    public void Bucket_search_agrees_with_a_linear_scan_for_long_bound_lists()
    {
        var bounds = Enumerable.Range(1, 40).Select(i => i * 0.5).ToArray();
        for (var v = -1.0; v <= 22; v += 0.25)
        {
            var linear = Array.FindIndex(bounds, b => v <= b);
            Assert.Equal(linear < 0 ? bounds.Length : linear, Series.BucketIndex(bounds, v));
        }
    }

    [Fact]
    public void Buckets_are_cumulative_and_end_with_inf_equal_to_count()
    {
        using var meters = new TestMeters();
        var histogram = meters.CreateMeter().CreateHistogram<double>("wait", "s");
        double[] values = [0.001, 0.005, 0.007, 0.02, 0.3, 0.3, 7, 11, 60];
        foreach (var v in values)
        {
            histogram.Record(v);
        }

        var text = meters.Scrape();
        double[] expected = [2, 3, 4, 4, 4, 4, 6, 6, 6, 6, 7, 9];
        string[] le = [".005", ".01", ".025", ".05", ".1", ".25", ".5", "1", "2.5", "5", "10", "+Inf"];
        var actual = le.Select(l => MetricsText.Require(text, $"wait_seconds_bucket{{le=\"{(l[0] == '.' ? "0" + l : l)}\"}}")).ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(values.Length, MetricsText.Require(text, "wait_seconds_count"));
        Assert.Equal(values.Sum(), MetricsText.Require(text, "wait_seconds_sum"), 9);
    }

    [Fact]
    public void Histograms_use_the_bounds_the_instrument_advises()
    {
        using var meters = new TestMeters();
        var histogram = meters.CreateMeter().CreateHistogram<int>(
            "payload", "By", null, null, new InstrumentAdvice<int> { HistogramBucketBoundaries = [100, 1000] });
        histogram.Record(50);
        histogram.Record(500);

        Assert.Equal(
            ["payload_bytes_bucket{le=\"100\"} 1", "payload_bytes_bucket{le=\"1000\"} 2", "payload_bytes_bucket{le=\"+Inf\"} 2"],
            MetricsText.Samples(meters.Scrape(), "payload_bytes_bucket"));
    }

    [Fact]
    public void A_millisecond_histogram_is_exported_in_seconds_with_its_advised_bounds_converted()
    {
        using var meters = new TestMeters();
        var histogram = meters.CreateMeter().CreateHistogram<double>(
            "db.query.time", "ms", null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [10, 100] });
        histogram.Record(10);
        histogram.Record(50);
        histogram.Record(500);

        var text = meters.Scrape();
        Assert.Equal(
            ["db_query_time_seconds_bucket{le=\"0.01\"} 1", "db_query_time_seconds_bucket{le=\"0.1\"} 2", "db_query_time_seconds_bucket{le=\"+Inf\"} 3"],
            MetricsText.Samples(text, "db_query_time_seconds_bucket"));
        Assert.Equal(0.56, MetricsText.Require(text, "db_query_time_seconds_sum"), 12);
    }

    [Fact]
    public void A_millisecond_histogram_without_advice_falls_into_the_default_second_buckets()
    {
        using var meters = new TestMeters();
        meters.CreateMeter().CreateHistogram<double>("render", "ms").Record(30);

        var text = meters.Scrape();
        Assert.Equal(0, MetricsText.Require(text, "render_seconds_bucket{le=\"0.025\"}"));
        Assert.Equal(1, MetricsText.Require(text, "render_seconds_bucket{le=\"0.05\"}"));
    }

    [Fact]
    public void Without_base_unit_conversion_values_stay_in_the_instrument_unit()
    {
        using var meters = new TestMeters(buckets: [10, 100], convertToBaseUnits: false);
        meters.CreateMeter().CreateHistogram<double>("render", "ms").Record(30);

        var text = meters.Scrape();
        Assert.Equal(1, MetricsText.Require(text, "render_milliseconds_bucket{le=\"100\"}"));
        Assert.Equal(30, MetricsText.Require(text, "render_milliseconds_sum"));
    }

    [Fact]
    public void NaN_observations_are_dropped_and_infinite_ones_land_in_inf()
    {
        using var meters = new TestMeters(buckets: [1]);
        var histogram = meters.CreateMeter().CreateHistogram<double>("h");
        histogram.Record(double.NaN);
        histogram.Record(double.PositiveInfinity);

        var text = meters.Scrape();
        Assert.Equal(0, MetricsText.Require(text, "h_bucket{le=\"1\"}"));
        Assert.Equal(1, MetricsText.Require(text, "h_bucket{le=\"+Inf\"}"));
        Assert.Equal(1, MetricsText.Require(text, "h_count"));
    }
}
