using Vigil.Cli.Commands;

namespace Vigil.Cli.Tests.Commands;

public sealed class TsdbSeriesSelectorTests
{
    [Theory]
    [InlineData("up", "__name__=\"up\"")]
    [InlineData("  node:cpu_total  ", "__name__=\"node:cpu_total\"")]
    [InlineData("up{job=\"node\"}", "__name__=\"up\" job=\"node\"")]
    [InlineData("{job!=\"a\", instance=~'b.*' ,mode!~`x\\.y`}", "job!=\"a\" instance=~\"b.*\" mode!~\"x\\\\.y\"")]
    [InlineData("{a=\"q\\\"\\\\\\n\",}", "a=\"q\\\"\\\\\\n\"")]
    [InlineData("up { }", "__name__=\"up\"")]
    [InlineData("up{job=\"\"}", "__name__=\"up\" job=\"\"")]
    public void Valid_selectors_parse_to_matchers(string text, string expected)
    {
        Assert.True(TsdbSeriesSelector.TryParse(text, out var matchers, out var error), error);
        Assert.Equal(expected, string.Join(' ', matchers.Select(m => m.ToString())));
    }

    [Theory]
    [InlineData("", "column 1: unexpected end of input, expected metric name or '{'")]
    [InlineData("{}", "vector selector must contain at least one non-empty matcher")]
    [InlineData("{job=\"\"}", "vector selector must contain at least one non-empty matcher")]
    [InlineData("up{", "column 4: unexpected end of input, expected label name or '}'")]
    [InlineData("up{job}", "column 7: unexpected '}', expected one of '=', '!=', '=~', '!~' after label name")]
    [InlineData("up{job=node}", "column 8: unexpected 'n', expected quoted label value")]
    [InlineData("up{job=\"node}", "column 8: unterminated quoted string")]
    [InlineData("up{job=\"a\\qb\"}", "column 11: unexpected 'q', expected escape sequence")]
    [InlineData("up{job=\"a\" instance=\"b\"}", "column 12: unexpected 'i', expected ',' or '}'")]
    [InlineData("up{1a=\"b\"}", "column 4: unexpected '1', expected label name or '}'")]
    [InlineData("up}", "column 3: unexpected '}', expected end of selector")]
    [InlineData("up{a=~\"(\"}", "column 4: ")]
    public void Malformed_selectors_fail_with_the_column(string text, string expected)
    {
        Assert.False(TsdbSeriesSelector.TryParse(text, out _, out var error));
        Assert.StartsWith(expected, error);
    }
}
