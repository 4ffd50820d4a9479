using Vigil.Testing;

namespace Vigil.PromQL.Tests.FunctionsTests;

/// <summary>
/// Every case of the promtool files in <c>Functions/oracle/</c>, evaluated with Vigil's function implementations:
/// the expectations are Prometheus 2.42's answers (promtool checks the same files in <see cref="PromtoolOracleTests"/>).
/// </summary>
public class FunctionOracleTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in OracleCases.Load())
        {
            data.Add($"{c.File}:{c.Line}");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Function_results_equal_prometheus(string id)
    {
        var c = OracleCases.Load().Single(x => $"{x.File}:{x.Line}" == id);
        var actual = OracleCases.Evaluate(c);
        Assert.Equal(OracleCases.Format(c.Expected), OracleCases.Format(actual));
    }

    [Fact]
    public void Oracle_files_cover_every_function()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in OracleCases.Load())
        {
            foreach (var f in Vigil.PromQL.Ast.Functions.All)
            {
                if (c.Expr.Contains(f.Name + "(", StringComparison.Ordinal))
                {
                    used.Add(f.Name);
                }
            }
        }
        var missing = Vigil.PromQL.Ast.Functions.All.Select(f => f.Name).Where(n => !used.Contains(n)).ToList();
        Assert.Empty(missing);
    }
}

/// <summary>promtool itself passes the oracle files, so their expectations are Prometheus 2.42's.</summary>
public class PromtoolOracleTests
{
    [Fact]
    public async Task Promtool_passes_the_oracle_files()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var files = Directory.GetFiles(OracleCases.Directory, "*.yml").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        var result = await ExternalTool.RunAsync(promtool, ["test", "rules", .. files]);
        Assert.True(result.ExitCode == 0, result.Output);
    }
}
