using System.Text;
using System.Text.RegularExpressions;
using Vigil.Model;

namespace Vigil.Templates.Execution;

/// <summary>
/// Go's <c>regexp</c> as templates use it: RE2 syntax (Vigil.Model's translation), unanchored matching, leftmost-first
/// (.NET's NonBacktracking engine finds the same matches as a backtracking one, in linear time), Go's group numbering
/// and <c>ReplaceAllString</c> with <c>Expand</c>'s <c>$1</c>/<c>${name}</c> syntax.
/// </summary>
public sealed class GoRegexp
{
    private readonly Regex _regex;
    private readonly string?[] _names;

    private GoRegexp(Regex regex, string?[] names)
    {
        _regex = regex;
        _names = names;
    }

    /// <summary>Go's <c>regexp.Compile</c>; <paramref name="error"/> is Go's <c>err.Error()</c>.</summary>
    public static bool TryCompile(string expr, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GoRegexp? regexp, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        regexp = null;
        error = RepetitionError(expr);
        if (error is not null)
        {
            return false;
        }
        if (!Re2Regex.TryTranslate(expr, out var pattern, out error))
        {
            return false;
        }
        var names = new List<string?> { null };
        pattern = NumberGroupsLikeGo(pattern, names);
        try
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            if (regex.GetGroupNumbers().Length != names.Count)
            {
                error = $"error parsing regexp: invalid or unsupported Perl syntax: `{expr}`";
                return false;
            }
            regexp = new GoRegexp(regex, [.. names]);
            return true;
        }
        catch (ArgumentException e)
        {
            error = $"error parsing regexp: {Re2Regex.Describe(e)}: `{expr}`";
            return false;
        }
        catch (NotSupportedException)
        {
            error = $"error parsing regexp: invalid or unsupported Perl syntax: `{expr}`";
            return false;
        }
    }

    /// <summary>Go's <c>Regexp.MatchString</c>: whether <paramref name="s"/> contains a match anywhere.</summary>
    public bool IsMatch(string s) => _regex.IsMatch(s);

    // Go's regexp/syntax errors for misplaced repetition operators, with Go's fragment: "a**" gives
    // "invalid nested repetition operator: `**`", "*a" gives "missing argument to repetition operator: `*`".
    private static string? RepetitionError(string expr)
    {
        var lastRepeat = -1;
        var atStart = true;
        for (var i = 0; i < expr.Length;)
        {
            var c = expr[i];
            var opLength = RepeatLength(expr, i);
            if (opLength > 0)
            {
                var end = i + opLength;
                if (end < expr.Length && expr[end] == '?')
                {
                    end++;
                }
                if (lastRepeat >= 0)
                {
                    return $"error parsing regexp: invalid nested repetition operator: `{expr[lastRepeat..end]}`";
                }
                if (atStart)
                {
                    return $"error parsing regexp: missing argument to repetition operator: `{expr[i..end]}`";
                }
                lastRepeat = i;
                i = end;
                continue;
            }
            lastRepeat = -1;
            atStart = c is '(' or '|';
            if (c == '(' && i + 1 < expr.Length && expr[i + 1] == '?')
            {
                // A group's flags "(?i)" or "(?P<name>" are not an argument either.
                var close = expr.IndexOfAny([')', ':', '>'], i);
                if (close > 0)
                {
                    atStart = true;
                    i = close + 1;
                    continue;
                }
            }
            if (c == '\\')
            {
                i += 2;
                continue;
            }
            if (c == '[')
            {
                var j = i + 1;
                if (j < expr.Length && expr[j] == '^')
                {
                    j++;
                }
                if (j < expr.Length && expr[j] == ']')
                {
                    j++;
                }
                while (j < expr.Length && expr[j] != ']')
                {
                    j += expr[j] == '\\' ? 2 : 1;
                }
                i = j + 1;
                continue;
            }
            i++;
        }
        return null;
    }

    // The length of a repetition operator at i: *, +, ? or a valid {n}, {n,}, {n,m}; 0 when there is none.
    private static int RepeatLength(string expr, int i)
    {
        var c = expr[i];
        if (c is '*' or '+' or '?')
        {
            return 1;
        }
        if (c != '{')
        {
            return 0;
        }
        var j = i + 1;
        var digits = 0;
        while (j < expr.Length && char.IsAsciiDigit(expr[j]))
        {
            j++;
            digits++;
        }
        if (digits == 0 || j >= expr.Length)
        {
            return 0;
        }
        if (expr[j] == ',')
        {
            j++;
            while (j < expr.Length && char.IsAsciiDigit(expr[j]))
            {
                j++;
            }
        }
        return j < expr.Length && expr[j] == '}' ? j + 1 - i : 0;
    }

    /// <summary>Go's <c>Regexp.ReplaceAllString</c>.</summary>
    public string ReplaceAll(string src, string repl)
    {
        var sb = new StringBuilder(src.Length + repl.Length);
        var lastMatchEnd = 0;
        var searchPos = 0;
        while (searchPos <= src.Length)
        {
            var m = _regex.Match(src, searchPos);
            if (!m.Success)
            {
                break;
            }
            var start = m.Index;
            var end = m.Index + m.Length;
            sb.Append(src, lastMatchEnd, start - lastMatchEnd);
            if (end > lastMatchEnd || start == 0)
            {
                Expand(sb, repl, m);
            }
            lastMatchEnd = end;
            var width = searchPos < src.Length && char.IsHighSurrogate(src[searchPos]) && searchPos + 1 < src.Length ? 2 : 1;
            if (searchPos + width > end)
            {
                searchPos += width;
            }
            else if (searchPos + 1 > end)
            {
                searchPos++;
            }
            else
            {
                searchPos = end;
            }
        }
        sb.Append(src, lastMatchEnd, src.Length - lastMatchEnd);
        return sb.ToString();
    }

    private void Expand(StringBuilder destination, string template, Match match)
    {
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

    // Go's regexp.extract: a name of letters, digits and '_', optionally in braces; a number when all ASCII digits.
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
        while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_'))
        {
            i++;
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

    // Every capturing group becomes unnamed (numbered by its opening parenthesis, as in Go); names are remembered.
    private static string NumberGroupsLikeGo(string pattern, List<string?> names)
    {
        var sb = new StringBuilder(pattern.Length);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                sb.Append(c);
                if (i + 1 < pattern.Length)
                {
                    sb.Append(pattern[++i]);
                }
                continue;
            }
            if (inClass)
            {
                inClass = c != ']';
                sb.Append(c);
                continue;
            }
            if (c == '[')
            {
                inClass = true;
                sb.Append(c);
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    sb.Append(pattern[++i]);
                }
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    sb.Append(pattern[++i]);
                }
                continue;
            }
            if (c == '(' && (i + 1 >= pattern.Length || pattern[i + 1] != '?'))
            {
                names.Add(null);
            }
            else if (c == '(' && i + 3 < pattern.Length && pattern[i + 2] == '<' && pattern[i + 3] is not ('=' or '!'))
            {
                var close = pattern.IndexOf('>', i + 3);
                if (close > 0)
                {
                    names.Add(pattern[(i + 3)..close]);
                    sb.Append('(');
                    i = close;
                    continue;
                }
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
