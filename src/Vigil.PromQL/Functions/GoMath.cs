using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace Vigil.PromQL.Functions;

/// <summary>
/// Go's <c>math</c> package as Prometheus 2.42 (built for amd64) runs it, so PromQL's math functions give the same
/// bits as Prometheus. .NET's <see cref="Math"/> calls the C runtime (glibc), which differs from Go in the last bit
/// for many inputs (Go's <c>Log10(x)</c> is <c>Log(x) * (1/Ln10)</c>, its trigonometry is Cephes', its <c>Exp</c>
/// and <c>Log</c> are hand-written amd64 assembly). Functions that are exact in both (<c>Sqrt</c>, <c>Floor</c>,
/// <c>Ceil</c>, <c>Abs</c>) use <see cref="Math"/>. Sources: go/src/math/{sin,tan,trig_reduce,asin,atan,sinh,tanh,
/// asinh,acosh,atanh,log1p,log10,dim}.go, exp_amd64.s, log_amd64.s.
/// </summary>
internal static partial class GoMath
{
    private const double Pi = Math.PI;
    private const double Ln2Value = 0.693147180559945309417232121458176568;

    // 4/Pi, 1/Ln2 and 1/Ln10 as Go's exact constant arithmetic rounds them (4/Math.PI would round twice).
    private static readonly double s_fourOverPi = BitConverter.UInt64BitsToDouble(0x3FF45F306DC9C883);
    private static readonly double s_log2E = BitConverter.UInt64BitsToDouble(0x3FF71547652B82FE);
    private static readonly double s_log10E = BitConverter.UInt64BitsToDouble(0x3FDBCB7B1526E50E);

    private const double PI4A = 7.85398125648498535156e-1;
    private const double PI4B = 3.77489470793079817668e-8;
    private const double PI4C = 2.69515142907905952645e-15;
    private const double ReduceThreshold = 1 << 29;

    private static readonly double[] s_sin =
    [
        1.58962301576546568060e-10,
        -2.50507477628578072866e-8,
        2.75573136213857245213e-6,
        -1.98412698295895385996e-4,
        8.33333333332211858878e-3,
        -1.66666666666666307295e-1,
    ];

    private static readonly double[] s_cos =
    [
        -1.13585365213876817300e-11,
        2.08757008419747316778e-9,
        -2.75573141792967388112e-7,
        2.48015872888517045348e-5,
        -1.38888888888730564116e-3,
        4.16666666666665929218e-2,
    ];

    private static readonly ulong[] s_mPi4 =
    [
        0x0000000000000001, 0x45f306dc9c882a53, 0xf84eafa3ea69bb81, 0xb6c52b3278872083, 0xfca2c757bd778ac3,
        0x6e48dc74849ba5c0, 0x0c925dd413a32439, 0xfc3bd63962534e7d, 0xd1046bea5d768909, 0xd338e04d68befc82,
        0x7323ac7306a673e9, 0x3908bf177bf25076, 0x3ff12fffbc0b301f, 0xde5e2316b414da3e, 0xda6cfd9e4f96136e,
        0x9e8c7ecd3cbfd45a, 0xea4f758fd7cbe2f6, 0x7a0e73ef14a525d4, 0xd7f6bf623f1aba10, 0xac06608df8f6d757,
    ];

