using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;
using Vigil.PromQL.Functions;

namespace Vigil.PromQL.Tests.FunctionsTests;

/// <summary>
/// What the oracle files cannot say: execution errors (promtool only reports them; the texts below are the ones
/// promtool 2.42 printed), NaN results, result order, and the helpers the engine shares.
/// </summary>
public class FunctionCallTests
{
    private static readonly Labels s_metric = Labels.Of("__name__", "m", "job", "a");

    [Fact]
    public void Every_parser_function_has_an_implementation()
    {
        foreach (var f in Ast.Functions.All)
        {
            Assert.True(FunctionCalls.TryGet(f.Name, out _), f.Name);
        }
        Assert.False(FunctionCalls.TryGet("xrate", out _));
    }

    [Theory]
    [InlineData(1.0, 0.5, "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000")]
    [InlineData(0.5, double.NegativeInfinity, "invalid trend factor. Expected: 0 < tf < 1, got: -Inf")]
    [InlineData(0.0, 0.5, "invalid smoothing factor. Expected: 0 < sf < 1, got: 0.000000")]
    [InlineData(0.5, 1.25, "invalid trend factor. Expected: 0 < tf < 1, got: 1.250000")]
    public void Holt_winters_rejects_factors_outside_0_1(double sf, double tf, string message)
    {
        var e = Assert.Throws<QueryException>(() => CallRange("holt_winters", [1, 2, 3], Scalar(sf), Scalar(tf)));
        Assert.Equal(QueryErrorType.Execution, e.ErrorType);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Holt_winters_with_nan_factor_is_not_an_error()
    {
        // NaN fails both comparisons of the sanity check, as in Go.
        var result = CallRange("holt_winters", [1, 2, 3], Scalar(double.NaN), Scalar(0.5));
        Assert.True(double.IsNaN(Assert.Single(result).Value));
    }

    [Theory]
    [InlineData("dst", "(", "invalid regular expression in label_replace(): (")]
    [InlineData("dst", "(?P<x>q)(?<y>)", "invalid regular expression in label_replace(): (?P<x>q)(?<y>)")]
    [InlineData("dst", "a(?=b)", "invalid regular expression in label_replace(): a(?=b)")]
    [InlineData("1a", "(.*)", "invalid destination label name in label_replace(): 1a")]
    public void Label_replace_errors(string dst, string regex, string message)
    {
        var e = Assert.Throws<QueryException>(() => CallInstant("label_replace",
            [new Vector([new VectorSample(s_metric, 0, 1)])],
            [Sel(), Str(dst), Str("b"), Str("job"), Str(regex)]));
        Assert.Equal(QueryErrorType.Execution, e.ErrorType);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("a", "c-d", "invalid source label name in label_join(): c-d")]
    [InlineData("a-b", "c", "invalid destination label name in label_join(): a-b")]
    public void Label_join_errors(string dst, string src, string message)
    {
        var e = Assert.Throws<QueryException>(() => CallInstant("label_join",
            [new Vector([new VectorSample(s_metric, 0, 1)])],
            [Sel(), Str(dst), Str("b"), Str(src)]));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Label_replace_errors_even_on_an_empty_vector()
    {
        Assert.Throws<QueryException>(() => CallInstant("label_replace", [new Vector()],
            [Sel(), Str("dst"), Str("b"), Str("job"), Str("[")]));
    }

    [Theory]
    [InlineData("rate")]
    [InlineData("increase")]
    [InlineData("delta")]
    [InlineData("irate")]
    [InlineData("idelta")]
    [InlineData("deriv")]
    public void Range_functions_need_two_samples(string name)
    {
        Assert.Empty(CallRange(name, [5]));
    }

    [Fact]
    public void Irate_of_two_samples_at_the_same_time_is_nothing()
    {
        var points = new List<Sample> { new(60_000, 1), new(60_000, 2) };
        Assert.Empty(Call("irate", [new Matrix([new Series(s_metric, points)])], [Matrix(300_000)], 60_000));
    }

    [Fact]
    public void Sort_orders_ascending_with_nan_last_and_keeps_the_metric_name()
    {
        var result = CallInstant("sort", [Vec(3, 1, double.NaN, double.NegativeInfinity, 1)], [Sel()]);
        Assert.Equal([double.NegativeInfinity, 1, 1, 3, double.NaN], result.Select(s => s.Value));
        Assert.All(result, s => Assert.Equal("m", s.Metric.MetricName));
        // Ties keep their input order.
        Assert.Equal(["2", "5"], result.Skip(1).Take(2).Select(s => s.Metric.Get("i")));
    }

    [Fact]
    public void Sort_desc_orders_descending_with_nan_last()
    {
        var result = CallInstant("sort_desc", [Vec(3, double.NaN, 1, double.NegativeInfinity)], [Sel()]);
        Assert.Equal([3, 1, double.NegativeInfinity, double.NaN], result.Select(s => s.Value));
    }

    [Theory]
    [InlineData(0.5, new double[] { 3, 1, 2 }, 2)]
    [InlineData(0.25, new double[] { 1, 2, 3, 4, 5 }, 2)]
    [InlineData(0.9, new double[] { 10, 0 }, 9)]
    [InlineData(-0.1, new double[] { 1 }, double.NegativeInfinity)]
    [InlineData(1.1, new double[] { 1 }, double.PositiveInfinity)]
    [InlineData(double.NaN, new double[] { 1, 2 }, double.NaN)]
    [InlineData(0.5, new double[] { }, double.NaN)]
    [InlineData(0, new double[] { double.NaN, 1, 2 }, double.NaN)]
    [InlineData(1, new double[] { double.NaN, 1, 2 }, 2)]
    public void Quantile_interpolates_between_ranks(double q, double[] values, double expected)
    {
        Assert.Equal(expected, FunctionCalls.Quantile(q, [.. values]));
    }

    [Theory]
    [InlineData(double.NaN, double.NaN)]
    [InlineData(-1, double.NegativeInfinity)]
    [InlineData(2, double.PositiveInfinity)]
    [InlineData(0.5, 0.4)]
    public void Bucket_quantile_edges(double q, double expected)
    {
        List<FunctionCalls.Bucket> buckets = [new(double.PositiveInfinity, 50), new(0.1, 10), new(1, 45), new(0.5, 30)];
        Assert.Equal(expected, FunctionCalls.BucketQuantile(q, buckets));
    }

    [Fact]
    public void Histogram_quantile_drops_name_and_le_and_groups_by_the_rest()
    {
        var vec = new Vector([
            new VectorSample(Labels.Of("__name__", "h_bucket", "le", "1", "job", "a"), 0, 5),
            new VectorSample(Labels.Of("__name__", "h_bucket", "le", "+Inf", "job", "a"), 0, 10),
            new VectorSample(Labels.Of("__name__", "h_bucket", "le", "1", "job", "b"), 0, 10),
            new VectorSample(Labels.Of("__name__", "h_bucket", "le", "+Inf", "job", "b"), 0, 10),
            new VectorSample(Labels.Of("__name__", "h_bucket", "job", "c"), 0, 10),
        ]);
        var result = CallInstant("histogram_quantile", [Scalar(0.5), vec], [new NumberLiteral(0.5), Sel()]);
        Assert.Equal(2, result.Count);
        Assert.Equal(Labels.Of("job", "a"), result[0].Metric);
        Assert.Equal(1, result[0].Value);
        Assert.Equal(0.5, result[1].Value);
    }

    [Theory]
    [InlineData("histogram_count")]
    [InlineData("histogram_sum")]
    public void Native_histogram_functions_skip_float_samples(string name)
    {
        Assert.Empty(CallInstant(name, [Vec(1, 2)], [Sel()]));
    }

    [Fact]
    public void Absent_labels_come_from_single_equality_matchers()
    {
        var vs = new VectorSelector("x", [
            LabelMatcher.Create(LabelMatchType.Equal, "__name__", "x"),
            LabelMatcher.Create(LabelMatchType.Equal, "job", "api"),
            LabelMatcher.Create(LabelMatchType.Equal, "env", "a"),
            LabelMatcher.Create(LabelMatchType.Equal, "env", "b"),
            LabelMatcher.Create(LabelMatchType.Regex, "instance", "i.*"),
            LabelMatcher.Create(LabelMatchType.Equal, "instance", "i1"),
        ]);
        Assert.Equal(Labels.Of("job", "api"), FunctionCalls.LabelsForAbsent(vs));
        Assert.Equal(Labels.Of("job", "api"), FunctionCalls.LabelsForAbsent(new MatrixSelector(vs, 60_000)));
        Assert.Equal(Labels.Empty, FunctionCalls.LabelsForAbsent(new NumberLiteral(1)));
        var result = CallInstant("absent", [new Vector()], [vs]);
        Assert.Equal(Labels.Of("job", "api"), Assert.Single(result).Metric);
        Assert.Empty(CallInstant("absent", [Vec(1)], [vs]));
    }

    [Fact]
    public void Scalar_is_nan_unless_exactly_one_element()
    {
        Assert.True(double.IsNaN(Assert.Single(CallInstant("scalar", [Vec(1, 2)], [Sel()])).Value));
        Assert.True(double.IsNaN(Assert.Single(CallInstant("scalar", [new Vector()], [Sel()])).Value));
        Assert.Equal(7, Assert.Single(CallInstant("scalar", [Vec(7)], [Sel()])).Value);
    }

    [Theory]
    [InlineData("year", double.NaN, 292277026596)]
    [InlineData("year", -1e300, 292277026596)]
    [InlineData("month", 951782400, 2)]
    [InlineData("day_of_month", 951782400, 29)]
    [InlineData("days_in_month", 951782400, 29)]
    [InlineData("days_in_month", 4107456000, 28)]
    [InlineData("day_of_week", -1, 3)]
    [InlineData("day_of_year", 1735652220, 366)]
    public void Date_functions_follow_go_time(string name, double seconds, double expected)
    {
        Assert.Equal(expected, Assert.Single(CallInstant(name, [Vec(seconds)], [Sel()])).Value);
    }

    [Fact]
    public void Date_functions_without_argument_use_the_step_time()
    {
        // 2024-02-29T23:59:59.999Z: whole seconds, as Go's time.Unix(ts/1000, 0).
        var result = Call("day_of_month", [], [], 1_709_251_199_999);
        Assert.Equal(29, Assert.Single(result).Value);
        Assert.Equal(Labels.Empty, result[0].Metric);
    }

    [Fact]
    public void Timestamp_uses_the_samples_own_time()
    {
        var vec = new Vector([new VectorSample(s_metric, 1_500, 9)]);
        var result = Call("timestamp", [vec], [Sel()], 60_000);
        Assert.Equal(1.5, Assert.Single(result).Value);
        Assert.Equal(Labels.Of("job", "a"), result[0].Metric);
    }

    [Fact]
    public void Rate_uses_the_matrix_selector_range_and_offset()
    {
        // 0, 10, ..., 50 at 0..5m; rate over [5m] at 5m is exactly covered: 50 * (1/300).
        var points = new List<Sample>();
        for (var i = 0; i <= 5; i++)
        {
            points.Add(new Sample(i * 60_000L, i * 10));
        }
        var ms = Matrix(300_000);
        var result = Call("rate", [new Matrix([new Series(s_metric, points)])], [ms], 300_000);
        Assert.Equal(50 * (1.0 / 300), Assert.Single(result).Value);
        // The same samples seen through offset 1m at 6m.
        ms.Selector.OffsetMs = 60_000;
        result = Call("rate", [new Matrix([new Series(s_metric, points)])], [ms], 360_000);
        Assert.Equal(50 * (1.0 / 300), Assert.Single(result).Value);
    }

    [Theory]
    [InlineData(1000, 1.0)]
    [InlineData(1500, 1.5)]
    [InlineData(300_000, 300.0)]
    public void Duration_seconds_is_gos(long ms, double seconds)
    {
        Assert.Equal(seconds, FunctionCalls.DurationSeconds(ms));
    }

    private static VectorSelector Sel() => new("m", [LabelMatcher.Create(LabelMatchType.Equal, "__name__", "m")]);

    private static MatrixSelector Matrix(long rangeMs) => new(Sel(), rangeMs);

    private static StringLiteral Str(string s) => new(s);

    private static Vector Scalar(double v) => new([new VectorSample(Labels.Empty, 0, v)]);

    private static Vector Vec(params double[] values)
    {
        var samples = new List<VectorSample>();
        for (var i = 0; i < values.Length; i++)
        {
            samples.Add(new VectorSample(Labels.Of("__name__", "m", "i", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), 0, values[i]));
        }
        return new Vector(samples);
    }

    private static List<VectorSample> CallRange(string name, double[] values, params Vector[] scalars)
    {
        var points = new List<Sample>();
        for (var i = 0; i < values.Length; i++)
        {
            points.Add(new Sample(i * 60_000L, values[i]));
        }
        var t = (values.Length - 1) * 60_000L;
        QueryValue[] vals = [new Matrix([new Series(s_metric, points)]), .. scalars];
        var args = new List<Expr> { Matrix(600_000) };
        foreach (var s in scalars)
        {
            args.Add(new NumberLiteral(s.Samples[0].Value));
        }
        return Call(name, vals, args, t);
    }

    private static List<VectorSample> CallInstant(string name, QueryValue[] vals, IReadOnlyList<Expr> args) => Call(name, vals, args, 0);

    private static List<VectorSample> Call(string name, QueryValue[] vals, IReadOnlyList<Expr> args, long ts)
    {
        Assert.True(FunctionCalls.TryGet(name, out var f));
        var enh = new EvalNodeHelper { Ts = ts, Out = [] };
        return f(vals, args, enh);
    }
}
