using FsCheck;
using FsCheck.Xunit;
using Vigil.Alerting.Matching;
using Vigil.Model;

namespace Vigil.Alerting.Tests.Matching;

/// <summary>Alertmanager 0.25's pkg/labels parsing; the error texts are the ones amtool 0.25 prints.</summary>
public sealed class MatcherParserTests
{
    [Theory]
    [InlineData("a=b", "a", LabelMatchType.Equal, "b")]
    [InlineData("  a  =  b  ", "a", LabelMatchType.Equal, "b")]
    [InlineData("a!=b", "a", LabelMatchType.NotEqual, "b")]
    [InlineData("a=~b.*", "a", LabelMatchType.Regex, "b.*")]
    [InlineData("a!~\"b|c\"", "a", LabelMatchType.NotRegex, "b|c")]
    [InlineData("a=b=c", "a", LabelMatchType.Equal, "b=c")]
    [InlineData("a=", "a", LabelMatchType.Equal, "")]
    [InlineData("a=\"\"", "a", LabelMatchType.Equal, "")]
    [InlineData("a=b c", "a", LabelMatchType.Equal, "b c")]
    [InlineData("a=b}", "a", LabelMatchType.Equal, "b}")]
    [InlineData("a:b=c", "a:b", LabelMatchType.Equal, "c")]
    [InlineData("_x=ä", "_x", LabelMatchType.Equal, "ä")]
    [InlineData("a=\"x\\\"y\"", "a", LabelMatchType.Equal, "x\"y")]
    [InlineData("a=\"x\\ny\"", "a", LabelMatchType.Equal, "x\ny")]
    [InlineData("a=\"x\\\\y\"", "a", LabelMatchType.Equal, "x\\y")]
    [InlineData("a=x\\y", "a", LabelMatchType.Equal, "x\\y")]
    [InlineData("a=x\\", "a", LabelMatchType.Equal, "x\\")]
    [InlineData("a=~\"\\\\d+\"", "a", LabelMatchType.Regex, "\\d+")]
    public void Parses_a_matcher(string text, string name, LabelMatchType type, string value)
    {
        Assert.True(MatcherParser.TryParseMatcher(text, out var matcher, out var error), error);
        Assert.Equal(name, matcher.Name);
        Assert.Equal(type, matcher.Type);
        Assert.Equal(value, matcher.Value);
    }

    [Theory]
    [InlineData("team", "bad matcher format: team")]
    [InlineData("{team=\"a\"}", "bad matcher format: {team=\"a\"}")]
    [InlineData("\"a\"=b", "bad matcher format: \"a\"=b")]
    [InlineData("a b=c", "bad matcher format: a b=c")]
    [InlineData("=a", "bad matcher format: =a")]
    [InlineData("1a=b", "bad matcher format: 1a=b")]
    [InlineData("ä=b", "bad matcher format: ä=b")]
    [InlineData("a=\"b", "matcher value contains unescaped double quote: \"b")]
    [InlineData("a=b\"c", "matcher value contains unescaped double quote: b\"c")]
    [InlineData("a=\"b\"c\"", "matcher value contains unescaped double quote: \"b\"c\"")]
    [InlineData("a=~(b", "error parsing regexp: missing closing ): `^(?:(b)$`")]
    public void Rejects_with_alertmanagers_message(string text, string message)
    {
        Assert.False(MatcherParser.TryParseMatcher(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("{foo = \"bar\", dings != \"bums\", }", "{dings!=\"bums\",foo=\"bar\"}")]
    [InlineData("foo=bar,dings!=bums", "{dings!=\"bums\",foo=\"bar\"}")]
    [InlineData("{quote=\"She said: \\\"Hi, ladies! That's gender-neutral\\\"\"}", "{quote=\"She said: \\\"Hi, ladies! That's gender-neutral\\\"\"}")]
    [InlineData("statuscode=~\"5..\"", "{statuscode=~\"5..\"}")]
    [InlineData("a=\"x,y\",b=c", "{a=\"x,y\",b=\"c\"}")]
    [InlineData("", "{}")]
    [InlineData("{}", "{}")]
    public void Parses_a_list_and_prints_it_sorted(string text, string printed)
    {
        Assert.True(MatcherParser.TryParseMatchers(text, out var list, out var error), error);
        Assert.Equal(printed, Vigil.Alerting.Matching.Matchers.From(list).ToString());
    }

    [Fact]
    public void An_empty_item_before_a_comma_is_an_error()
    {
        Assert.False(MatcherParser.TryParseMatchers(",a=b", out _, out var error));
        Assert.Equal("bad matcher format: ", error);
    }

    [Property(MaxTest = 500)]
    public void Printing_then_parsing_gives_the_same_matcher(NonNull<string> value, bool negate)
    {
        var matcher = Matcher.Create(negate ? LabelMatchType.NotEqual : LabelMatchType.Equal, "job", value.Get);
        Assert.True(MatcherParser.TryParseMatcher(matcher.ToString(), out var back, out var error), error);
        Assert.Equal(matcher, back);
    }

    [Property(MaxTest = 1000)]
    public void Arbitrary_text_never_throws(NonNull<string> text)
    {
        _ = MatcherParser.TryParseMatchers(text.Get, out _, out _);
        _ = MatcherParser.TryParseMatcher(text.Get, out _, out _);
    }
}
