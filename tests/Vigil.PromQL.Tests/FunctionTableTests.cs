using Vigil.PromQL.Ast;

namespace Vigil.PromQL.Tests;

public class FunctionTableTests
{
    [Theory]
    [InlineData("round", 1, 2)]
    [InlineData("label_join", 3, int.MaxValue)]
    [InlineData("day_of_month", 0, 1)]
    [InlineData("clamp", 3, 3)]
    [InlineData("time", 0, 0)]
    public void Arity_follows_prometheus_variadic_rules(string name, int min, int max)
    {
        Assert.True(Vigil.PromQL.Ast.Functions.TryGet(name, out var f));
        Assert.Equal(min, f.MinArgs);
        Assert.Equal(max, f.MaxArgs);
    }
}
