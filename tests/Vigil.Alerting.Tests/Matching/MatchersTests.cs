using Vigil.Alerting.Matching;
using Vigil.Model;

namespace Vigil.Alerting.Tests.Matching;

public sealed class MatchersTests
{
    private static Matchers Parse(string text)
    {
        Assert.True(MatcherParser.TryParseMatchers(text, out var list, out var error), error);
        return Matchers.From(list);
    }

    [Theory]
    [InlineData("{a=\"b\"}", "a=b", true)]
    [InlineData("{a=\"b\"}", "a=bb", false)]
    [InlineData("{a=\"\"}", "", true)]
    [InlineData("{a=\"\"}", "a=x", false)]
    [InlineData("{a!=\"b\"}", "", true)]
    [InlineData("{a=~\"b|c\"}", "a=c", true)]
    [InlineData("{a=~\"b\"}", "a=abc", false)]
    [InlineData("{a=~\"b.*\"}", "a=bcd", true)]
    [InlineData("{a=~\".*b\"}", "a=xb\n", false)]
    [InlineData("{a!~\"b.*\"}", "a=xb", true)]
    [InlineData("{a!~\".*\"}", "", false)]
    [InlineData("{a=~\"^(?:^(foo|bar)$)$\"}", "a=foo", true)]
    [InlineData("{a=~\"\\\\d+\"}", "a=123", true)]
    [InlineData("{a=~\"\\\\d+\"}", "a=١٢", false)]
    [InlineData("{a=\"b\",c=~\"d\"}", "a=b c=d", true)]
    [InlineData("{a=\"b\",c=~\"d\"}", "a=b", false)]
    public void Matches_like_alertmanager(string matchers, string labels, bool expected)
    {
        var set = new List<Label>();
        foreach (var pair in labels.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            set.Add(new Label(pair[..eq], pair[(eq + 1)..]));
        }
        Assert.Equal(expected, Parse(matchers).Matches(Labels.From(set)));
    }

    [Fact]
    public void Sorts_by_name_then_value_then_operator()
    {
        Assert.Equal("{a=\"1\",a!=\"1\",a=\"2\",b=~\"0\"}", Parse("b=~0, a=2, a!=1, a=1").ToString());
    }

    [Fact]
    public void Prints_values_with_openmetrics_escaping_only()
    {
        var m = Matcher.Create(LabelMatchType.Equal, "a", "x\"y\\z\nw\tv");
        Assert.Equal("a=\"x\\\"y\\\\z\\nw\tv\"", m.ToString());
    }

    [Fact]
    public void A_bad_regex_names_the_anchored_expression()
    {
        Assert.False(Matcher.TryCreate(LabelMatchType.Regex, "a", "[", out _, out var error));
        Assert.Equal("error parsing regexp: missing closing ]: `[)$`", error);
    }
}
