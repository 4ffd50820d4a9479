using System.Globalization;
using Vigil.Model;
using Vigil.Rules.UnitTesting;

namespace Vigil.Rules.Tests.UnitTesting;

/// <summary>The expanding notation of input series, checked against what promtool 2.42 loads for the same text.</summary>
public sealed class SeriesNotationTests
{
    private static List<SequenceValue> Values(string values)
    {
        Assert.True(SeriesNotation.TryParseSeries($"m {values}", out _, out var parsed, out var error), error?.ToString());
        return parsed;
    }

    private static string Render(List<SequenceValue> values) => string.Join(" ", values.Select(v =>
        v.Omitted ? "_" : StaleMarker.IsStale(v.Value) ? "stale" : v.Value.ToString(CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("1 2 3", "1 2 3")]
    [InlineData("1+1x3", "1 2 3 4")]
    [InlineData("1-1x3", "1 0 -1 -2")]
    [InlineData("1x0", "1")]
    [InlineData("5x2", "5 5 5")]
    [InlineData("_", "_")]
    [InlineData("_x3 1", "_ _ _ 1")]
    [InlineData("_x0 1", "1")]
    [InlineData("_ _ 1", "_ _ 1")]
    [InlineData("1 stale 2", "1 stale 2")]
    [InlineData("-1 +1", "-1 1")]
    [InlineData("-1-1x2", "-1 -2 -3")]
    [InlineData("1e3 1E3 1e+3x1 1.5e-3", "1000 1000 1000 1000 0.0015")]
    [InlineData(".5x1 5.", "0.5 0.5 5")]
    [InlineData("1e2+1e1x2", "100 110 120")]
    [InlineData("1 +1x3", "1 1 1 1 1")]
    [InlineData("1+1x3 5 _x2 7", "1 2 3 4 5 _ _ 7")]
    [InlineData("  1   2  ", "1 2")]
    public void Expands_like_promtool(string values, string expected) => Assert.Equal(expected, Render(Values(values)));

    [Theory]
    [InlineData("010", 8)] // Go's ParseInt(s, 0, 64) first: a leading zero is octal
    [InlineData("0755x0", 493)]
    [InlineData("08", 8)] // not octal, so a float
    [InlineData("0x3", 0)] // no hex in series: 0 repeated 3 times
    public void Numbers_read_as_prometheus_reads_them(string values, double first) => Assert.Equal(first, Values(values)[0].Value);

    [Fact]
    public void Zero_x_three_is_four_zeros() => Assert.Equal("0 0 0 0", Render(Values("0x3")));

    [Fact]
    public void Special_values()
    {
        var v = Values("NaN nan Inf -Inf +Inf inf INF stale");
        Assert.True(double.IsNaN(v[0].Value) && !StaleMarker.IsStale(v[0].Value));
        Assert.True(double.IsNaN(v[1].Value));
        Assert.Equal(double.PositiveInfinity, v[2].Value);
        Assert.Equal(double.NegativeInfinity, v[3].Value);
        Assert.Equal(double.PositiveInfinity, v[4].Value);
        Assert.Equal(double.PositiveInfinity, v[5].Value);
        Assert.Equal(double.PositiveInfinity, v[6].Value);
        Assert.True(StaleMarker.IsStale(v[7].Value));
    }

    [Fact]
    public void Inf_can_take_a_step_but_not_a_bare_repetition() => Assert.Equal(4, Values("Inf+0x3").Count);

    // The messages and columns are promtool's (column counted in "SERIES VALUES", here after "m{a=\"b\"} ").
    [Theory]
    [InlineData("NaNx3", "1:10: parse error: unexpected identifier \"NaNx3\" in series values, expected number or \"stale\"")]
    [InlineData("stalex2", "1:10: parse error: unexpected identifier \"stalex2\" in series values, expected number or \"stale\"")]
    [InlineData("abc", "1:10: parse error: unexpected identifier \"abc\" in series values, expected number or \"stale\"")]
    [InlineData("-Infx2", "1:11: parse error: unexpected identifier \"Infx2\" in series values")]
    [InlineData("1x2.5", "1:12: parse error: invalid repetition in series values: strconv.ParseUint: parsing \"2.5\": invalid syntax")]
    [InlineData("1x", "1:12: parse error: unexpected end of input in series values")]
    [InlineData("1,2", "1:11: parse error: unexpected character in series sequence: ','")]
    [InlineData("1+-1x2", "1:12: parse error: unexpected <op:->")]
    [InlineData("1x-1", "1:12: parse error: unexpected <op:->")]
    [InlineData("1+1", "1:13: parse error: unexpected end of input in series values")]
    [InlineData("1 x3", "1:12: parse error: unexpected \"x\"")]
    [InlineData("1.2.3", "1:13: parse error: unexpected number \".3\"")]
    [InlineData("1e", "1:10: parse error: error parsing number: strconv.ParseFloat: parsing \"1e\": invalid syntax")]
    [InlineData("1ee", "1:10: parse error: bad number syntax: \"1e\"")]
    [InlineData("1_000", "1:10: parse error: bad number syntax: \"1\"")]
    [InlineData("1 2 x", "1:14: parse error: unexpected \"x\"")]
    public void Errors_say_where_and_why_like_promtool(string values, string expected)
    {
        Assert.False(SeriesNotation.TryParseSeries($"m{{a=\"b\"}} {values}", out _, out _, out var error));
        Assert.Equal(expected, error!.ToString());
    }

    [Theory]
    [InlineData("m{a=\"b\"", "1:8: parse error: unexpected end of input inside braces")]
    [InlineData("m{a=\"b\" ", "1:8: parse error: unexpected end of input inside braces")]
    [InlineData("m{a=\"b\" 1 2", "1:9: parse error: unexpected character inside braces: '1'")]
    public void Label_set_errors(string text, string expected)
    {
        Assert.False(SeriesNotation.TryParseSeries(text, out _, out _, out var error));
        Assert.Equal(expected, error!.ToString());
    }

    [Theory]
    [InlineData("m", "{__name__=\"m\"}")]
    [InlineData("{}", "{}")]
    [InlineData("", "{}")]
    [InlineData("  ", "{}")]
    [InlineData("{a=\"b\"}", "{a=\"b\"}")]
    [InlineData("m{b=\"2\", a='1', c=`x\\y`,}", "{__name__=\"m\", a=\"1\", b=\"2\", c=\"x\\\\y\"}")]
    [InlineData("{__name__=\"m\"}", "{__name__=\"m\"}")]
    [InlineData("m{__name__=\"n\"}", "{__name__=\"m\"}")] // the identifier wins, as in Prometheus
    [InlineData("m{a=\"\\\"q\\\"\\n\\u00e9\\x41\\101\"}", "{__name__=\"m\", a=\"\\\"q\\\"\\néAA\"}")]
    [InlineData("m{a=\"b\",c=\"\"}", "{__name__=\"m\", a=\"b\"}")] // an empty value is no label
    [InlineData("ns:m_total:rate5m{a=\"b\"}", "{__name__=\"ns:m_total:rate5m\", a=\"b\"}")]
    public void Metrics_parse_to_label_sets(string text, string expected)
    {
        Assert.True(SeriesNotation.TryParseMetric(text, out var labels, out var error), error?.ToString());
        Assert.Equal(expected, labels.ToString());
    }

    [Theory]
    [InlineData("m{", "1:3: parse error: unexpected end of input inside braces")]
    [InlineData("m{a=~\"b\"}", "1:4: parse error: unexpected <op:=~> in label set, expected \"=\"")]
    [InlineData("m{a=\"b\"} x", "1:10: parse error: unexpected character 'x'")]
    [InlineData("m{a=\"b}", "1:8: parse error: unterminated quoted string")]
    public void Metric_errors(string text, string expected)
    {
        Assert.False(SeriesNotation.TryParseMetric(text, out _, out var error));
        Assert.Equal(expected, error!.ToString());
    }

    [Fact]
    public void Series_without_values_is_fine() => Assert.Empty(Values(""));

    [Fact]
    public void Labels_come_out_sorted_with_the_name()
    {
        Assert.True(SeriesNotation.TryParseSeries("up{job=\"a\", instance=\"x\"} 1", out var labels, out _, out _));
        Assert.Equal(Labels.Of("__name__", "up", "instance", "x", "job", "a"), labels);
    }
}
