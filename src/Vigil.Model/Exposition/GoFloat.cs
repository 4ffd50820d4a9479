using System.Globalization;

namespace Vigil.Model.Exposition;

/// <summary>
/// Float formatting that matches Go's <c>strconv.FormatFloat(f, 'g', -1, 64)</c> byte for byte
/// (what client_golang and Prometheus write in expositions): shortest round-trip digits,
/// exponent form when the decimal exponent is &lt; -4 or ≥ 6 (Go's rule for shortest 'g'), two-digit exponents (<c>1e+06</c>),
/// and <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.
/// </summary>
public static class GoFloat
{
    /// <summary>The most bytes <see cref="TryFormat"/> writes.</summary>
    public const int MaxLength = 32;

    /// <summary>Formats <paramref name="value"/> as a string.</summary>
    public static string Format(double value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        TryFormat(value, buffer, out var written);
        return System.Text.Encoding.ASCII.GetString(buffer[..written]);
    }

    /// <summary>The most bytes <see cref="TryFormatFixed"/> writes (<c>-5e-324</c> takes 327).</summary>
    public const int MaxFixedLength = 400;

    /// <summary>Go's <c>strconv.FormatFloat(value, 'f', -1, 64)</c>: shortest round-trip digits, never an exponent (what Prometheus's API writes).</summary>
    public static string FormatFixed(double value)
    {
        Span<byte> buffer = stackalloc byte[MaxFixedLength];
        TryFormatFixed(value, buffer, out var written);
        return System.Text.Encoding.ASCII.GetString(buffer[..written]);
    }

    /// <summary>Like <see cref="FormatFixed"/>, into <paramref name="destination"/> (≥ <see cref="MaxFixedLength"/> bytes).</summary>
    public static bool TryFormatFixed(double value, Span<byte> destination, out int written)
    {
        written = 0;
        return destination.Length >= MaxFixedLength && TryFormatCore(value, destination, fixedNotation: true, out written);
    }

    /// <summary>Formats <paramref name="value"/> into <paramref name="destination"/> (≥ <see cref="MaxLength"/> bytes).</summary>
    public static bool TryFormat(double value, Span<byte> destination, out int written)
    {
        written = 0;
        return destination.Length >= MaxLength && TryFormatCore(value, destination, fixedNotation: false, out written);
    }

    private static bool TryFormatCore(double value, Span<byte> destination, bool fixedNotation, out int written)
    {
        written = 0;
        if (double.IsNaN(value))
        {
            return Copy("NaN"u8, destination, out written);
        }
        if (double.IsPositiveInfinity(value))
        {
            return Copy("+Inf"u8, destination, out written);
        }
        if (double.IsNegativeInfinity(value))
        {
            return Copy("-Inf"u8, destination, out written);
        }
        if (value == 0)
        {
            return double.IsNegative(value) ? Copy("-0"u8, destination, out written) : Copy("0"u8, destination, out written);
        }

        // .NET's "R" gives the shortest round-trip digits; re-lay them out the way Go does.
        Span<byte> r = stackalloc byte[MaxLength];
        value.TryFormat(r, out var rLength, "R", CultureInfo.InvariantCulture);
        var text = r[..rLength];

        var pos = 0;
        var negative = false;
        if (text[0] == (byte)'-')
        {
            negative = true;
            text = text[1..];
        }

        // Split into significant digits and the position of the decimal point.
        Span<byte> digits = stackalloc byte[24];
        var nd = 0;
        var dp = 0;
        var seenPoint = false;
        var exp = 0;
        var i = 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == (byte)'.')
            {
                seenPoint = true;
                continue;
            }
            if (c is (byte)'E' or (byte)'e')
            {
                exp = int.Parse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            if (nd == 0 && c == (byte)'0')
            {
                // Leading zeros: before the point they mean nothing; after it they shift the point.
                if (seenPoint)
                {
                    dp--;
                }
                continue;
            }
            digits[nd++] = c;
            if (!seenPoint)
            {
                dp++;
            }
        }
        // Trailing zeros of an integer like "1000000" are not significant.
        while (nd > 1 && digits[nd - 1] == (byte)'0')
        {
            nd--;
        }
        dp += exp;

        if (negative)
        {
            destination[pos++] = (byte)'-';
        }

        var x = dp - 1;
        if (!fixedNotation && (x < -4 || x >= 6))
        {
            // d.ddddde±XX
            destination[pos++] = digits[0];
            if (nd > 1)
            {
                destination[pos++] = (byte)'.';
                digits[1..nd].CopyTo(destination[pos..]);
                pos += nd - 1;
            }
            destination[pos++] = (byte)'e';
            destination[pos++] = x < 0 ? (byte)'-' : (byte)'+';
            var ax = Math.Abs(x);
            if (ax < 10)
            {
                destination[pos++] = (byte)'0';
                destination[pos++] = (byte)('0' + ax);
            }
            else if (ax < 100)
            {
                destination[pos++] = (byte)('0' + (ax / 10));
                destination[pos++] = (byte)('0' + (ax % 10));
            }
            else
            {
                destination[pos++] = (byte)('0' + (ax / 100));
                destination[pos++] = (byte)('0' + (ax / 10 % 10));
                destination[pos++] = (byte)('0' + (ax % 10));
            }
        }
        else if (dp <= 0)
        {
            // 0.000ddd
            destination[pos++] = (byte)'0';
            destination[pos++] = (byte)'.';
            for (var z = 0; z < -dp; z++)
            {
                destination[pos++] = (byte)'0';
            }
            digits[..nd].CopyTo(destination[pos..]);
            pos += nd;
        }
        else
        {
            // ddd.ddd or ddd000
            for (var k = 0; k < dp; k++)
            {
                destination[pos++] = k < nd ? digits[k] : (byte)'0';
            }
            if (nd > dp)
            {
                destination[pos++] = (byte)'.';
                digits[dp..nd].CopyTo(destination[pos..]);
                pos += nd - dp;
            }
        }
        written = pos;
        return true;
    }

    private static bool Copy(ReadOnlySpan<byte> text, Span<byte> destination, out int written)
    {
        text.CopyTo(destination);
        written = text.Length;
        return true;
    }
}
