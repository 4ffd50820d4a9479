using Vigil.Model.Exposition;

namespace Vigil.Model.Tests.Exposition;

public sealed class ParserAllocationTests
{
    // The re-scrape path: a scrape cache keyed by raw series bytes reads only series, value and timestamp.
    [Theory]
    [InlineData(ExpositionFormat.PrometheusText)]
    [InlineData(ExpositionFormat.OpenMetrics)]
    public void Second_pass_reading_series_value_and_timestamp_allocates_nothing(ExpositionFormat format)
    {
        var body = SampleBodies.Generate(1000, format);
        var first = Scan(body, format);
        Assert.True(first.Series >= 1000, $"{first.Series} series");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var second = Scan(body, format);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(first, second);
        Assert.Equal(0, allocated);
    }

    private static (int Series, long Checksum) Scan(byte[] body, ExpositionFormat format)
    {
        var parser = new ExpositionParser(body, format);
        var series = 0;
        long checksum = 0;
        while (true)
        {
            switch (parser.Next())
            {
                case ExpositionEntry.Series:
                    series++;
                    checksum += parser.Series.Length + parser.Series[^1] + (long)(parser.Value % 1000) + (parser.TimestampMs ?? 0);
                    break;
                case ExpositionEntry.Eof:
                    return (series, checksum);
                case ExpositionEntry.Error:
                    parser.ThrowIfError();
                    break;
                default:
                    break;
            }
        }
    }
}
