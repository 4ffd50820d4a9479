using System.Globalization;

namespace Vigil.Model.Exposition;

/// <summary>The outcome of parsing a number the way Prometheus's textparse does.</summary>
internal enum NumberStatus
{
    Ok,

    /// <summary>Not a number Go's <c>strconv</c> accepts.</summary>
    InvalidSyntax,

    /// <summary>Has <c>p</c>, <c>P</c> or <c>_</c>: Prometheus keeps to pre-Go-1.13 float syntax (no hex floats, no digit separators).</summary>
    UnsupportedCharacter,

    /// <summary>Well-formed but beyond the type's range.</summary>
    OutOfRange,

    /// <summary>A timestamp that is NaN or infinite.</summary>
    NotFinite,
}

/// <summary>
/// Number parsing for exposition values and timestamps, matching Go's <c>strconv.ParseFloat</c> /
/// <c>ParseInt</c> as Prometheus calls them, on UTF-8 spans, without allocating.
/// </summary>
internal static class ExpositionNumber
{
    /// <summary>Prometheus's canonical NaN (<c>value.NormalNaN</c>): every parsed NaN becomes this, so it never equals the stale marker.</summary>
    public const ulong NormalNaNBits = 0x7ff8000000000001;

    private const NumberStyles FloatStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>
    /// Go's <c>strconv.ParseFloat(s, 64)</c> minus hex floats and underscores: <c>[+-]?(d+[.d*]|.d+)([eE][+-]?d+)?</c>,
    /// <c>[+-]?(inf|infinity)</c> and <c>nan</c> in any case. Overflow is an error (Go's ErrRange); underflow gives ±0.
    /// </summary>
    public static NumberStatus TryParseFloat(ReadOnlySpan<byte> s, out double value)
    {
        // Fast path: most exposition values are small unsigned integers ("0", "1", "4096"), exact in a double.
        if ((uint)(s.Length - 1) < 15u)
        {
            ulong acc = 0;
            var i = 0;
            for (; i < s.Length; i++)
            {
                var d = (uint)(s[i] - '0');
                if (d > 9)
                {
                    break;
                }
                acc = (acc * 10) + d;
            }
            if (i == s.Length)
            {
                value = acc;
                return NumberStatus.Ok;
            }
        }

        if (TryParseShortDecimal(s, out value))
        {
            return NumberStatus.Ok;
        }

        value = 0;
        if (s.IsEmpty)
        {
            return NumberStatus.InvalidSyntax;
        }
        if (s.IndexOfAny("pP_"u8) >= 0)
        {
            return NumberStatus.UnsupportedCharacter;
        }

        var signed = s[0] is (byte)'+' or (byte)'-';
        var rest = signed ? s[1..] : s;
        if (!rest.IsEmpty && (rest[0] | 0x20) is (byte)'i' or (byte)'n')
        {
            // strconv's special(): a sign is allowed before "inf"/"infinity" but not before "nan".
            if (EqualsIgnoreAsciiCase(rest, "inf"u8) || EqualsIgnoreAsciiCase(rest, "infinity"u8))
            {
                value = s[0] == (byte)'-' ? double.NegativeInfinity : double.PositiveInfinity;
                return NumberStatus.Ok;
            }
            if (!signed && EqualsIgnoreAsciiCase(rest, "nan"u8))
            {
                value = BitConverter.UInt64BitsToDouble(NormalNaNBits);
                return NumberStatus.Ok;
            }
            return NumberStatus.InvalidSyntax;
        }

        // Check the decimal grammar ourselves: .NET would also take "Infinity", "∞", or surrounding blanks.
        if (!IsDecimalFloat(rest))
        {
            return NumberStatus.InvalidSyntax;
        }
        if (!double.TryParse(s, FloatStyle, CultureInfo.InvariantCulture, out value))
        {
            return NumberStatus.InvalidSyntax;
        }
        return double.IsInfinity(value) ? NumberStatus.OutOfRange : NumberStatus.Ok;
    }

    /// <summary>A text-format 0.0.4 timestamp: the lexer only lets <c>[0-9]+</c> through; Go's ParseInt range rules.</summary>
    public static NumberStatus TryParseDigits(ReadOnlySpan<byte> digits, out long value)
    {
        ulong acc = 0;
        foreach (var b in digits)
        {
            var d = (uint)(b - '0');
            if (d > 9)
            {
                value = 0;
                return NumberStatus.InvalidSyntax;
            }
            if (acc > (ulong)(long.MaxValue - d) / 10)
            {
                value = 0;
                return NumberStatus.OutOfRange;
            }
            acc = (acc * 10) + d;
        }
        value = (long)acc;
        return digits.IsEmpty ? NumberStatus.InvalidSyntax : NumberStatus.Ok;
    }

