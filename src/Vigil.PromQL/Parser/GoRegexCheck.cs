using System.Globalization;

namespace Vigil.PromQL.Parser;

/// <summary>
/// What Go 1.19's regexp/syntax (Prometheus 2.42) refuses but .NET's engine accepts: unknown escapes (<c>\q</c>, <c>\1</c>),
/// <c>(?&lt;name&gt;…)</c> groups, and repeat counts above 1000. Checked left to right before the matcher is built.
/// </summary>
internal static class GoRegexCheck
{
    private const string ValidLetterEscapes = "afnrtvxpPdDsSwWbBAzQE";

    /// <summary>The Go error detail for the first such construct, or null.</summary>
    public static string? Check(string re)
    {
        var inClass = false;
        for (var i = 0; i < re.Length; i++)
        {
            var c = re[i];
            if (c == '\\' && i + 1 < re.Length)
            {
                var e = re[i + 1];
                if (e == 'Q' && !inClass)
                {
                    var end = re.IndexOf("\\E", i + 2, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        return null;
                    }
                    i = end + 1;
                    continue;
                }
                if ((char.IsAsciiLetter(e) && !ValidLetterEscapes.Contains(e, StringComparison.Ordinal))
                    || e is '8' or '9'
                    || (e is >= '1' and <= '7' && !(i + 2 < re.Length && re[i + 2] is >= '0' and <= '7')) || (inClass && e is 'b' or 'B' or 'A' or 'z' or 'Q' or 'E'))
                {
                    return $"invalid escape sequence: `\\{e}`";
                }
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
                if (i + 1 < re.Length && re[i + 1] == '^')
                {
                    i++;
                }
                if (i + 1 < re.Length && re[i + 1] == ']')
                {
                    i++;
                }
                continue;
            }
            if (c == '(' && i + 2 < re.Length && re[i + 1] == '?' && re[i + 2] == '<')
            {
                return "invalid or unsupported Perl syntax: `(?<`";
            }
            if (c == '{' && i > 0)
            {
                var close = re.IndexOf('}', i);
                if (close > 0 && IsRepeat(re.AsSpan(i + 1, close - i - 1), out var max) && max > 1000)
                {
                    return $"invalid repeat count: `{re[i..(close + 1)]}`";
                }
            }
        }
        return null;
    }

    private static bool IsRepeat(ReadOnlySpan<char> body, out int max)
    {
        max = 0;
        var comma = body.IndexOf(',');
        var lo = comma < 0 ? body : body[..comma];
        var hi = comma < 0 ? body : body[(comma + 1)..];
        if (lo.IsEmpty || !int.TryParse(lo, NumberStyles.None, CultureInfo.InvariantCulture, out var min))
        {
            return false;
        }
        if (hi.IsEmpty)
        {
            max = min;
            return true;
        }
        if (!int.TryParse(hi, NumberStyles.None, CultureInfo.InvariantCulture, out max))
        {
            return false;
        }
        max = Math.Max(max, min);
        return true;
    }
}
