using Vigil.Model.Exposition;

namespace Vigil.Model.Tests.Exposition;

public sealed class ExpositionContentTypeTests
{
    [Theory]
    [InlineData(ExpositionContentType.ScrapeAccept, ExpositionFormat.OpenMetrics)]
    [InlineData("text/plain;version=0.0.4;q=0.5,application/openmetrics-text;version=0.0.1;q=0.75,*/*;q=0.1", ExpositionFormat.OpenMetrics)]
    [InlineData("text/plain", ExpositionFormat.PrometheusText)]
    [InlineData("text/plain;version=0.0.4", ExpositionFormat.PrometheusText)]
    [InlineData(null, ExpositionFormat.PrometheusText)]
    [InlineData("", ExpositionFormat.PrometheusText)]
    [InlineData("*/*", ExpositionFormat.PrometheusText)]
    [InlineData("application/json", ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text; version=0.0.1", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text; version=2.0.0", ExpositionFormat.PrometheusText)]
    [InlineData("text/plain;q=0.9,application/openmetrics-text;version=1.0.0", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text;version=1.0.0;q=0.4,text/plain;q=0.5", ExpositionFormat.PrometheusText)]
    [InlineData("text/plain;q=0.5,application/openmetrics-text;q=0.5", ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text;q=0.5,text/plain;q=0.5", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text;q=0,text/plain;q=0.1", ExpositionFormat.PrometheusText)]
    [InlineData("APPLICATION/OpenMetrics-Text; Version=\"1.0.0\"", ExpositionFormat.OpenMetrics)]
    public void Negotiate_picks_the_best_acceptable_format(string? accept, ExpositionFormat expected)
    {
        Assert.Equal(expected, ExpositionContentType.Negotiate(accept));
    }

    [Theory]
    [InlineData("application/openmetrics-text; version=1.0.0; charset=utf-8", ExpositionFormat.OpenMetrics)]
    [InlineData("text/plain; version=0.0.4", ExpositionFormat.PrometheusText)]
    [InlineData(null, ExpositionFormat.PrometheusText)]
    public void FromContentType(string? contentType, ExpositionFormat expected)
    {
        Assert.Equal(expected, ExpositionContentType.FromContentType(contentType));
        Assert.Equal(expected, ExpositionContentType.FromContentType(ExpositionContentType.Of(expected)));
    }
}
