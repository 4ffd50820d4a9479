using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Vigil.Model.Relabel;

/// <summary>
/// A relabel rule's regular expression: RE2 syntax, fully anchored (<c>^(?:re)$</c>) as Prometheus's
/// <c>relabel.NewRegexp</c> compiles it, with Go's submatch numbering and Go's <c>Regexp.ExpandString</c>
/// (<c>$1</c>, <c>${1}</c>, <c>$name</c>, <c>${name}</c>, <c>$$</c>) for replacements.
/// </summary>
/// <remarks>
/// The RE2 → .NET translation is Vigil.Model's <c>Re2Regex</c> (ASCII <c>\d \w \s</c>, <c>$</c> as end of text, POSIX
/// classes). Named groups are then turned into plain groups whose names are remembered here, because .NET numbers
/// named groups after all unnamed ones while Go numbers every group by its opening parenthesis. Matching uses the
/// NonBacktracking engine: linear time like RE2, and it refuses what RE2 refuses (backreferences, lookaround).
/// </remarks>
public sealed class RelabelRegex : IEquatable<RelabelRegex>
{
    private readonly Regex _regex;

    // Group names by Go group index; index 0 (the whole match) has none.
    private readonly string?[] _names;

    private RelabelRegex(string source, Regex regex, string?[] names)
    {
        Source = source;
        _regex = regex;
        _names = names;
    }

    /// <summary>Prometheus's default relabel regex, <c>(.*)</c>.</summary>
    public static RelabelRegex Default { get; } = Create("(.*)");

    /// <summary>The expression as written (without the anchors Prometheus adds).</summary>
    public string Source { get; }

    /// <summary>Whether this is the default <c>(.*)</c>.</summary>
    public bool IsDefault => Source == "(.*)";

    /// <summary>The number of capturing groups, not counting the whole match.</summary>
    public int GroupCount => _names.Length - 1;

    /// <summary>Compiles <paramref name="re2"/>, or throws <see cref="ArgumentException"/> with Go's wording.</summary>
    public static RelabelRegex Create(string re2)
        => TryCreate(re2, out var regex, out var error) ? regex : throw new ArgumentException(error, nameof(re2));

