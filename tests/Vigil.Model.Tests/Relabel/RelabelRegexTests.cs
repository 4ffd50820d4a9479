using Vigil.Model.Relabel;

namespace Vigil.Model.Tests.Relabel;

public sealed class RelabelRegexTests
{
    [Theory]
    [InlineData("(.*)", "anything", true)]
    [InlineData("(.*)", "two\nlines", false)] // '.' never matches a newline in RE2
    [InlineData("(?s)(.*)", "two\nlines", true)]
    [InlineData("foo", "foobar", false)] // anchored at both ends
    [InlineData("a|ab", "ab", true)]
    [InlineData("\\d+", "٣", false)] // \d is ASCII in RE2
    [InlineData("[[:upper:]]+", "ABC", true)]
    [InlineData("", "", true)]
    [InlineData("", "x", false)]
    [InlineData("x$", "x\n", false)] // $ is the end of text in RE2
    public void Matches_like_Go(string regex, string input, bool expected)
        => Assert.Equal(expected, RelabelRegex.Create(regex).IsMatch(input));

    [Theory]
    [InlineData("(a)(b)", "ab", "$2$1", "ba")]
    [InlineData("(a)(b)", "ab", "${1}x", "ax")]
    [InlineData("(a)(b)", "ab", "$1x", "")] // the name is "1x": no such group
    [InlineData("(a)(b)", "ab", "$$1", "$1")]
    [InlineData("(a)(b)", "ab", "$", "$")]
    [InlineData("(a)(b)", "ab", "${1", "${1")]
    [InlineData("(a)(b)", "ab", "$9", "")]
    [InlineData("(a)(b)", "ab", "$01", "")] // a leading zero makes it a name
    [InlineData("(a)(b)", "ab", "$0", "ab")]
    [InlineData("(?P<x>a)(b)", "ab", "$x-$1-$2", "a-a-b")]
    [InlineData("(a)(?P<y>b)", "ab", "${y}$2", "bb")]
    [InlineData("(?:a)(b)", "ab", "$1", "b")]
    [InlineData("[(](a)", "(a", "$1", "a")] // a parenthesis in a class is not a group
    [InlineData("\\((a)", "(a", "$1", "a")]
    [InlineData("(a|ab)(c|bcd)(d*)", "abcd", "$1,$2,$3", "a,bcd,")] // Perl's leftmost-first, as Go
    public void Expands_like_Go(string regex, string input, string template, string expected)
    {
        var re = RelabelRegex.Create(regex);
        var match = re.Match(input);
        Assert.NotNull(match);
        Assert.Equal(expected, re.Expand(template, match));
    }

    [Theory]
    [InlineData("a(b", "error parsing regexp: missing closing ): `^(?:a(b)$`")]
    [InlineData("a)", "error parsing regexp: unexpected ): `^(?:a))$`")]
    [InlineData("[a", "error parsing regexp: missing closing ]: `[a`")]
    [InlineData("*a", "error parsing regexp: missing argument to repetition operator: `^(?:*a)$`")]
    public void Bad_regexes_fail_with_Gos_words(string regex, string expected)
    {
        Assert.False(RelabelRegex.TryCreate(regex, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Group_count_follows_Go_numbering()
        => Assert.Equal(3, RelabelRegex.Create("(?P<a>x)(y)(?:z)(w)").GroupCount);
}
