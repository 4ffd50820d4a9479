using Vigil.Templates.Parsing;

namespace Vigil.Templates.Execution;

/// <summary>Go's <c>strconv.ParseFloat(s, 64)</c> for arbitrary input (what <c>humanize "…"</c> and friends call).</summary>
internal static class GoStrconv
{
    /// <summary>Parses <paramref name="s"/>; on failure <paramref name="rangeError"/> tells "value out of range" from "invalid syntax".</summary>
    public static bool TryParseFloat(string s, out double value, out bool rangeError)
    {
        rangeError = false;
        value = 0;
        var body = s.AsSpan();
        var sign = 1.0;
        if (body.Length > 0 && body[0] is '+' or '-')
        {
            sign = body[0] == '-' ? -1 : 1;
            body = body[1..];
        }
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase) && body.Length == s.Length)
        {
            value = double.NaN;
            return true;
        }
        return GoNumber.TryParseFloat(s, out value, out rangeError);
    }
}
