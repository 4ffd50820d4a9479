using System.Globalization;
using System.Numerics;
using System.Text;

namespace Vigil.Templates.Execution;

/// <summary>
/// Go's <c>strconv.FormatFloat</c> for the formats fmt uses (<c>'e' 'E' 'f' 'F' 'g' 'G'</c>, shortest or with a
/// precision), with Go's rounding (exact decimal value, ties to even), exponents of at least two digits, and
/// <c>+Inf</c>/<c>-Inf</c>/<c>NaN</c>.
/// </summary>
internal static class GoFloatFormat
{
    public static string Format(double v, char fmt, int prec)
    {
        var sb = new StringBuilder(24);
        Append(sb, v, fmt, prec);
        return sb.ToString();
    }

    public static void Append(StringBuilder sb, double v, char fmt, int prec)
    {
        if (double.IsNaN(v))
        {
            sb.Append("NaN");
            return;
        }
        if (double.IsInfinity(v))
        {
            sb.Append(v > 0 ? "+Inf" : "-Inf");
            return;
        }
        var neg = double.IsNegative(v);
        var abs = Math.Abs(v);
        if (fmt is 'x' or 'X')
        {
            AppendHex(sb, abs, neg, fmt);
            return;
        }
        var shortest = prec < 0;
        string digits;
        int dp;
        if (shortest)
        {
            (digits, dp) = ShortestDigits(abs);
        }
        else
        {
            var (exact, exactDp) = ExactDigits(abs);
            switch (fmt)
            {
                case 'e' or 'E':
                    (digits, dp) = Round(exact, exactDp, prec + 1);
                    break;
                case 'f' or 'F':
                    (digits, dp) = Round(exact, exactDp, exactDp + prec);
                    break;
                default:
                    (digits, dp) = Round(exact, exactDp, prec == 0 ? 1 : prec);
                    digits = digits.TrimEnd('0');
                    if (digits.Length == 0)
                    {
                        digits = "0";
                    }
                    break;
            }
        }
        if (neg)
        {
            sb.Append('-');
        }
        var nd = digits == "0" ? 0 : digits.Length;
        if (nd == 0)
        {
            dp = 0;
        }
        switch (fmt)
        {
            case 'e' or 'E':
                AppendE(sb, digits, nd, dp, shortest ? nd - 1 : prec, fmt);
                return;
            case 'f' or 'F':
                AppendF(sb, digits, nd, dp, shortest ? Math.Max(nd - dp, 0) : prec);
                return;
            default:
            {
                var eprec = prec;
                if (eprec > nd && nd >= dp)
                {
                    eprec = nd;
                }
                if (shortest)
                {
                    eprec = 6;
                }
                var exp = dp - 1;
                if (exp < -4 || exp >= eprec)
                {
                    var p = prec;
                    if (shortest || p > nd)
                    {
                        p = nd;
                    }
                    AppendE(sb, digits, nd, dp, Math.Max(p - 1, 0), fmt == 'G' ? 'E' : 'e');
                    return;
                }
                var fp = prec;
                if (shortest || fp > dp)
                {
                    fp = nd;
                }
                AppendF(sb, digits, nd, dp, Math.Max(fp - dp, 0));
                return;
            }
        }
    }

    // Go's fmtX with the shortest precision: -0x1.yyyyp±dd.
    private static void AppendHex(StringBuilder sb, double abs, bool neg, char fmt)
    {
        var bits = BitConverter.DoubleToInt64Bits(abs);
        var exp = (int)((bits >> 52) & 0x7FF);
        var mant = (ulong)bits & 0xFFFFFFFFFFFFFUL;
        if (exp == 0)
        {
            exp++;
        }
        else
        {
            mant |= 1UL << 52;
        }
        exp -= 1023;
        if (mant == 0)
        {
            exp = 0;
        }
        mant <<= 60 - 52;
        while (mant != 0 && (mant & (1UL << 60)) == 0)
        {
            mant <<= 1;
            exp--;
        }
        var hex = fmt == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        if (neg)
        {
            sb.Append('-');
        }
        sb.Append('0').Append(fmt).Append((char)('0' + (int)((mant >> 60) & 1)));
        mant <<= 4;
        if (mant != 0)
        {
            sb.Append('.');
            while (mant != 0)
            {
                sb.Append(hex[(int)((mant >> 60) & 15)]);
                mant <<= 4;
            }
        }
        sb.Append(fmt == 'X' ? 'P' : 'p');
        if (exp < 0)
        {
            sb.Append('-');
            exp = -exp;
        }
        else
        {
            sb.Append('+');
        }
        if (exp < 10)
        {
            sb.Append('0');
        }
        sb.Append(exp.ToString(CultureInfo.InvariantCulture));
    }

