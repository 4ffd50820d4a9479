using Vigil.Model;

namespace Vigil.Model.Tests.Units;

public sealed class PromDurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("1s", 1000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("15d", 15L * 86_400_000)]
    [InlineData("2w", 14L * 86_400_000)]
    [InlineData("1y", 365L * 86_400_000)]
    [InlineData("1y2w3d4h5m6s7ms", (365L + 14 + 3) * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6_000 + 7)]
    public void Parses_valid_durations(string text, long ms)
    {
        Assert.True(PromDuration.TryParse(text, out var d, out var error), error);
        Assert.Equal(ms, (long)d.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]          // a unit is required except for a bare 0
    [InlineData("1.5h")]       // no fractions
    [InlineData("30m1h")]      // units in descending order only
    [InlineData("1h1h")]       // each unit once
    [InlineData("-1h")]
    [InlineData("1H")]
    [InlineData("1 h")]
    [InlineData("h")]
    [InlineData("99999999999999999999y")]
    public void Rejects_invalid_durations(string text)
    {
        Assert.False(PromDuration.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<FormatException>(() => PromDuration.Parse(text));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(15L * 86_400_000, "15d")]
    [InlineData(14L * 86_400_000, "2w")]
    [InlineData(90L * 86_400_000, "90d")]     // not 12w6d: weeks only when exact
    [InlineData(365L * 86_400_000, "1y")]
    [InlineData(366L * 86_400_000, "366d")]   // years only when exact
    [InlineData(1_500, "1s500ms")]
    public void Formats_like_model_Duration_String(long ms, string expected)
        => Assert.Equal(expected, PromDuration.Format(TimeSpan.FromMilliseconds(ms)));
}
