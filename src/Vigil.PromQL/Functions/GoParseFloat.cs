using System.Globalization;

namespace Vigil.PromQL.Functions;

/// <summary>
/// Go's <c>strconv.ParseFloat(s, 64)</c>, as <c>histogram_quantile</c> reads <c>le</c> labels: decimal and
/// hexadecimal (<c>0x1p-2</c>) literals, <c>_</c> digit separators where Go allows them, <c>inf</c>/<c>infinity</c>
/// with an optional sign and <c>nan</c> in any case. Out-of-range values are errors (Go's ErrRange), so such a bucket
/// is skipped like a malformed one.
/// </summary>
public static class GoParseFloat
{
    private const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Parses <paramref name="s"/> as Go would; false when Go returns an error.</summary>
    public static bool TryParse(string s, out double value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }
        var i = 0;
        var negative = false;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            i = 1;
        }
        var body = s.AsSpan(i);
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (i == 0 && body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        if (body.Contains('_'))
        {
            if (!UnderscoreOk(s))
            {
                return false;
            }
            body = body.ToString().Replace("_", "", StringComparison.Ordinal).AsSpan();
        }
        if (body.Length > 2 && body[0] == '0' && (body[1] | 0x20) == 'x')
        {
            return TryParseHex(body[2..], negative, out value);
        }
        // Go's decimal syntax: digits with an optional '.', an optional exponent; no spaces, no other characters.
        var sawDigit = false;
        var sawDot = false;
        var j = 0;
        for (; j < body.Length; j++)
        {
            var c = body[j];
            if (c is >= '0' and <= '9')
            {
                sawDigit = true;
            }
            else if (c == '.' && !sawDot)
            {
                sawDot = true;
            }
            else
            {
                break;
            }
        }
        if (!sawDigit)
        {
            return false;
        }
        if (j < body.Length)
        {
            if ((body[j] | 0x20) != 'e')
            {
                return false;
            }
            j++;
            if (j < body.Length && body[j] is '+' or '-')
            {
                j++;
            }
            var expDigits = 0;
            for (; j < body.Length && body[j] is >= '0' and <= '9'; j++)
            {
                expDigits++;
            }
            if (expDigits == 0 || j != body.Length)
            {
                return false;
            }
        }
        if (!double.TryParse(body, DecimalStyle, CultureInfo.InvariantCulture, out value) || double.IsInfinity(value))
        {
            return false;
        }
        if (negative)
        {
            value = -value;
        }
        return true;
    }

    // Hex mantissa with a mandatory binary exponent: 0x1.8p3.
    private static bool TryParseHex(ReadOnlySpan<char> s, bool negative, out double value)
    {
        value = 0;
        ulong mantissa = 0;
        var exp = 0;
        var sawDigit = false;
        var sawDot = false;
        var sticky = false;
        var i = 0;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            int d;
            if (c == '.' && !sawDot)
            {
                sawDot = true;
                continue;
            }
            if (c is >= '0' and <= '9')
            {
                d = c - '0';
            }
            else if ((c | 0x20) is >= 'a' and <= 'f')
            {
                d = (c | 0x20) - 'a' + 10;
            }
            else
            {
                break;
            }
            sawDigit = true;
            if (mantissa >> 58 == 0)
            {
                mantissa = (mantissa << 4) | (uint)d;
                if (sawDot)
                {
                    exp -= 4;
                }
            }
            else
            {
                // Too many digits for 64 bits: keep the rest as a sticky bit for rounding.
                sticky |= d != 0;
                if (!sawDot)
                {
                    exp += 4;
                }
            }
        }
        if (!sawDigit || i >= s.Length || (s[i] | 0x20) != 'p')
        {
            return false;
        }
        i++;
        var expSign = 1;
        if (i < s.Length && s[i] is '+' or '-')
        {
            expSign = s[i] == '-' ? -1 : 1;
            i++;
        }
        var e = 0;
        var expDigits = 0;
        for (; i < s.Length && s[i] is >= '0' and <= '9'; i++)
        {
            e = Math.Min(100_000, (e * 10) + (s[i] - '0'));
            expDigits++;
        }
        if (expDigits == 0 || i != s.Length)
        {
            return false;
        }
        if (sticky)
        {
            mantissa |= 1;
        }
        // ulong → double rounds to nearest even; ScaleB is exact unless the result is subnormal or overflows.
        value = Math.ScaleB((double)mantissa, exp + (expSign * e));
        if (double.IsInfinity(value))
        {
            return false;
        }
        if (negative)
        {
            value = -value;
        }
        return true;
    }

    // Go's strconv.underscoreOK: '_' only between digits, or between a base prefix and a digit.
    private static bool UnderscoreOk(string s)
    {
        var saw = '^';
        var i = 0;
        if (s.Length >= 1 && s[0] is '-' or '+')
        {
            s = s[1..];
        }
        var hex = false;
        if (s.Length >= 2 && s[0] == '0' && (s[1] | 0x20) is 'b' or 'o' or 'x')
        {
            i = 2;
            saw = '0';
            hex = (s[1] | 0x20) == 'x';
        }
        for (; i < s.Length; i++)
        {
            if (s[i] is >= '0' and <= '9' || (hex && (s[i] | 0x20) is >= 'a' and <= 'f'))
            {
                saw = '0';
                continue;
            }
            if (s[i] == '_')
            {
                if (saw != '0')
                {
                    return false;
                }
                saw = '_';
                continue;
            }
            if (saw == '_')
            {
                return false;
            }
            saw = '!';
        }
        return saw != '_';
    }
}
