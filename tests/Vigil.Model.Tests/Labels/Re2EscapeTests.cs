namespace Vigil.Model.Tests.Labels;

/// <summary>Escapes Go's regexp accepts and .NET's does not (or reads differently): punctuation and octal.</summary>
public class Re2EscapeTests
{
    [Theory]
    [InlineData(@"a\_b", "a_b")]
    [InlineData(@"a\@b", "a@b")]
    [InlineData(@"[\_x]+", "_x_")]
    [InlineData(@"\101", "A")]
    [InlineData(@"x\12y", "x\ny")]
    [InlineData(@"\0", "\0")]
    [InlineData(@"[\101-\103]", "B")]
    public void Accepted_like_go(string regex, string matching)
    {
        Assert.True(LabelMatcher.TryCreate(LabelMatchType.Regex, "a", regex, out var m, out var error), error);
        Assert.True(m!.Matches(matching));
    }

    [Theory]
    [InlineData(@"\1")]
    [InlineData(@"\8")]
    [InlineData(@"a\9b")]
    public void Backreference_like_escapes_are_rejected(string regex) =>
        Assert.False(LabelMatcher.TryCreate(LabelMatchType.Regex, "a", regex, out _, out _));
}
