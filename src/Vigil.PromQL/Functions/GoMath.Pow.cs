namespace Vigil.PromQL.Functions;

/// <summary>Go's pure-Go <c>math.Pow</c> and <c>math.Atan2</c> (go/src/math/pow.go, atan2.go), used by PromQL's <c>^</c> and <c>atan2</c>.</summary>
internal static partial class GoMath
{
    /// <summary>Go's <c>math.Atan2</c>: special cases, then <see cref="Atan"/> of the quotient and the quadrant.</summary>
    public static double Atan2(double y, double x)
    {
        if (double.IsNaN(y) || double.IsNaN(x))
        {
            return double.NaN;
        }
        if (y == 0)
        {
            return x >= 0 && !double.IsNegative(x) ? Math.CopySign(0, y) : Math.CopySign(Pi, y);
        }
        if (x == 0)
        {
            return Math.CopySign(Pi / 2, y);
        }
        if (double.IsInfinity(x))
        {
            if (double.IsPositiveInfinity(x))
            {
                return double.IsInfinity(y) ? Math.CopySign(Pi / 4, y) : Math.CopySign(0, y);
            }
            return double.IsInfinity(y) ? Math.CopySign(3 * Pi / 4, y) : Math.CopySign(Pi, y);
        }
        if (double.IsInfinity(y))
        {
            return Math.CopySign(Pi / 2, y);
        }
        var q = Atan(y / x);
        if (x < 0)
        {
            return q <= 0 ? q + Pi : q - Pi;
        }
        return q;
    }

    /// <summary>Go's <c>math.Pow</c>: exact special cases, then repeated squaring of the mantissa and <c>Exp(yf·Log(x))</c> for the fraction.</summary>
    public static double Pow(double x, double y)
    {
        if (y == 0 || x == 1)
        {
            return 1;
        }
        if (y == 1)
        {
            return x;
        }
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.NaN;
        }
        if (x == 0)
        {
            if (y < 0)
            {
                return double.IsNegative(x) && IsOddInt(y) ? double.NegativeInfinity : double.PositiveInfinity;
            }
            return double.IsNegative(x) && IsOddInt(y) ? x : 0;
        }
        if (double.IsInfinity(y))
        {
            if (x == -1)
            {
                return 1;
            }
            return (Math.Abs(x) < 1) == double.IsPositiveInfinity(y) ? 0 : double.PositiveInfinity;
        }
        if (double.IsInfinity(x))
        {
            if (double.IsNegativeInfinity(x))
            {
                return Pow(1 / x, -y);
            }
            return y < 0 ? 0 : double.PositiveInfinity;
        }
        if (y == 0.5)
        {
            return Math.Sqrt(x);
        }
        if (y == -0.5)
        {
            return 1 / Math.Sqrt(x);
        }

        var yi = Math.Truncate(Math.Abs(y));
        var yf = Math.Abs(y) - yi;
        if (yf != 0 && x < 0)
        {
            return double.NaN;
        }
        if (yi >= 9.223372036854775808e18)
        {
            if (x == -1)
            {
                return 1;
            }
            return (Math.Abs(x) < 1) == (y > 0) ? 0 : double.PositiveInfinity;
        }

        var a1 = 1.0;
        var ae = 0;
        if (yf != 0)
        {
            if (yf > 0.5)
            {
                yf--;
                yi++;
            }
            a1 = Exp(yf * Log(x));
        }

        var (x1, xe) = Frexp(x);
        for (var i = (long)yi; i != 0; i >>= 1)
        {
            if (xe < -(1 << 12) || (1 << 12) < xe)
            {
                // Catastrophic overflow: let Ldexp handle it.
                ae += xe;
                break;
            }
            if ((i & 1) == 1)
            {
                a1 *= x1;
                ae += xe;
            }
            x1 *= x1;
            xe <<= 1;
            if (x1 < .5)
            {
                x1 += x1;
                xe--;
            }
        }

        if (y < 0)
        {
            a1 = 1 / a1;
            ae = -ae;
        }
        return Ldexp(a1, ae);
    }

    private static bool IsOddInt(double x)
    {
        if (Math.Abs(x) >= 9007199254740992.0)
        {
            return false;
        }
        var xi = Math.Truncate(x);
        return x - xi == 0 && (((long)xi) & 1) == 1;
    }

    /// <summary>Go's <c>math.Ldexp</c>: <paramref name="frac"/> × 2^<paramref name="exp"/>, zero below the smallest subnormal.</summary>
    private static double Ldexp(double frac, int exp)
    {
        if (frac == 0 || double.IsInfinity(frac) || double.IsNaN(frac))
        {
            return frac;
        }
        var (normalized, e) = Frexp(frac);
        var total = exp + e;
        if (total < -1074)
        {
            return Math.CopySign(0, frac);
        }
        if (total > 1024)
        {
            return frac < 0 ? double.NegativeInfinity : double.PositiveInfinity;
        }
        return Math.ScaleB(normalized, total);
    }
}
