using Vigil.Model;
using Vigil.Rules.UnitTesting;

namespace Vigil.Rules.Tests.UnitTesting;

/// <summary>promtool's comparison: exact values (-0 is 0, NaN matches nothing), order ignored, labels as sets.</summary>
public sealed class ComparisonTests
{
    private static bool Equal((Labels, double)[] expected, (Labels, double)[] got)
        => ResultSample.SetsEqual([.. expected.Select(s => new ResultSample(s.Item1, s.Item2))], [.. got.Select(s => new ResultSample(s.Item1, s.Item2))]);

    private static readonly Labels s_a = Labels.Of("a", "1");
    private static readonly Labels s_b = Labels.Of("a", "2");

    [Fact]
    public void Negative_zero_equals_zero() => Assert.True(Equal([(s_a, 0.0)], [(s_a, -0.0)]));

    [Fact]
    public void NaN_never_matches() => Assert.False(Equal([(s_a, double.NaN)], [(s_a, double.NaN)]));

    [Fact]
    public void Infinities_match_themselves() => Assert.True(Equal([(s_a, double.PositiveInfinity), (s_b, double.NegativeInfinity)], [(s_b, double.NegativeInfinity), (s_a, double.PositiveInfinity)]));

    [Fact]
    public void Order_is_ignored() => Assert.True(Equal([(s_a, 1), (s_b, 2)], [(s_b, 2), (s_a, 1)]));

    [Fact]
    public void Values_are_exact() => Assert.False(Equal([(s_a, 0.3)], [(s_a, 0.1 + 0.2)]));

    [Fact]
    public void Labels_must_be_the_same_set() => Assert.False(Equal([(s_a, 1)], [(Labels.Of("a", "1", "b", "2"), 1)]));

    [Fact]
    public void The_metric_name_is_a_label() => Assert.False(Equal([(s_a, 1)], [(Labels.Of("__name__", "m", "a", "1"), 1)]));

    [Fact]
    public void Counts_must_match() => Assert.False(Equal([(s_a, 1)], [(s_a, 1), (s_b, 2)]));

    [Fact]
    public void Nothing_equals_nothing() => Assert.True(Equal([], []));

    [Fact]
    public void Report_lists_in_label_order()
    {
        List<ResultSample> samples = [new(s_b, 2), new(Labels.Empty, 0.5), new(s_a, 1.0 / 3)];
        Assert.Equal("{} 5E-01, {a=\"1\"} 3.333333333333333E-01, {a=\"2\"} 2E+00", ResultSample.Format(samples));
        Assert.Equal("nil", ResultSample.Format([]));
    }
}