    /// <summary>
    /// Compiles <paramref name="re2"/>; on failure <paramref name="error"/> is Go's message for the anchored form,
    /// e.g. <c>error parsing regexp: missing closing ): `^(?:a(b)$`</c>.
    /// </summary>
    public static bool TryCreate(string re2, [NotNullWhen(true)] out RelabelRegex? regex, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(re2);
        regex = null;
        if (!Re2Regex.TryTranslate(re2, out var pattern, out error))
        {
            return false;
        }
        var names = new List<string?> { null };
        pattern = NumberGroupsLikeGo(pattern, names);
        Regex compiled;
        try
        {
            compiled = new Regex("\\A(?:" + pattern + ")\\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (ArgumentException e)
        {
            error = $"error parsing regexp: {Re2Regex.Describe(e)}: `^(?:{re2})$`";
            return false;
        }
        catch (NotSupportedException)
        {
            error = $"error parsing regexp: invalid or unsupported Perl syntax: `^(?:{re2})$`";
            return false;
        }
        if (compiled.GetGroupNumbers().Length != names.Count)
        {
            error = $"error parsing regexp: invalid or unsupported Perl syntax: `^(?:{re2})$`";
            return false;
        }
        regex = new RelabelRegex(re2, compiled, [.. names]);
        return true;
    }

    /// <summary>Whether the whole of <paramref name="input"/> matches.</summary>
    public bool IsMatch(string input) => _regex.IsMatch(input);

    /// <summary>Whether the whole of <paramref name="input"/> matches.</summary>
    public bool IsMatch(ReadOnlySpan<char> input) => _regex.IsMatch(input);

    /// <summary>Matches the whole of <paramref name="input"/>, capturing groups; null when it does not match.</summary>
    public Match? Match(string input)
    {
        var m = _regex.Match(input);
        return m.Success ? m : null;
    }

    /// <summary>
    /// Go's <c>Regexp.ExpandString</c>: appends <paramref name="template"/> to <paramref name="destination"/> with
    /// <c>$1</c>, <c>${1}</c>, <c>$name</c>, <c>${name}</c> replaced by the group's text (empty when the group did not
    /// take part or does not exist), <c>$$</c> by <c>$</c>, and a malformed <c>$</c> kept as text. Note <c>$1x</c>
    /// names the group "1x" (empty), as in Go: write <c>${1}x</c>.
    /// </summary>
    public void Expand(StringBuilder destination, string template, Match match)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(match);
        var rest = template.AsSpan();
        while (true)
        {
            var dollar = rest.IndexOf('$');
            if (dollar < 0)
            {
                break;
            }
            destination.Append(rest[..dollar]);
            rest = rest[(dollar + 1)..];
            if (!rest.IsEmpty && rest[0] == '$')
            {
                destination.Append('$');
                rest = rest[1..];
                continue;
            }
            if (!TryExtract(rest, out var name, out var num, out var consumed))
            {
                destination.Append('$');
                continue;
            }
            rest = rest[consumed..];
            var group = num >= 0 ? (num < _names.Length ? num : -1) : IndexOfName(name);
            if (group >= 0 && match.Groups[group].Success)
            {
                destination.Append(match.Groups[group].ValueSpan);
            }
        }
        destination.Append(rest);
    }

    /// <summary><see cref="Expand(StringBuilder, string, Match)"/> into a new string.</summary>
    public string Expand(string template, Match match)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!template.Contains('$', StringComparison.Ordinal))
        {
            return template;
        }
        var sb = new StringBuilder(template.Length + 16);
        Expand(sb, template, match);
        return sb.ToString();
    }

    private int IndexOfName(ReadOnlySpan<char> name)
    {
        for (var i = 1; i < _names.Length; i++)
        {
            if (name.SequenceEqual(_names[i]))
            {
                return i;
            }
        }
        return -1;
    }

    // Go's regexp.extract: a name of letters, digits and '_', optionally in braces; a number when it is all
    // ASCII digits, below 1e8 and without a leading zero; otherwise num is -1 and the name is looked up.
    private static bool TryExtract(ReadOnlySpan<char> s, out ReadOnlySpan<char> name, out int num, out int consumed)
    {
        name = default;
        num = -1;
        consumed = 0;
        if (s.IsEmpty)
        {
            return false;
        }
        var brace = s[0] == '{';
        var start = brace ? 1 : 0;
        var i = start;
        while (i < s.Length)
        {
            int width;
            bool ok;
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(s[i], s[i + 1]));
                ok = category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber;
                width = 2;
            }
            else
            {
                ok = char.IsLetter(s[i]) || char.IsDigit(s[i]) || s[i] == '_';
                width = 1;
            }
            if (!ok)
            {
                break;
            }
            i += width;
        }
        if (i == start)
        {
            return false;
        }
        name = s[start..i];
        if (brace)
        {
            if (i >= s.Length || s[i] != '}')
            {
                return false;
            }
            i++;
        }
        num = 0;
        foreach (var c in name)
        {
            if (c is < '0' or > '9' || num >= 100_000_000)
            {
                num = -1;
                break;
            }
            num = (num * 10) + (c - '0');
        }
        if (name[0] == '0' && name.Length > 1)
        {
            num = -1;
        }
        consumed = i;
        return true;
    }

    // Rewrites the translated .NET pattern so every capturing group is unnamed (numbered left to right by its
    // opening parenthesis, as in Go) and records each group's name, or null, in order.
    private static string NumberGroupsLikeGo(string pattern, List<string?> names)
    {
        StringBuilder? sb = null;
        var copied = 0;
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i++;
                continue;
            }
            if (inClass)
            {
                if (c == ']')
                {
                    inClass = false;
                }
                continue;
            }
            if (c == '[')
            {
                inClass = true;
                // A ']' or '^]' right after '[' is a literal (the translator escapes it, but be safe).
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    i++;
                }
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    i++;
                }
                continue;
            }
            if (c != '(')
            {
                continue;
            }
            if (i + 1 >= pattern.Length || pattern[i + 1] != '?')
            {
                names.Add(null);
                continue;
            }
            if (i + 2 < pattern.Length && pattern[i + 2] == '<' && i + 3 < pattern.Length && pattern[i + 3] is not ('=' or '!'))
            {
                var close = pattern.IndexOf('>', i + 3);
                if (close < 0)
                {
                    continue;
                }
                names.Add(pattern[(i + 3)..close]);
                sb ??= new StringBuilder(pattern.Length);
                sb.Append(pattern, copied, i - copied).Append('(');
                copied = close + 1;
                i = close;
            }
        }
        if (sb is null)
        {
            return pattern;
        }
        sb.Append(pattern, copied, pattern.Length - copied);
        return sb.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(RelabelRegex? other) => other is not null && other.Source == Source;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as RelabelRegex);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Source);

    /// <summary>The expression as written.</summary>
    public override string ToString() => Source;
}