    /// <summary>
    /// An OpenMetrics timestamp (float seconds) as milliseconds, truncated toward zero like Go's <c>int64(ts*1000)</c>
    /// but computed from the decimal text exactly, so <c>1.005</c> is 1005 ms (float math gives 1004) and what
    /// <see cref="ExpositionWriter"/> writes reads back unchanged. NaN and ±Inf are rejected, as Prometheus does;
    /// values outside the int64 millisecond range are rejected too (Go would wrap them silently).
    /// </summary>
    public static NumberStatus TryParseOpenMetricsTimestamp(ReadOnlySpan<byte> s, out long ms)
    {
        ms = 0;
        var status = TryParseFloat(s, out var seconds);
        if (status != NumberStatus.Ok)
        {
            return status;
        }
        if (!double.IsFinite(seconds))
        {
            return NumberStatus.NotFinite;
        }

        // Fast path: [+-]?d{1,15}(.d*)? — integer arithmetic, exact.
        var i = 0;
        var negative = false;
        if (s[0] is (byte)'+' or (byte)'-')
        {
            negative = s[0] == (byte)'-';
            i = 1;
        }
        long whole = 0;
        var intDigits = 0;
        while (i < s.Length && (uint)(s[i] - '0') <= 9 && intDigits < 16)
        {
            whole = (whole * 10) + (s[i] - '0');
            i++;
            intDigits++;
        }
        if (intDigits < 16)
        {
            long frac = 0;
            var fracDigits = 0;
            var ok = true;
            if (i < s.Length && s[i] == (byte)'.')
            {
                i++;
                while (i < s.Length)
                {
                    var d = (uint)(s[i] - '0');
                    if (d > 9)
                    {
                        ok = false;
                        break;
                    }
                    if (fracDigits < 3)
                    {
                        frac = (frac * 10) + d;
                        fracDigits++;
                    }
                    i++;
                }
            }
            if (ok && i == s.Length)
            {
                for (; fracDigits < 3; fracDigits++)
                {
                    frac *= 10;
                }
                var magnitude = (whole * 1000) + frac;
                ms = negative ? -magnitude : magnitude;
                return NumberStatus.Ok;
            }
        }

        // Exponents and long mantissas: decimal holds 28 significant digits, enough for every int64 millisecond.
        const decimal MaxSeconds = 9_223_372_036_854_775.807m;
        const decimal MinSeconds = -9_223_372_036_854_775.808m;
        if (Math.Abs(seconds) > 1e17
            || !decimal.TryParse(s, FloatStyle, CultureInfo.InvariantCulture, out var dec)
            || dec > MaxSeconds
            || dec < MinSeconds)
        {
            return NumberStatus.OutOfRange;
        }
        ms = (long)decimal.Truncate(dec * 1000m);
        return NumberStatus.Ok;
    }

    // Powers of ten exactly representable as doubles (10^22 is the largest).
    private static readonly double[] s_exactPowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>
    /// Clinger's exact fast path (what Go's <c>atof64exact</c> does): a decimal with at most 15 significant digits
    /// and a power of ten within ±22 is one correctly rounded multiply or divide of two exact doubles.
    /// Anything else returns false and takes the general path.
    /// </summary>
    private static bool TryParseShortDecimal(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (i < s.Length && s[i] is (byte)'+' or (byte)'-')
        {
            negative = s[i] == (byte)'-';
            i++;
        }
        ulong mantissa = 0;
        var significant = 0;
        var exponent = 0;
        var anyDigit = false;
        var inFraction = false;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            var d = (uint)(c - '0');
            if (d <= 9)
            {
                anyDigit = true;
                if (mantissa != 0 || d != 0)
                {
                    if (significant == 15)
                    {
                        return false;
                    }
                    mantissa = (mantissa * 10) + d;
                    significant++;
                }
                if (inFraction)
                {
                    exponent--;
                }
            }
            else if (c == (byte)'.' && !inFraction)
            {
                inFraction = true;
            }
            else
            {
                break;
            }
        }
        if (!anyDigit)
        {
            return false;
        }
        if (i < s.Length && (s[i] | 0x20) == (byte)'e')
        {
            i++;
            var expNegative = false;
            if (i < s.Length && s[i] is (byte)'+' or (byte)'-')
            {
                expNegative = s[i] == (byte)'-';
                i++;
            }
            var e = 0;
            var expDigits = 0;
            for (; i < s.Length && (uint)(s[i] - '0') <= 9; i++)
            {
                e = Math.Min((e * 10) + (s[i] - '0'), 100_000);
                expDigits++;
            }
            if (expDigits == 0)
            {
                return false;
            }
            exponent += expNegative ? -e : e;
        }
        if (i != s.Length)
        {
            return false;
        }
        if (mantissa == 0)
        {
            value = negative ? -0.0 : 0.0;
            return true;
        }
        if (exponent is < -22 or > 22)
        {
            return false;
        }
        var result = exponent < 0 ? mantissa / s_exactPowersOfTen[-exponent] : mantissa * s_exactPowersOfTen[exponent];
        value = negative ? -result : result;
        return true;
    }

    /// <summary>Whether <paramref name="s"/> (sign already removed) is <c>(d+[.d*]|.d+)([eE][+-]?d+)?</c>.</summary>
    private static bool IsDecimalFloat(ReadOnlySpan<byte> s)
    {
        var i = 0;
        var digits = 0;
        while (i < s.Length && (uint)(s[i] - '0') <= 9)
        {
            i++;
            digits++;
        }
        if (i < s.Length && s[i] == (byte)'.')
        {
            i++;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                i++;
                digits++;
            }
        }
        if (digits == 0)
        {
            return false;
        }
        if (i < s.Length && (s[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < s.Length && s[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }
            var expDigits = 0;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                i++;
                expDigits++;
            }
            if (expDigits == 0)
            {
                return false;
            }
        }
        return i == s.Length;
    }

    private static bool EqualsIgnoreAsciiCase(ReadOnlySpan<byte> s, ReadOnlySpan<byte> lower)
    {
        if (s.Length != lower.Length)
        {
            return false;
        }
        for (var i = 0; i < s.Length; i++)
        {
            if ((s[i] | 0x20) != lower[i])
            {
                return false;
            }
        }
        return true;
    }
}
