using System.Text;
using Vigil.Server.Api;

namespace Vigil.Server.Tests.Api;

public sealed class QueryResultWriterTests
{
    [Theory]
    [InlineData(1_435_781_451_781, "1435781451.781")]
    [InlineData(100_500, "100.500")]
    [InlineData(-100_500, "-100.500")]
    [InlineData(5_000, "5")]
    [InlineData(1_001, "1.001")]
    [InlineData(1_010, "1.010")]
    [InlineData(0, "0")]
    [InlineData(-9_223_372_036_854, "-9223372036.854")]
    public void Timestamps_are_seconds_with_three_decimals_like_MarshalTimestamp(long ms, string expected)
    {
        Span<byte> buffer = stackalloc byte[32];
        var n = QueryResultWriter.FormatTimestamp(ms, buffer);
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..n]));
    }
}

public sealed class QueryResultEnvelopeTests
{
    private static async Task<string> Write(Vigil.PromQL.Engine.QueryValue value, IReadOnlyList<string>? warnings = null)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await QueryResultWriter.WriteAsync(context.Response, value, warnings, CancellationToken.None);
        await context.Response.BodyWriter.FlushAsync();
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal(200, context.Response.StatusCode);
        return Encoding.UTF8.GetString(body.ToArray());
    }

    [Fact]
    public async Task Scalar_is_a_pair_of_float_seconds_and_string_value()
    {
        Assert.Equal("""{"status":"success","data":{"resultType":"scalar","result":[100,"2"]}}""",
            await Write(new Vigil.PromQL.Engine.ScalarResult(100_000, 2)));
        Assert.Equal("""{"status":"success","data":{"resultType":"scalar","result":[100.5,"1"]}}""",
            await Write(new Vigil.PromQL.Engine.ScalarResult(100_500, 1)));
    }

    [Fact]
    public async Task String_result_keeps_its_text()
    {
        Assert.Equal("""{"status":"success","data":{"resultType":"string","result":[1,"a\"b"]}}""",
            await Write(new Vigil.PromQL.Engine.StringResult(1_000, "a\"b")));
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(1e21, "1000000000000000000000")]
    [InlineData(1e-7, "0.0000001")]
    [InlineData(-0.0, "-0")]
    public async Task Vector_values_are_Go_FormatFloat_f_strings(double value, string expected)
    {
        var vector = new Vigil.PromQL.Engine.Vector([new(Vigil.Model.Labels.Empty, 100_500, value)]);
        Assert.Equal($$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[100.500,"{{{expected}}}"]}]}}""",
            await Write(vector));
    }

    [Fact]
    public async Task Matrix_series_carry_sorted_labels_and_values_and_unicode_stays_utf8()
    {
        var labels = Vigil.Model.Labels.Of("__name__", "up", "job", "node", "zz", "ö<&>+");
        var matrix = new Vigil.PromQL.Engine.Matrix([new(labels, [new(1_000_000, 0), new(1_120_000, 1)])]);
        Assert.Equal("""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"node","zz":"ö<&>+"},"values":[[1000,"0"],[1120,"1"]]}]}}""",
            await Write(matrix));
    }

    [Fact]
    public async Task Warnings_follow_data_when_present()
    {
        Assert.Equal("""{"status":"success","data":{"resultType":"vector","result":[]},"warnings":["w1"]}""",
            await Write(new Vigil.PromQL.Engine.Vector(), ["w1"]));
    }

    [Fact]
    public async Task A_large_matrix_streams_and_stays_valid_json()
    {
        var series = new List<Vigil.PromQL.Engine.Series>();
        for (var s = 0; s < 200; s++)
        {
            var points = new List<Vigil.Model.Sample>();
            for (var i = 0; i < 500; i++)
            {
                points.Add(new(i * 15_000L, i * 0.5));
            }
            series.Add(new(Vigil.Model.Labels.Of("__name__", "m", "i", s.ToString(System.Globalization.CultureInfo.InvariantCulture)), points));
        }
        var json = await Write(new Vigil.PromQL.Engine.Matrix(series));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var result = doc.RootElement.GetProperty("data").GetProperty("result");
        Assert.Equal(200, result.GetArrayLength());
        Assert.Equal("249.5", result[199].GetProperty("values")[499][1].GetString());
        Assert.Equal(7485, result[199].GetProperty("values")[499][0].GetDouble());
    }
}

public sealed class QueryResultAllocationTests
{
    private static long AllocatedWriting(Vigil.PromQL.Engine.QueryValue value)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Response.Body = Stream.Null;
        var before = GC.GetAllocatedBytesForCurrentThread();
        // Everything completes synchronously on a discarding stream, so the whole write stays on this thread.
        var task = QueryResultWriter.WriteAsync(context.Response, value, null, CancellationToken.None);
        Assert.True(task.IsCompletedSuccessfully);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Writing_a_matrix_allocates_nothing_per_sample()
    {
        var series = new List<Vigil.PromQL.Engine.Series>();
        for (var s = 0; s < 100; s++)
        {
            var points = new List<Vigil.Model.Sample>();
            for (var i = 0; i < 1000; i++)
            {
                points.Add(new(1_700_000_000_000L + (i * 15_000L), i * 0.25));
            }
            series.Add(new(Vigil.Model.Labels.Of("__name__", "m", "instance", $"host-{s}", "job", "node"), points));
        }
        var matrix = new Vigil.PromQL.Engine.Matrix(series);
        AllocatedWriting(matrix); // warm up
        var allocated = AllocatedWriting(matrix);
        // 100,000 samples (~3 MB of JSON): the budget covers the writer and the response, not the samples.
        Assert.True(allocated < 16 * 1024, $"{allocated} bytes allocated");
    }
}