    /// <summary>Go's <c>math.Max</c>: +Inf wins over NaN, NaN over everything else, +0 over -0.</summary>
    public static double Max(double x, double y)
    {
        if (double.IsPositiveInfinity(x) || double.IsPositiveInfinity(y))
        {
            return double.PositiveInfinity;
        }
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.NaN;
        }
        if (x == 0 && x == y)
        {
            return double.IsNegative(x) ? y : x;
        }
        return x > y ? x : y;
    }

    /// <summary>Go's <c>math.Min</c>: -Inf wins over NaN, NaN over everything else, -0 over +0.</summary>
    public static double Min(double x, double y)
    {
        if (double.IsNegativeInfinity(x) || double.IsNegativeInfinity(y))
        {
            return double.NegativeInfinity;
        }
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.NaN;
        }
        if (x == 0 && x == y)
        {
            return double.IsNegative(x) ? x : y;
        }
        return x < y ? x : y;
    }

    /// <summary>Go's conversion <c>int64(f)</c> on amd64 (CVTTSD2SQ): truncates; NaN and out-of-range give <see cref="long.MinValue"/>.</summary>
    public static long ToInt64(double f)
    {
        // .NET saturates (NaN → 0); the x86 instruction Go emits returns the "integer indefinite" value instead.
        if (double.IsNaN(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0)
        {
            return long.MinValue;
        }
        return (long)f;
    }

    /// <summary>Go's <c>uint64(f)</c> on amd64 for the non-negative, in-range values the trig code converts.</summary>
    private static ulong ToUInt64(double f) => f < 9223372036854775808.0 ? (ulong)(long)f : (ulong)(long)(f - 9223372036854775808.0) ^ 0x8000000000000000;

    /// <summary>Go's <c>math.Exp</c> on amd64 (exp_amd64.s, with its FMA path where the CPU has FMA, as Go picks at start-up).</summary>
    public static double Exp(double x)
    {
        const double Log2EConst = 1.4426950408889634073599246810018920;
        const double Ln2U = 0.69314718055966295651160180568695068359375;
        const double Ln2L = 0.28235290563031577122588448175013436025525412068e-12;
        const double Overflow = 7.09782712893384e+02;
        var bits = BitConverter.DoubleToUInt64Bits(x);
        if ((bits & ~(1UL << 63)) >= 0x7FF0000000000000)
        {
            // NaN or +Inf: return x; -Inf: 0.
            return bits == 0xFFF0000000000000 ? 0 : x;
        }
        if (x > Overflow)
        {
            return double.PositiveInfinity;
        }
        var exponent = Cvtsd2si(Log2EConst * x);
        double k = exponent;
        double fr;
        if (Fma.IsSupported)
        {
            x = Math.FusedMultiplyAdd(-Ln2U, k, x);
            x = Math.FusedMultiplyAdd(-Ln2L, k, x);
            x *= 0.0625;
            var p = 2.4801587301587301587e-5;
            p = Math.FusedMultiplyAdd(p, x, 1.9841269841269841270e-4);
            p = Math.FusedMultiplyAdd(p, x, 1.3888888888888888889e-3);
            p = Math.FusedMultiplyAdd(p, x, 8.3333333333333333333e-3);
            p = Math.FusedMultiplyAdd(p, x, 4.1666666666666666667e-2);
            p = Math.FusedMultiplyAdd(p, x, 1.6666666666666666667e-1);
            p = Math.FusedMultiplyAdd(p, x, 0.5);
            p = Math.FusedMultiplyAdd(p, x, 1.0);
            x *= p;
            p = x + 2.0;
            x *= p;
            p = x + 2.0;
            x *= p;
            p = x + 2.0;
            x *= p;
            p = x + 2.0;
            fr = Math.FusedMultiplyAdd(x, p, 1.0);
        }
        else
        {
            x -= k * Ln2U;
            x -= k * Ln2L;
            x *= 0.0625;
            var p = 2.4801587301587301587e-5 * x;
            p = (p + 1.9841269841269841270e-4) * x;
            p = (p + 1.3888888888888888889e-3) * x;
            p = (p + 8.3333333333333333333e-3) * x;
            p = (p + 4.1666666666666666667e-2) * x;
            p = (p + 1.6666666666666666667e-1) * x;
            p = (p + 0.5) * x;
            p += 1.0;
            x *= p;
            for (var i = 0; i < 4; i++)
            {
                x *= x + 2.0;
            }
            fr = x + 1.0;
        }
        var biased = exponent + 0x3FF;
        if (biased <= 0)
        {
            return 0;
        }
        if (biased >= 0x7FF)
        {
            return double.PositiveInfinity;
        }
        return fr * BitConverter.UInt64BitsToDouble((ulong)biased << 52);
    }

    // CVTSD2SL: round to nearest even; NaN or out of int32 range gives int.MinValue.
    private static int Cvtsd2si(double v)
    {
        var r = Math.Round(v, MidpointRounding.ToEven);
        return double.IsNaN(r) || r > int.MaxValue || r < int.MinValue ? int.MinValue : (int)r;
    }

    /// <summary>Go's <c>math.Log</c> on amd64 (log_amd64.s).</summary>
    public static double Log(double x)
    {
        const double HSqrt2 = 7.07106781186547524401e-01;
        const double Ln2Hi = 6.93147180369123816490e-01;
        const double Ln2Lo = 1.90821492927058770002e-10;
        const double L1 = 6.666666666666735130e-01;
        const double L2 = 3.999999999940941908e-01;
        const double L3 = 2.857142874366239149e-01;
        const double L4 = 2.222219843214978396e-01;
        const double L5 = 1.818357216161805012e-01;
        const double L6 = 1.531383769920937332e-01;
        const double L7 = 1.479819860511658591e-01;
        var bits = BitConverter.DoubleToUInt64Bits(x);
        if ((bits & ~(1UL << 63)) == 0)
        {
            return double.NegativeInfinity;
        }
        if ((long)bits < 0)
        {
            return BitConverter.UInt64BitsToDouble(0x7FF8000000000001);
        }
        if ((long)bits >= 0x7FF0000000000000)
        {
            return x;
        }
        // The assembly takes mantissa and exponent straight from the bits (no subnormal normalisation).
        var f1 = BitConverter.UInt64BitsToDouble((bits & 0x000FFFFFFFFFFFFF) | 0x3FE0000000000000);
        double k = (int)((bits >> 52) & 0x7FF) - 0x3FE;
        // CMPSD $5 (not-less-than): HSqrt2 >= f1.
        var adjust = HSqrt2 < f1 ? 0.0 : 1.0;
        k -= adjust;
        f1 *= adjust + 1.0;
        var f = f1 - 1.0;
        var s = f / (2.0 + f);
        var s2 = s * s;
        var s4 = s2 * s2;
        var t1 = s2 * ((((((L7 * s4) + L5) * s4) + L3) * s4) + L1);
        var t2 = s4 * ((((L6 * s4) + L4) * s4) + L2);
        var r = t1 + t2;
        var hfsq = 0.5 * f * f;
        return (k * Ln2Hi) - ((hfsq - ((s * (hfsq + r)) + (k * Ln2Lo))) - f);
    }

    /// <summary>Go's <c>math.Log10</c>: <c>Log(x) * (1/Ln10)</c>.</summary>
    public static double Log10(double x) => Log(x) * s_log10E;

    /// <summary>Go's <c>math.Log2</c>: <c>Log(frac)*(1/Ln2) + exp</c> over <c>Frexp</c>.</summary>
    public static double Log2(double x)
    {
        var (frac, exp) = Frexp(x);
        // Exact powers of two give an exact answer (Go 1.9+).
        if (frac == 0.5)
        {
            return exp - 1;
        }
        return (Log(frac) * s_log2E) + exp;
    }

    /// <summary>Go's <c>math.Frexp</c>.</summary>
    public static (double Frac, int Exp) Frexp(double f)
    {
        if (f == 0 || double.IsInfinity(f) || double.IsNaN(f))
        {
            return (f, 0);
        }
        var exp = 0;
        if (Math.Abs(f) < 2.2250738585072014e-308)
        {
            f *= 1L << 52;
            exp = -52;
        }
        var x = BitConverter.DoubleToUInt64Bits(f);
        exp += (int)((x >> 52) & 0x7FF) - 1022;
        x &= ~(0x7FFUL << 52);
        x |= 1022UL << 52;
        return (BitConverter.UInt64BitsToDouble(x), exp);
    }

    /// <summary>Go's <c>math.Log1p</c> (pure Go, FreeBSD's s_log1p.c).</summary>
    public static double Log1p(double x)
    {
        const double Sqrt2M1 = 4.142135623730950488017e-01;
        const double Sqrt2HalfM1 = -2.928932188134524755992e-01;
        const double Small = 1.0 / (1 << 29);
        const double Tiny = 1.0 / (1L << 54);
        const double Two53 = 1L << 53;
        const double Ln2Hi = 6.93147180369123816490e-01;
        const double Ln2Lo = 1.90821492927058770002e-10;
        const double Lp1 = 6.666666666666735130e-01;
        const double Lp2 = 3.999999999940941908e-01;
        const double Lp3 = 2.857142874366239149e-01;
        const double Lp4 = 2.222219843214978396e-01;
        const double Lp5 = 1.818357216161805012e-01;
        const double Lp6 = 1.531383769920937332e-01;
        const double Lp7 = 1.479819860511658591e-01;
        if (x < -1 || double.IsNaN(x))
        {
            return double.NaN;
        }
        if (x == -1)
        {
            return double.NegativeInfinity;
        }
        if (double.IsPositiveInfinity(x))
        {
            return double.PositiveInfinity;
        }
        var absx = Math.Abs(x);
        double f = 0;
        ulong iu = 0;
        var k = 1;
        if (absx < Sqrt2M1)
        {
            if (absx < Small)
            {
                if (absx < Tiny)
                {
                    return x;
                }
                return x - (x * x * 0.5);
            }
            if (x > Sqrt2HalfM1)
            {
                k = 0;
                f = x;
                iu = 1;
            }
        }
        double c = 0;
        if (k != 0)
        {
            double u;
            if (absx < Two53)
            {
                u = 1.0 + x;
                iu = BitConverter.DoubleToUInt64Bits(u);
                k = (int)((iu >> 52) - 1023);
                c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
                c /= u;
            }
            else
            {
                u = x;
                iu = BitConverter.DoubleToUInt64Bits(u);
                k = (int)((iu >> 52) - 1023);
                c = 0;
            }
            iu &= 0x000fffffffffffff;
            if (iu < 0x0006a09e667f3bcd)
            {
                u = BitConverter.UInt64BitsToDouble(iu | 0x3ff0000000000000);
            }
            else
            {
                k++;
                u = BitConverter.UInt64BitsToDouble(iu | 0x3fe0000000000000);
                iu = (0x0010000000000000 - iu) >> 2;
            }
            f = u - 1.0;
        }
        var hfsq = 0.5 * f * f;
        double s, r, z;
        if (iu == 0)
        {
            if (f == 0)
            {
                if (k == 0)
                {
                    return 0;
                }
                c += k * Ln2Lo;
                return (k * Ln2Hi) + c;
            }
            r = hfsq * (1.0 - (0.66666666666666666 * f));
            if (k == 0)
            {
                return f - r;
            }
            return (k * Ln2Hi) - ((r - ((k * Ln2Lo) + c)) - f);
        }
        s = f / (2.0 + f);
        z = s * s;
        r = z * (Lp1 + (z * (Lp2 + (z * (Lp3 + (z * (Lp4 + (z * (Lp5 + (z * (Lp6 + (z * Lp7))))))))))));
        if (k == 0)
        {
            return f - (hfsq - (s * (hfsq + r)));
        }
        return (k * Ln2Hi) - ((hfsq - ((s * (hfsq + r)) + ((k * Ln2Lo) + c))) - f);
    }

    /// <summary>Go's <c>math.Sin</c> (Cephes, Payne-Hanek reduction from 2^29).</summary>
    public static double Sin(double x)
    {
        if (x == 0 || double.IsNaN(x))
        {
            return x;
        }
        if (double.IsInfinity(x))
        {
            return double.NaN;
        }
        var sign = false;
        if (x < 0)
        {
            x = -x;
            sign = true;
        }
        var (j, z) = Reduce(x);
        if (j > 3)
        {
            sign = !sign;
            j -= 4;
        }
        var zz = z * z;
        var y = j == 1 || j == 2 ? CosPoly(zz) : SinPoly(z, zz);
        return sign ? -y : y;
    }

    /// <summary>Go's <c>math.Cos</c>.</summary>
    public static double Cos(double x)
    {
        if (double.IsNaN(x) || double.IsInfinity(x))
        {
            return double.NaN;
        }
        var sign = false;
        x = Math.Abs(x);
        var (j, z) = Reduce(x);
        if (j > 3)
        {
            j -= 4;
            sign = !sign;
        }
        if (j > 1)
        {
            sign = !sign;
        }
        var zz = z * z;
        var y = j == 1 || j == 2 ? SinPoly(z, zz) : CosPoly(zz);
        return sign ? -y : y;
    }

    /// <summary>Go's <c>math.Tan</c>.</summary>
    public static double Tan(double x)
    {
        if (x == 0 || double.IsNaN(x))
        {
            return x;
        }
        if (double.IsInfinity(x))
        {
            return double.NaN;
        }
        var sign = false;
        if (x < 0)
        {
            x = -x;
            sign = true;
        }
        ulong j;
        double z;
        if (x >= ReduceThreshold)
        {
            (j, z) = TrigReduce(x);
        }
        else
        {
            j = ToUInt64(x * s_fourOverPi);
            double y0 = j;
            if ((j & 1) == 1)
            {
                j++;
                y0++;
            }
            z = ((x - (y0 * PI4A)) - (y0 * PI4B)) - (y0 * PI4C);
        }
        var zz = z * z;
        double y;
        if (zz > 1e-14)
        {
            y = z + (z * (zz * ((((-1.30936939181383777646e4 * zz) + 1.15351664838587416140e6) * zz) + -1.79565251976484877988e7)
                / ((((((zz + 1.36812963470692954678e4) * zz) + -1.32089234440210967447e6) * zz) + 2.50083801823357915839e7) * zz + -5.38695755929454629881e7)));
        }
        else
        {
            y = z;
        }
        if ((j & 2) == 2)
        {
            y = -1 / y;
        }
        return sign ? -y : y;
    }

    private static (ulong J, double Z) Reduce(double x)
    {
        if (x >= ReduceThreshold)
        {
            return TrigReduce(x);
        }
        var j = ToUInt64(x * s_fourOverPi);
        double y = j;
        if ((j & 1) == 1)
        {
            j++;
            y++;
        }
        j &= 7;
        return (j, ((x - (y * PI4A)) - (y * PI4B)) - (y * PI4C));
    }

    private static double SinPoly(double z, double zz) =>
        z + (z * zz * ((((((((((s_sin[0] * zz) + s_sin[1]) * zz) + s_sin[2]) * zz) + s_sin[3]) * zz) + s_sin[4]) * zz) + s_sin[5]));

    private static double CosPoly(double zz) =>
        1.0 - (0.5 * zz) + (zz * zz * ((((((((((s_cos[0] * zz) + s_cos[1]) * zz) + s_cos[2]) * zz) + s_cos[3]) * zz) + s_cos[4]) * zz) + s_cos[5]));

    // Payne-Hanek range reduction by Pi/4 (go/src/math/trig_reduce.go).
    private static (ulong J, double Z) TrigReduce(double x)
    {
        const double Pi4 = Pi / 4;
        const int Shift = 52;
        const int Bias = 1023;
        if (x < Pi4)
        {
            return (0, x);
        }
        var ix = BitConverter.DoubleToUInt64Bits(x);
        var exp = (int)((ix >> Shift) & 0x7FF) - Bias - Shift;
        ix &= ~(0x7FFUL << Shift);
        ix |= 1UL << Shift;
        var digit = (uint)(exp + 61) / 64;
        var bitshift = (int)((uint)(exp + 61) % 64);
        var z0 = (s_mPi4[digit] << bitshift) | ShiftRight(s_mPi4[digit + 1], 64 - bitshift);
        var z1 = (s_mPi4[digit + 1] << bitshift) | ShiftRight(s_mPi4[digit + 2], 64 - bitshift);
        var z2 = (s_mPi4[digit + 2] << bitshift) | ShiftRight(s_mPi4[digit + 3], 64 - bitshift);
        var z2hi = Math.BigMul(z2, ix, out _);
        var z1hi = Math.BigMul(z1, ix, out var z1lo);
        var z0lo = z0 * ix;
        var lo = z1lo + z2hi;
        var carry = lo < z1lo ? 1UL : 0UL;
        var hi = z0lo + z1hi + carry;
        var j = hi >> 61;
        hi = (hi << 3) | (lo >> 61);
        var lz = BitOperations.LeadingZeroCount(hi);
        var e = (ulong)(Bias - (lz + 1));
        hi = (hi << (lz + 1)) | ShiftRight(lo, 64 - (lz + 1));
        hi >>= 64 - Shift;
        hi |= e << Shift;
        var z = BitConverter.UInt64BitsToDouble(hi);
        if ((j & 1) == 1)
        {
            j++;
            j &= 7;
            z--;
        }
        return (j, z * Pi4);
    }

    // Go defines x >> 64 as 0; C# masks the count to 6 bits.
    private static ulong ShiftRight(ulong v, int n) => n >= 64 ? 0 : v >> n;

    /// <summary>Go's <c>math.Asin</c>.</summary>
    public static double Asin(double x)
    {
        if (x == 0)
        {
            return x;
        }
        var sign = false;
        if (x < 0)
        {
            x = -x;
            sign = true;
        }
        if (x > 1)
        {
            return double.NaN;
        }
        var temp = Math.Sqrt(1 - (x * x));
        temp = x > 0.7 ? (Pi / 2) - Satan(temp / x) : Satan(x / temp);
        return sign ? -temp : temp;
    }

    /// <summary>Go's <c>math.Acos</c>: <c>Pi/2 - Asin(x)</c>.</summary>
    public static double Acos(double x) => (Pi / 2) - Asin(x);

    /// <summary>Go's <c>math.Atan</c>.</summary>
    public static double Atan(double x)
    {
        if (x == 0)
        {
            return x;
        }
        return x > 0 ? Satan(x) : -Satan(-x);
    }

    private static double Xatan(double x)
    {
        const double P0 = -8.750608600031904122785e-01;
        const double P1 = -1.615753718733365076637e+01;
        const double P2 = -7.500855792314704667340e+01;
        const double P3 = -1.228866684490136173410e+02;
        const double P4 = -6.485021904942025371773e+01;
        const double Q0 = +2.485846490142306297962e+01;
        const double Q1 = +1.650270098316988542046e+02;
        const double Q2 = +4.328810604912902668951e+02;
        const double Q3 = +4.853903996359136964868e+02;
        const double Q4 = +1.945506571482613964425e+02;
        var z = x * x;
        z = z * ((((((((P0 * z) + P1) * z) + P2) * z) + P3) * z) + P4) / ((((((((((z + Q0) * z) + Q1) * z) + Q2) * z) + Q3) * z)) + Q4);
        return (x * z) + x;
    }

    private static double Satan(double x)
    {
        const double Morebits = 6.123233995736765886130e-17;
        const double Tan3pio8 = 2.41421356237309504880;
        if (x <= 0.66)
        {
            return Xatan(x);
        }
        if (x > Tan3pio8)
        {
            return (Pi / 2) - Xatan(1 / x) + Morebits;
        }
        return (Pi / 4) + Xatan((x - 1) / (x + 1)) + (0.5 * Morebits);
    }

    /// <summary>Go's <c>math.Sinh</c>.</summary>
    public static double Sinh(double x)
    {
        const double P0 = -0.6307673640497716991184787251e+6;
        const double P1 = -0.8991272022039509355398013511e+5;
        const double P2 = -0.2894211355989563807284660366e+4;
        const double P3 = -0.2630563213397497062819489e+2;
        const double Q0 = -0.6307673640497716991212077277e+6;
        const double Q1 = 0.1521517378790019070696485176e+5;
        const double Q2 = -0.173678953558233699533450911e+3;
        var sign = false;
        if (x < 0)
        {
            x = -x;
            sign = true;
        }
        double temp;
        if (x > 21)
        {
            temp = Exp(x) * 0.5;
        }
        else if (x > 0.5)
        {
            var ex = Exp(x);
            temp = (ex - (1 / ex)) * 0.5;
        }
        else
        {
            var sq = x * x;
            temp = ((((((P3 * sq) + P2) * sq) + P1) * sq) + P0) * x;
            temp /= (((((sq + Q2) * sq) + Q1) * sq) + Q0);
        }
        return sign ? -temp : temp;
    }

    /// <summary>Go's <c>math.Cosh</c>.</summary>
    public static double Cosh(double x)
    {
        x = Math.Abs(x);
        if (x > 21)
        {
            return Exp(x) * 0.5;
        }
        var ex = Exp(x);
        return (ex + (1 / ex)) * 0.5;
    }

    /// <summary>Go's <c>math.Tanh</c>.</summary>
    public static double Tanh(double x)
    {
        const double MaxLog = 8.8029691931113054295988e+01;
        var z = Math.Abs(x);
        if (z > 0.5 * MaxLog)
        {
            return x < 0 ? -1 : 1;
        }
        if (z >= 0.625)
        {
            var s = Exp(2 * z);
            z = 1 - (2 / (s + 1));
            return x < 0 ? -z : z;
        }
        if (x == 0)
        {
            return x;
        }
        var s2 = x * x;
        return x + (x * s2 * ((((-9.64399179425052238628E-1 * s2) + -9.92877231001918586564E1) * s2) + -1.61468768441708447952E3)
            / ((((((s2 + 1.12811678491632931402E2) * s2) + 2.23548839060100448583E3) * s2)) + 4.84406305325125486048E3));
    }

    /// <summary>Go's <c>math.Asinh</c>.</summary>
    public static double Asinh(double x)
    {
        const double NearZero = 1.0 / (1 << 28);
        const double Large = 1 << 28;
        if (double.IsNaN(x) || double.IsInfinity(x))
        {
            return x;
        }
        var sign = false;
        if (x < 0)
        {
            x = -x;
            sign = true;
        }
        double temp;
        if (x > Large)
        {
            temp = Log(x) + Ln2Value;
        }
        else if (x > 2)
        {
            temp = Log((2 * x) + (1 / (Math.Sqrt((x * x) + 1) + x)));
        }
        else if (x < NearZero)
        {
            temp = x;
        }
        else
        {
            temp = Log1p(x + (x * x / (1 + Math.Sqrt(1 + (x * x)))));
        }
        return sign ? -temp : temp;
    }

    /// <summary>Go's <c>math.Acosh</c>.</summary>
    public static double Acosh(double x)
    {
        const double Large = 1 << 28;
        if (x < 1 || double.IsNaN(x))
        {
            return double.NaN;
        }
        if (x == 1)
        {
            return 0;
        }
        if (x >= Large)
        {
            return Log(x) + Ln2Value;
        }
        if (x > 2)
        {
            return Log((2 * x) - (1 / (x + Math.Sqrt((x * x) - 1))));
        }
        var t = x - 1;
        return Log1p(t + Math.Sqrt((2 * t) + (t * t)));
    }

    /// <summary>Go's <c>math.Atanh</c>.</summary>
    public static double Atanh(double x)
    {
        const double NearZero = 1.0 / (1 << 28);
        if (x < -1 || x > 1 || double.IsNaN(x))
        {
            return double.NaN;
        }
        if (x == 1)
        {
            return double.PositiveInfinity;
        }
        if (x == -1)
        {
            return double.NegativeInfinity;
        }
        var sign = false;
        if (x < 0)
        {
            x = -x;
            sign = true;
        }
        double temp;
        if (x < NearZero)
        {
            temp = x;
        }
        else if (x < 0.5)
        {
            temp = x + x;
            temp = 0.5 * Log1p(temp + (temp * x / (1 - x)));
        }
        else
        {
            temp = 0.5 * Log1p((x + x) / (1 - x));
        }
        return sign ? -temp : temp;
    }
}