    private static void AppendE(StringBuilder sb, string digits, int nd, int dp, int prec, char fmt)
    {
        sb.Append(nd == 0 ? '0' : digits[0]);
        if (prec > 0)
        {
            sb.Append('.');
            var i = 1;
            var m = Math.Min(nd, prec + 1);
            if (i < m)
            {
                sb.Append(digits, i, m - i);
                i = m;
            }
            for (; i <= prec; i++)
            {
                sb.Append('0');
            }
        }
        sb.Append(fmt);
        var exp = nd == 0 ? 0 : dp - 1;
        if (exp < 0)
        {
            sb.Append('-');
            exp = -exp;
        }
        else
        {
            sb.Append('+');
        }
        if (exp < 10)
        {
            sb.Append('0');
        }
        sb.Append(exp.ToString(CultureInfo.InvariantCulture));
    }

    private static void AppendF(StringBuilder sb, string digits, int nd, int dp, int prec)
    {
        if (dp > 0)
        {
            var m = Math.Min(nd, dp);
            sb.Append(digits, 0, m);
            for (; m < dp; m++)
            {
                sb.Append('0');
            }
        }
        else
        {
            sb.Append('0');
        }
        if (prec > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= prec; i++)
            {
                var j = dp + i - 1;
                sb.Append(j >= 0 && j < nd ? digits[j] : '0');
            }
        }
    }

    // Shortest round-trip digits (what Go's shortest formatting picks; .NET's "R" yields the same digit string).
    private static (string Digits, int Dp) ShortestDigits(double abs)
    {
        if (abs == 0)
        {
            return ("0", 0);
        }
        var s = abs.ToString("R", CultureInfo.InvariantCulture);
        var e = s.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e < 0 ? s : s[..e];
        var exp10 = e < 0 ? 0 : int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var fracPart = dot < 0 ? "" : mantissa[(dot + 1)..];
        var all = intPart + fracPart;
        var dp = intPart.Length + exp10;
        var lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0')
        {
            lead++;
        }
        all = all[lead..];
        dp -= lead;
        all = all.TrimEnd('0');
        return (all.Length == 0 ? "0" : all, dp);
    }

    // The exact decimal expansion of a finite double: value = 0.DIGITS × 10^dp.
    private static (string Digits, int Dp) ExactDigits(double abs)
    {
        if (abs == 0)
        {
            return ("0", 0);
        }
        var bits = BitConverter.DoubleToInt64Bits(abs);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }
        exponent -= 1075;
        string digits;
        int dp;
        if (exponent >= 0)
        {
            digits = (new BigInteger(mantissa) << exponent).ToString(CultureInfo.InvariantCulture);
            dp = digits.Length;
        }
        else
        {
            digits = (new BigInteger(mantissa) * BigInteger.Pow(5, -exponent)).ToString(CultureInfo.InvariantCulture);
            dp = digits.Length + exponent;
        }
        var trimmed = digits.TrimEnd('0');
        return (trimmed, dp);
    }

    // Rounds 0.DIGITS × 10^dp to n significant digits, ties to even (Go's decimal rounding).
    private static (string Digits, int Dp) Round(string digits, int dp, int n)
    {
        if (n < 0)
        {
            return ("0", dp);
        }
        if (n >= digits.Length)
        {
            return (digits, dp);
        }
        bool up;
        if (digits[n] == '5' && n + 1 == digits.Length)
        {
            up = n > 0 && (digits[n - 1] - '0') % 2 == 1;
        }
        else
        {
            up = digits[n] >= '5';
        }
        if (!up)
        {
            var kept = digits[..n].TrimEnd('0');
            return (kept.Length == 0 ? "0" : PadTo(kept, n), dp);
        }
        var chars = digits[..n].ToCharArray();
        var i = n - 1;
        while (i >= 0 && chars[i] == '9')
        {
            chars[i] = '0';
            i--;
        }
        if (i < 0)
        {
            // All nines: 0.999 → 0.1 × 10^(dp+1).
            return (PadTo("1", n), dp + 1);
        }
        chars[i]++;
        return (new string(chars), dp);
    }

    private static string PadTo(string s, int n) => s.Length >= n || n <= 0 ? s : s.PadRight(n, '0');
}
