using Vigil.Model;
using Vigil.Tsdb.Index;

namespace Vigil.Tsdb.Tests.Index;

public sealed class MemPostingsTests
{
    private static MemPostings Sample()
    {
        var p = new MemPostings();
        p.Add(1, Labels.Of("__name__", "http_requests_total", "job", "api", "code", "200"));
        p.Add(2, Labels.Of("__name__", "http_requests_total", "job", "api", "code", "500"));
        p.Add(3, Labels.Of("__name__", "http_requests_total", "job", "web", "code", "200"));
        p.Add(4, Labels.Of("__name__", "up", "job", "api"));
        p.Add(5, Labels.Of("__name__", "up", "job", "web", "env", "prod"));
        return p;
    }

    private static LabelMatcher M(string name, LabelMatchType type, string value) => LabelMatcher.Create(type, name, value);

    [Theory]
    [InlineData("job", LabelMatchType.Equal, "api", new ulong[] { 1, 2, 4 })]
    [InlineData("job", LabelMatchType.NotEqual, "api", new ulong[] { 3, 5 })]
    [InlineData("code", LabelMatchType.NotEqual, "200", new ulong[] { 2, 4, 5 })]     // series without code are kept
    [InlineData("code", LabelMatchType.Equal, "", new ulong[] { 4, 5 })]              // absent label
    [InlineData("code", LabelMatchType.NotEqual, "", new ulong[] { 1, 2, 3 })]        // label present
    [InlineData("code", LabelMatchType.Regex, "2..", new ulong[] { 1, 3 })]
    [InlineData("code", LabelMatchType.Regex, ".*", new ulong[] { 1, 2, 3, 4, 5 })]
    [InlineData("code", LabelMatchType.Regex, ".+", new ulong[] { 1, 2, 3 })]
    [InlineData("code", LabelMatchType.NotRegex, "5..", new ulong[] { 1, 3, 4, 5 })]
    [InlineData("job", LabelMatchType.Regex, "api|web", new ulong[] { 1, 2, 3, 4, 5 })]
    [InlineData("env", LabelMatchType.Regex, "prod|", new ulong[] { 1, 2, 3, 4, 5 })]
    [InlineData("nope", LabelMatchType.Equal, "x", new ulong[] { })]
    public void One_matcher_selects_like_Prometheus(string name, LabelMatchType type, string value, ulong[] expected)
        => Assert.Equal(expected, Sample().PostingsForMatchers([M(name, type, value)]));

    [Fact]
    public void Matchers_are_intersected()
    {
        var p = Sample();
        Assert.Equal([1UL, 2UL], p.PostingsForMatchers([M("__name__", LabelMatchType.Equal, "http_requests_total"), M("job", LabelMatchType.Equal, "api")]));
        Assert.Equal([2UL], p.PostingsForMatchers([M("__name__", LabelMatchType.Equal, "http_requests_total"), M("job", LabelMatchType.Equal, "api"), M("code", LabelMatchType.NotEqual, "200")]));
        Assert.Empty(p.PostingsForMatchers([M("job", LabelMatchType.Equal, "api"), M("env", LabelMatchType.Equal, "prod")]));
    }

    [Fact]
    public void Names_values_and_deletion()
    {
        var p = Sample();
        Assert.Equal(["__name__", "code", "env", "job"], p.LabelNames());
        Assert.Equal(["api", "web"], p.LabelValues("job"));
        p.Delete([(5UL, Labels.Of("__name__", "up", "job", "web", "env", "prod"))]);
        Assert.Equal(["__name__", "code", "job"], p.LabelNames());
        Assert.Equal([1UL, 2UL, 3UL, 4UL], p.All());
        Assert.Contains(("job", "api", 3), p.Cardinalities());
    }

    [Fact]
    public void Out_of_order_refs_are_inserted_sorted()
    {
        var p = new MemPostings();
        p.Add(5, Labels.Of("a", "1"));
        p.Add(2, Labels.Of("a", "1"));
        p.Add(9, Labels.Of("a", "1"));
        Assert.Equal([2UL, 5UL, 9UL], p.Get("a", "1"));
    }
}
