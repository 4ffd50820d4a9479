using System.Globalization;
using System.Numerics;
using System.Text;

namespace Vigil.Templates.Parsing;

/// <summary>A number constant's readings (Go's <c>parse.NumberNode</c> fields).</summary>
internal struct NumberInfo
{
    public bool IsInt;
    public bool IsUint;
    public bool IsFloat;
    public bool IsComplex;
    public long Int64;
    public ulong Uint64;
    public double Float64;
    public Complex Complex128;
}

/// <summary>Go's <c>parse.newNumber</c>: reads a number, character or complex constant with Go's literal syntax.</summary>
internal static class GoNumber
{
    public static bool TryParse(string text, ItemType type, out NumberInfo n, out string error)
    {
        n = default;
        error = "";
        if (type == ItemType.CharConstant)
        {
            var body = text.AsSpan(1);
            var sb = new StringBuilder();
            if (body.Length == 0 || !GoQuoting.TryUnquoteChar(ref body, '\'', sb))
            {
                error = "invalid syntax";
                return false;
            }
            if (!body.SequenceEqual("'"))
            {
                error = $"malformed character constant: {text}";
                return false;
            }
            var s = sb.ToString();
            var rune = char.IsHighSurrogate(s[0]) && s.Length > 1 ? char.ConvertToUtf32(s[0], s[1]) : s[0];
            n.Int64 = rune;
            n.IsInt = true;
            n.Uint64 = (ulong)rune;
            n.IsUint = true;
            n.Float64 = rune;
            n.IsFloat = true;
            return true;
        }
        if (type == ItemType.Complex)
        {
            // Go lets fmt.Sscan read "1+2i": a real part, then a signed imaginary part.
            var split = text.LastIndexOfAny(['+', '-']);
            if (split <= 0 || !TryParseFloat(text[..split], out var re) || !TryParseFloat(text[split..^1], out var im))
            {
                error = "expected integer";
                return false;
            }
            n.IsComplex = true;
            n.Complex128 = new Complex(re, im);
            Simplify(ref n);
            return true;
        }
        if (text.Length > 0 && text[^1] == 'i' && TryParseFloat(text[..^1], out var imag))
        {
            n.IsComplex = true;
            n.Complex128 = new Complex(0, imag);
            Simplify(ref n);
            return true;
        }
        var okUint = TryParseUint(text, out var u);
        if (okUint)
        {
            n.IsUint = true;
            n.Uint64 = u;
        }
        if (TryParseInt(text, out var i))
        {
            n.IsInt = true;
            n.Int64 = i;
            if (i == 0)
            {
                n.IsUint = true;
                n.Uint64 = u;
            }
        }
        if (n.IsInt)
        {
            n.IsFloat = true;
            n.Float64 = n.Int64;
        }
        else if (n.IsUint)
        {
            n.IsFloat = true;
            n.Float64 = n.Uint64;
        }
        else if (TryParseFloat(text, out var f))
        {
            if (text.AsSpan().IndexOfAny(".eEpP") < 0)
            {
                error = $"integer overflow: {GoQuoting.Quote(text)}";
                return false;
            }
            n.IsFloat = true;
            n.Float64 = f;
            if (!n.IsInt && Math.Abs(f) < 9.3e18 && (double)(long)f == f)
            {
                n.IsInt = true;
                n.Int64 = (long)f;
            }
            if (!n.IsUint && f >= 0 && f < 1.85e19 && (double)(ulong)f == f)
            {
                n.IsUint = true;
                n.Uint64 = (ulong)f;
            }
        }
        if (!n.IsInt && !n.IsUint && !n.IsFloat)
        {
            error = $"illegal number syntax: {GoQuoting.Quote(text)}";
            return false;
        }
        return true;
    }

    private static void Simplify(ref NumberInfo n)
    {
        if (n.Complex128.Imaginary == 0)
        {
            n.IsFloat = true;
            n.Float64 = n.Complex128.Real;
            if (Math.Abs(n.Float64) < 9.3e18 && (double)(long)n.Float64 == n.Float64)
            {
                n.IsInt = true;
                n.Int64 = (long)n.Float64;
            }
            if (n.Float64 >= 0 && n.Float64 < 1.85e19 && (double)(ulong)n.Float64 == n.Float64)
            {
                n.IsUint = true;
                n.Uint64 = (ulong)n.Float64;
            }
        }
    }

