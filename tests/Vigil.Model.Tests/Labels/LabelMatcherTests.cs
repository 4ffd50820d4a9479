using Vigil.Model;

namespace Vigil.Model.Tests.Labels;

public sealed class LabelMatcherTests
{
    [Theory]
    [InlineData(LabelMatchType.Equal, "a", "a", true)]
    [InlineData(LabelMatchType.Equal, "a", "b", false)]
    [InlineData(LabelMatchType.Equal, "", "", true)]
    [InlineData(LabelMatchType.NotEqual, "a", "b", true)]
    [InlineData(LabelMatchType.NotEqual, "a", "a", false)]
    [InlineData(LabelMatchType.Regex, "a.*", "abc", true)]
    [InlineData(LabelMatchType.Regex, "b", "abc", false)] // fully anchored, not a search
    [InlineData(LabelMatchType.Regex, "a|b", "a", true)]
    [InlineData(LabelMatchType.Regex, "a|b", "ab", false)]
    [InlineData(LabelMatchType.Regex, "", "", true)]
    [InlineData(LabelMatchType.Regex, "", "x", false)]
    [InlineData(LabelMatchType.Regex, ".*", "", true)]
    [InlineData(LabelMatchType.Regex, ".+", "", false)]
    [InlineData(LabelMatchType.NotRegex, "a.*", "abc", false)]
    [InlineData(LabelMatchType.NotRegex, "a.*", "xabc", true)]
    [InlineData(LabelMatchType.Regex, "(?i)ERROR", "error", true)]
    [InlineData(LabelMatchType.Regex, "foo|bar|baz", "baz", true)]
    [InlineData(LabelMatchType.Regex, "foo|bar|baz", "qux", false)]
    [InlineData(LabelMatchType.NotRegex, "foo|bar", "qux", true)]
    public void Matches_like_Prometheus(LabelMatchType type, string value, string input, bool expected)
        => Assert.Equal(expected, LabelMatcher.Create(type, "l", value).Matches(input));

    [Theory]
    [InlineData("a$", "a\n", false)]      // RE2's $ is end of text; .NET's would match before a final \n
    [InlineData("a", "a\n", false)]       // the anchor must not allow a trailing newline either
    [InlineData(@"\d+", "123", true)]
    [InlineData(@"\d+", "١٢٣", false)]    // RE2's \d is ASCII only; .NET's matches Arabic-Indic digits
    [InlineData(@"\w+", "héllo", false)]  // RE2's \w is ASCII only
    [InlineData(@"\w+", "hello_1", true)]
    [InlineData(@"\s", "\u00a0", false)]  // no-break space is not RE2 \s
    [InlineData(@"[\d_]+", "1_2", true)]
    [InlineData(@"[[:alpha:]]+", "abcXYZ", true)]
    [InlineData(@"[[:digit:][:upper:]]+", "A1B2", true)]
    [InlineData(@"[[:alpha:]]+", "abc1", false)]
    [InlineData(@"(?P<x>a)b", "ab", true)]
    [InlineData(@"\pL+", "abc", true)]
    [InlineData(@"\x{41}", "A", true)]
    [InlineData(@"\Qa.b\E", "a.b", true)]
    [InlineData(@"\Qa.b\E", "axb", false)]
    [InlineData(".", "\n", false)]        // dot does not match newline without (?s)
    [InlineData("(?s).", "\n", true)]
    [InlineData("[]a]+", "]a]", true)]
    public void Regex_uses_RE2_semantics(string regex, string input, bool expected)
        => Assert.Equal(expected, LabelMatcher.Create(LabelMatchType.Regex, "l", regex).Matches(input));

    [Theory]
    [InlineData("(a", "missing closing )")]
    [InlineData("a)", "unexpected )")]
    [InlineData("[a", "missing closing ]")]
    [InlineData("*a", "missing argument to repetition operator")]
    [InlineData(@"(a)\1", "invalid escape sequence")]            // no backreferences in RE2
    [InlineData("(?=a)", "error parsing regexp")]                // no lookahead in RE2
    [InlineData("a{2,1}", "invalid repeat count")]
    public void Invalid_regexes_are_rejected_with_Go_wording(string regex, string expected)
    {
        Assert.False(LabelMatcher.TryCreate(LabelMatchType.Regex, "l", regex, out var matcher, out var error));
        Assert.Null(matcher);
        Assert.StartsWith("error parsing regexp: ", error);
        Assert.Contains(expected, error);
        var e = Assert.Throws<ArgumentException>(() => LabelMatcher.Create(LabelMatchType.NotRegex, "l", regex));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Literal_alternations_expose_their_set()
    {
        var m = LabelMatcher.Create(LabelMatchType.Regex, "job", "api|web|db");
        Assert.Equal(new[] { "api", "db", "web" }, m.SetMatches!.Order(StringComparer.Ordinal));
        Assert.Null(LabelMatcher.Create(LabelMatchType.Regex, "job", "api.*").SetMatches);
        Assert.Null(LabelMatcher.Create(LabelMatchType.NotRegex, "job", "api|web").SetMatches);
    }

    [Fact]
    public void Empty_matching_tells_whether_absent_labels_match()
    {
        Assert.True(LabelMatcher.Create(LabelMatchType.Equal, "x", "").MatchesEmpty);
        Assert.False(LabelMatcher.Create(LabelMatchType.NotEqual, "x", "").MatchesEmpty);
        Assert.True(LabelMatcher.Create(LabelMatchType.Regex, "x", "a|").MatchesEmpty);
        Assert.False(LabelMatcher.Create(LabelMatchType.Regex, "x", "a+").MatchesEmpty);
    }

    [Fact]
    public void Regex_matching_is_linear_time_on_pathological_input()
    {
        // (a+)+$ backtracks exponentially in a backtracking engine; RE2 semantics must not.
        var m = LabelMatcher.Create(LabelMatchType.Regex, "l", "(a+)+b");
        Assert.False(m.Matches(new string('a', 50_000)));
    }

    [Fact]
    public void ToString_and_equality()
    {
        var m = LabelMatcher.Create(LabelMatchType.NotRegex, "path", "/debug/.*");
        Assert.Equal("path!~\"/debug/.*\"", m.ToString());
        Assert.Equal(m, LabelMatcher.Create(LabelMatchType.NotRegex, "path", "/debug/.*"));
        Assert.NotEqual(m, LabelMatcher.Create(LabelMatchType.Regex, "path", "/debug/.*"));
    }
}
