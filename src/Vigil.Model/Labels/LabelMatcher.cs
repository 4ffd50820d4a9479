using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Vigil.Model;

/// <summary>
/// One label matcher (<c>job="node"</c>, <c>path!~"/debug/.*"</c>). Regular expressions use RE2 syntax
/// and are fully anchored, as in Prometheus: <c>=~"a|b"</c> matches exactly "a" or "b". A missing label
/// has the value "", so <c>{foo=""}</c> matches series without <c>foo</c>.
/// </summary>
public sealed class LabelMatcher : IEquatable<LabelMatcher>
{
    private readonly Regex? _regex;
    private readonly HashSet<string>? _literals;

    private LabelMatcher(LabelMatchType type, string name, string value, Regex? regex, HashSet<string>? literals)
    {
        Type = type;
        Name = name;
        Value = value;
        _regex = regex;
        _literals = literals;
    }

    /// <summary>The operator.</summary>
    public LabelMatchType Type { get; }

    /// <summary>The label name.</summary>
    public string Name { get; }

    /// <summary>The value or the regular expression as written.</summary>
    public string Value { get; }

    /// <summary>Creates a matcher; throws <see cref="ArgumentException"/> with Prometheus's wording for a bad regex.</summary>
    public static LabelMatcher Create(LabelMatchType type, string name, string value)
        => TryCreate(type, name, value, out var matcher, out var error) ? matcher : throw new ArgumentException(error);

    /// <summary>Creates a matcher, or says why the regular expression is invalid.</summary>
    public static bool TryCreate(LabelMatchType type, string name, string value, [NotNullWhen(true)] out LabelMatcher? matcher, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        matcher = null;
        error = null;
        if (type is LabelMatchType.Equal or LabelMatchType.NotEqual)
        {
            matcher = new LabelMatcher(type, name, value, null, null);
            return true;
        }
        if (!Re2Regex.TryTranslate(value, out var pattern, out error))
        {
            return false;
        }
        var literals = Re2Regex.LiteralAlternatives(value);
        Regex? regex = null;
        if (literals is null)
        {
            try
            {
                regex = new Regex("^(?:" + pattern + ")\\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            }
            catch (ArgumentException e)
            {
                error = $"error parsing regexp: {Re2Regex.Describe(e)}: `{value}`";
                return false;
            }
            catch (NotSupportedException e)
            {
                // NonBacktracking refuses what RE2 refuses too: backreferences, lookaround, atomic groups.
                error = $"error parsing regexp: invalid or unsupported Perl syntax ({e.Message}): `{value}`";
                return false;
            }
        }
        matcher = new LabelMatcher(type, name, value, regex, literals);
        return true;
    }

    /// <summary>Whether a label value (or "" for an absent label) satisfies the matcher.</summary>
    public bool Matches(string value) => Type switch
    {
        LabelMatchType.Equal => string.Equals(value, Value, StringComparison.Ordinal),
        LabelMatchType.NotEqual => !string.Equals(value, Value, StringComparison.Ordinal),
        LabelMatchType.Regex => RegexMatches(value),
        _ => !RegexMatches(value),
    };

    /// <summary>Whether the matcher selects series that lack the label (it matches the empty value).</summary>
    public bool MatchesEmpty => Matches("");

    private bool RegexMatches(string value) => _literals is not null ? _literals.Contains(value) : _regex!.IsMatch(value);

    /// <summary>The literal values a <c>=~</c> matcher can match, when its regex is a plain alternation of literals; else null.</summary>
    public IReadOnlyCollection<string>? SetMatches => Type == LabelMatchType.Regex ? _literals : null;

    /// <summary>PromQL notation: <c>name="value"</c>, <c>name=~"regex"</c>.</summary>
    public override string ToString()
    {
        var op = Type switch
        {
            LabelMatchType.Equal => "=",
            LabelMatchType.NotEqual => "!=",
            LabelMatchType.Regex => "=~",
            _ => "!~",
        };
        return Name + op + LabelText.Quote(Value);
    }

    /// <inheritdoc/>
    public bool Equals(LabelMatcher? other)
        => other is not null && other.Type == Type && other.Name == Name && other.Value == Value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LabelMatcher);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, Name, Value);
}
