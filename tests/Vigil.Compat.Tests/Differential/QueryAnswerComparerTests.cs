using System.Net;

namespace Vigil.Compat.Tests.Differential;

/// <summary>The comparer must see each kind of difference, or a differential run that finds nothing proves nothing.</summary>
public sealed class QueryAnswerComparerTests
{
    private const string Vector = """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[10,"1.5"]},{"metric":{"a":"2"},"value":[10,"NaN"]}]}}""";

    [Theory]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"2"},"value":[10,"NaN"]},{"metric":{"a":"1"},"value":[10,"1.5000000000001"]}]}}""")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"value":[10,"1.5"],"metric":{"a":"1"}},{"metric":{"a":"2"},"value":[10.000,"NaN"]}]}}""")]
    public void Same_meaning_is_no_difference(string actual)
        => Assert.Null(QueryAnswerComparer.Difference(Answer(Vector), Answer(actual), ordered: false));

    [Theory]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[10,"1.6"]},{"metric":{"a":"2"},"value":[10,"NaN"]}]}}""", "1.6")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[10,"1.5"]},{"metric":{"a":"2"},"value":[10,"0"]}]}}""", "\"0\"")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[10,"1.5"]},{"metric":{"a":"2"},"value":[10.001,"NaN"]}]}}""", "time")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[10,"1.5"]}]}}""", "only in Prometheus")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1","b":"x"},"value":[10,"1.5"]},{"metric":{"a":"2"},"value":[10,"NaN"]}]}}""", "only in Vigil")]
    [InlineData("""{"status":"success","data":{"resultType":"scalar","result":[10,"1.5"]}}""", "resultType")]
    [InlineData("""{"status":"error","errorType":"bad_data","error":"x"}""", "status")]
    public void Each_kind_of_difference_is_reported(string actual, string mentioned)
    {
        var difference = QueryAnswerComparer.Difference(Answer(Vector), Answer(actual), ordered: false);
        Assert.NotNull(difference);
        Assert.Contains(mentioned, difference, StringComparison.Ordinal);
    }

    [Fact]
    public void Order_counts_only_when_asked()
    {
        const string Reversed = """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"2"},"value":[10,"NaN"]},{"metric":{"a":"1"},"value":[10,"1.5"]}]}}""";
        Assert.Null(QueryAnswerComparer.Difference(Answer(Vector), Answer(Reversed), ordered: false));
        Assert.Contains("order", QueryAnswerComparer.Difference(Answer(Vector), Answer(Reversed), ordered: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Matrices_differ_in_points()
    {
        const string E = """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"1"},"values":[[10,"1"],[20,"2"]]}]}}""";
        const string Shorter = """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"1"},"values":[[10,"1"]]}]}}""";
        const string Shifted = """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"1"},"values":[[10,"1"],[21,"2"]]}]}}""";
        Assert.Null(QueryAnswerComparer.Difference(Answer(E), Answer(E), ordered: false));
        Assert.Contains("2 vs 1 points", QueryAnswerComparer.Difference(Answer(E), Answer(Shorter), ordered: false), StringComparison.Ordinal);
        Assert.Contains("time 20 vs 21", QueryAnswerComparer.Difference(Answer(E), Answer(Shifted), ordered: false), StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_compare_by_error_type()
    {
        var e = new QueryAnswer(HttpStatusCode.BadRequest, """{"status":"error","errorType":"bad_data","error":"one wording"}""", TimeSpan.Zero);
        var same = new QueryAnswer(HttpStatusCode.BadRequest, """{"status":"error","errorType":"bad_data","error":"another wording"}""", TimeSpan.Zero);
        var other = new QueryAnswer(HttpStatusCode.UnprocessableEntity, """{"status":"error","errorType":"execution","error":"one wording"}""", TimeSpan.Zero);
        Assert.Null(QueryAnswerComparer.Difference(e, same, ordered: false));
        Assert.Contains("errorType bad_data vs execution", QueryAnswerComparer.Difference(e, other, ordered: false), StringComparison.Ordinal);
    }

    private static QueryAnswer Answer(string body) => new(HttpStatusCode.OK, body, TimeSpan.Zero);
}
