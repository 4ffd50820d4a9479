using Vigil.PromQL.Parser;

namespace Vigil.PromQL.Tests.Parser;

/// <summary>Vigil's parser and printer against what Prometheus 2.42 answered for the same text (see record-golden.sh).</summary>
public sealed class GoldenTests
{
    public static TheoryData<int> ExprIndexes() => Indexes(GoldenCases.Exprs.Count);

    public static TheoryData<int> SelectorIndexes() => Indexes(GoldenCases.Selectors.Count);

    private static TheoryData<int> Indexes(int count)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < count; i++)
        {
            data.Add(i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ExprIndexes))]
    public void Expression_prints_or_fails_like_prometheus(int index)
    {
        var c = GoldenCases.Exprs[index];
        if (c.Printed is not null)
        {
            var expr = Parse(c.Query);
            Assert.Equal(c.Printed, expr.ToString());
        }
        else
        {
            var e = Assert.Throws<ParseException>(() => PromQLParser.ParseExpr(c.Query));
            Assert.Equal(c.Error, e.Message);
        }
    }

    [Theory]
    [MemberData(nameof(SelectorIndexes))]
    public void Series_selector_parses_or_fails_like_prometheus(int index)
    {
        var c = GoldenCases.Selectors[index];
        if (c.Error is null)
        {
            try
            {
                PromQLParser.ParseMetricSelector(c.Query);
            }
            catch (ParseException e)
            {
                Assert.Fail($"{c.Query}: {e.Message}");
            }
        }
        else
        {
            var e = Assert.Throws<ParseException>(() => PromQLParser.ParseMetricSelector(c.Query));
            Assert.Equal(c.Error, e.Message);
        }
    }

    [Fact]
    public void Goldens_cover_enough_valid_and_invalid_queries()
    {
        Assert.True(GoldenCases.Exprs.Count(c => c.Printed is not null) >= 150);
        Assert.True(GoldenCases.Exprs.Count(c => c.Error is not null) >= 100);
    }

    private static Vigil.PromQL.Ast.Expr Parse(string query)
    {
        try
        {
            return PromQLParser.ParseExpr(query);
        }
        catch (ParseException e)
        {
            throw new Xunit.Sdk.XunitException($"{query}: {e.Message}");
        }
    }
}
