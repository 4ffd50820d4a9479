using System.Globalization;

namespace Vigil.Server.Api;

/// <summary>
/// The parts of Go's <c>strconv</c> (and of Go's float-to-int conversion on amd64) that decide which API
/// parameters Prometheus accepts, so Vigil accepts and rejects the same texts.
/// </summary>
internal static class GoStrconv
{
    /// <summary>
    /// <c>strconv.ParseFloat(s, 64)</c>: decimal and hexadecimal (<c>0x1p4</c>) floats, <c>_</c> between digits,
    /// <c>inf</c>/<c>infinity</c>/<c>nan</c> in any case. False on a syntax error and on overflow (Go's <c>ErrRange</c>).
    /// </summary>
    public static bool TryParseFloat(string s, out double value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }
        if (TryParseSpecial(s, out value))
        {
            return true;
        }
        var span = s.AsSpan();
        var i = 0;
        var negative = false;
        if (span[0] is '+' or '-')
        {
            negative = span[0] == '-';
            i = 1;
        }
        var hex = span.Length - i > 2 && span[i] == '0' && (span[i + 1] | 0x20) == 'x';
        if (hex)
        {
            i += 2;
        }
        var underscores = false;
        var sawDigits = false;
        var sawDot = false;
        for (; i < span.Length; i++)
        {
            var c = span[i];
            if (c == '_')
            {
                underscores = true;
            }
            else if (c == '.')
            {
                if (sawDot)
                {
                    return false;
                }
                sawDot = true;
            }
            else if (char.IsAsciiDigit(c) || (hex && char.IsAsciiHexDigit(c)))
            {
                sawDigits = true;
            }
            else
            {
                break;
            }
        }
        if (!sawDigits)
        {
            return false;
        }
        if (i < span.Length && (span[i] | 0x20) == (hex ? 'p' : 'e'))
        {
            i++;
            if (i < span.Length && span[i] is '+' or '-')
            {
                i++;
            }
            var expDigits = false;
            for (; i < span.Length && (char.IsAsciiDigit(span[i]) || span[i] == '_'); i++)
            {
                if (span[i] == '_')
                {
                    underscores = true;
                }
                else
                {
                    expDigits = true;
                }
            }
            if (!expDigits)
            {
                return false;
            }
        }
        else if (hex)
        {
            return false; // Go: a hexadecimal mantissa requires a 'p' exponent
        }
        if (i != span.Length || (underscores && !UnderscoreOk(span)))
        {
            return false;
        }
        var clean = underscores ? s.Replace("_", "", StringComparison.Ordinal) : s;
        if (!hex)
        {
            if (!double.TryParse(clean, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
            {
                return false;
            }
            // .NET rounds an overflow to infinity; Go reports ErrRange, and Prometheus then rejects the text.
            return !double.IsInfinity(value);
        }
        value = ParseHex(clean, negative);
        return !double.IsInfinity(value);
    }

    private static bool TryParseSpecial(string s, out double value)
    {
        value = 0;
        var span = s.AsSpan();
        var sign = 1.0;
        var signed = false;
        if (span[0] is '+' or '-')
        {
            sign = span[0] == '-' ? -1 : 1;
            signed = true;
            span = span[1..];
        }
        if (span.Equals("inf", StringComparison.OrdinalIgnoreCase) || span.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }
        if (!signed && span.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        return false;
    }

    /// <summary>Go's <c>underscoreOK</c>: each <c>_</c> sits between digits (or after the base prefix).</summary>
    private static bool UnderscoreOk(ReadOnlySpan<char> s)
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
            if (char.IsAsciiDigit(s[i]) || (hex && char.IsAsciiHexDigit(s[i])))
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

    private static double ParseHex(string s, bool negative)
    {
        var i = s[0] is '+' or '-' ? 3 : 2;
        ulong mantissa = 0;
        var exponent = 0;
        var sawDot = false;
        var sticky = false;
        for (; i < s.Length && (s[i] | 0x20) != 'p'; i++)
        {
            if (s[i] == '.')
            {
                sawDot = true;
                continue;
            }
            var d = (ulong)HexValue(s[i]);
            if (mantissa >> 58 == 0)
            {
                mantissa = (mantissa << 4) | d;
                if (sawDot)
                {
                    exponent -= 4;
                }
            }
            else
            {
                sticky |= d != 0;
                if (!sawDot)
                {
                    exponent += 4;
                }
            }
        }
        var p = int.Parse(s.AsSpan(i + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var m = (double)(mantissa | (sticky ? 1UL : 0UL));
        var v = Math.ScaleB(m, exponent + p);
        return negative ? -v : v;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>
    /// Go's <c>int64(f)</c> on amd64: truncation toward zero, and <see cref="long.MinValue"/> for NaN and for
    /// values out of range (the CPU's "integer indefinite"), where .NET would saturate.
    /// </summary>
    public static long ToInt64(double f)
        => double.IsNaN(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0 ? long.MinValue : (long)f;

    /// <summary><c>strconv.Atoi</c>: an optional sign and decimal digits, in range.</summary>
    public static bool TryAtoi(string s, out long value)
        => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary><c>strconv.ParseBool</c>: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False.</summary>
    public static bool TryParseBool(string s, out bool value)
    {
        switch (s)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