    // Go's underscoreOK: underscores only between digits (or after a base prefix).
    private static bool UnderscoreOk(ReadOnlySpan<char> s)
    {
        var saw = '^';
        var i = 0;
        if (s.Length >= 1 && (s[0] == '-' || s[0] == '+'))
        {
            s = s[1..];
        }
        var hex = false;
        if (s.Length >= 2 && s[0] == '0' && (char.ToLowerInvariant(s[1]) is 'b' or 'o' or 'x'))
        {
            i = 2;
            saw = '0';
            hex = char.ToLowerInvariant(s[1]) == 'x';
        }
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9' || (hex && char.ToLowerInvariant(c) is >= 'a' and <= 'f'))
            {
                saw = '0';
                continue;
            }
            if (c == '_')
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

    /// <summary>Go's <c>strconv.ParseUint(s, 0, 64)</c>.</summary>
    public static bool TryParseUint(string s, out ulong value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }
        var span = s.AsSpan();
        var b = 10;
        var underscores = false;
        if (span[0] == '0')
        {
            if (span.Length >= 3 && char.ToLowerInvariant(span[1]) == 'b')
            {
                b = 2;
                span = span[2..];
            }
            else if (span.Length >= 3 && char.ToLowerInvariant(span[1]) == 'o')
            {
                b = 8;
                span = span[2..];
            }
            else if (span.Length >= 3 && char.ToLowerInvariant(span[1]) == 'x')
            {
                b = 16;
                span = span[2..];
            }
            else
            {
                b = 8;
                span = span[1..];
            }
            underscores = true;
        }
        ulong n = 0;
        foreach (var c in span)
        {
            int d;
            if (c == '_')
            {
                underscores = true;
                continue;
            }
            else if (c is >= '0' and <= '9')
            {
                d = c - '0';
            }
            else if (char.ToLowerInvariant(c) is >= 'a' and <= 'z')
            {
                d = char.ToLowerInvariant(c) - 'a' + 10;
            }
            else
            {
                return false;
            }
            if (d >= b)
            {
                return false;
            }
            var next = (UInt128)n * (uint)b + (uint)d;
            if (next > ulong.MaxValue)
            {
                return false;
            }
            n = (ulong)next;
        }
        if (underscores && !UnderscoreOk(s))
        {
            return false;
        }
        if (s.Contains('_', StringComparison.Ordinal) && !UnderscoreOk(s))
        {
            return false;
        }
        value = n;
        return true;
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 0, 64)</c>.</summary>
    public static bool TryParseInt(string s, out long value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }
        var neg = false;
        var body = s;
        if (s[0] is '+' or '-')
        {
            neg = s[0] == '-';
            body = s[1..];
        }
        if (!TryParseUint(body, out var u))
        {
            return false;
        }
        if (!neg && u > long.MaxValue)
        {
            return false;
        }
        if (neg && u > (ulong)long.MaxValue + 1)
        {
            return false;
        }
        value = neg ? (long)(0 - u) : (long)u;
        return true;
    }

    /// <summary>Go's <c>strconv.ParseFloat(s, 64)</c> for the literal forms the lexer produces (decimal and hex, underscores).</summary>
    public static bool TryParseFloat(string s, out double value) => TryParseFloat(s, out value, out _);

    /// <summary>Like <see cref="TryParseFloat(string, out double)"/>; <paramref name="outOfRange"/> tells Go's range error apart.</summary>
    public static bool TryParseFloat(string s, out double value, out bool outOfRange)
    {
        outOfRange = false;
        if (!TryParseFloatCore(s, out value))
        {
            return false;
        }
        if (double.IsInfinity(value))
        {
            outOfRange = true;
            return false;
        }
        return true;
    }

    private static bool TryParseFloatCore(string s, out double value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }
        if (s.Contains('_', StringComparison.Ordinal))
        {
            if (!UnderscoreOk(s))
            {
                return false;
            }
            s = s.Replace("_", "", StringComparison.Ordinal);
        }
        var span = s.AsSpan();
        var neg = false;
        if (span.Length > 0 && span[0] is '+' or '-')
        {
            neg = span[0] == '-';
            span = span[1..];
        }
        if (span.Length > 2 && span[0] == '0' && char.ToLowerInvariant(span[1]) == 'x')
        {
            if (!TryParseHexFloat(span[2..], out value))
            {
                return false;
            }
            value = neg ? -value : value;
            return true;
        }
        foreach (var c in span)
        {
            if (!(c is >= '0' and <= '9' or '.' or 'e' or 'E' or '+' or '-'))
            {
                return false;
            }
        }
        if (span.Length == 0 || span.IndexOfAny("0123456789") < 0 || span.IndexOfAny("0123456789") > span.IndexOfAny("eE") && span.IndexOfAny("eE") >= 0)
        {
            return false;
        }
        if (!double.TryParse(span, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }
        value = neg ? -value : value;
        return true;
    }

    private static bool TryParseHexFloat(ReadOnlySpan<char> s, out double value)
    {
        value = 0;
        var p = s.IndexOfAny('p', 'P');
        if (p < 0)
        {
            return false;
        }
        var mantissa = s[..p];
        var expText = s[(p + 1)..];
        if (!int.TryParse(expText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exp))
        {
            return false;
        }
        double m = 0;
        var fractionDigits = 0;
        var seenDot = false;
        var digits = 0;
        foreach (var c in mantissa)
        {
            if (c == '.')
            {
                if (seenDot)
                {
                    return false;
                }
                seenDot = true;
                continue;
            }
            var d = HexValue(c);
            if (d < 0)
            {
                return false;
            }
            m = (m * 16) + d;
            digits++;
            if (seenDot)
            {
                fractionDigits++;
            }
        }
        if (digits == 0)
        {
            return false;
        }
        value = m * Math.Pow(2, exp - (4 * fractionDigits));
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
