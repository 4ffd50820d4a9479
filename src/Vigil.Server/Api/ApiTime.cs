namespace Vigil.Server.Api;

/// <summary>
/// A time parameter as Prometheus 2.42 holds it (a Go <c>time.Time</c>: Unix seconds and nanoseconds), so the
/// two ways Prometheus turns it into milliseconds, with Go's integer wrap-around, can both be reproduced.
/// </summary>
/// <param name="Seconds">Unix seconds (Go's <c>t.Unix()</c>).</param>
/// <param name="Nanoseconds">Nanoseconds within the second, 0 ≤ n &lt; 1e9.</param>
public readonly record struct ApiTime(long Seconds, int Nanoseconds) : IComparable<ApiTime>
{
    /// <summary>Prometheus's open start (<c>v1.MinTime</c>), the default <c>start</c> of series and label queries.</summary>
    public static ApiTime Min { get; } = new(long.MinValue / 1000 + 62135596801, 0);

    /// <summary>Prometheus's open end (<c>v1.MaxTime</c>), the default <c>end</c> of series and label queries.</summary>
    public static ApiTime Max { get; } = new(long.MaxValue / 1000 - 62135596801, 999_999_999);

    // Go's time.Time.Format(time.RFC3339Nano) of Min and Max, which Prometheus's parseTime accepts as literals
    // because Go cannot parse years beyond four digits (client_golang sends them for open ranges).
    private const string MinFormatted = "-292273086-05-16T16:47:06Z";
    private const string MaxFormatted = "292277025-08-18T07:12:54.999999999Z";

    /// <summary>
    /// Milliseconds as the storage sees them (<c>timestamp.FromTime</c>: <c>Unix()*1000 + Nanosecond()/1e6</c>),
    /// used for series, labels, exemplars and deletion.
    /// </summary>
    public long StorageMs => unchecked((Seconds * 1000) + (Nanoseconds / 1_000_000));

    /// <summary>
    /// Milliseconds as the engine sees them (<c>UnixNano()/1e6</c>, which wraps outside 1678..2262 as it does in
    /// Prometheus), used for query evaluation times.
    /// </summary>
    public long EngineMs => unchecked((Seconds * 1_000_000_000) + Nanoseconds) / 1_000_000;

    /// <summary>A time from Unix milliseconds.</summary>
    public static ApiTime FromUnixMilliseconds(long ms)
        => new(Math.DivRem(ms, 1000, out var rem) - (rem < 0 ? 1 : 0), (int)((rem < 0 ? rem + 1000 : rem) * 1_000_000));

    /// <summary>Go's <c>time.Unix(sec, nsec)</c>: nanoseconds outside [0, 1e9) carry into seconds, wrapping like Go.</summary>
    public static ApiTime FromUnix(long seconds, long nanoseconds)
    {
        if (nanoseconds is < 0 or >= 1_000_000_000)
        {
            var n = nanoseconds / 1_000_000_000;
            seconds = unchecked(seconds + n);
            nanoseconds -= n * 1_000_000_000;
            if (nanoseconds < 0)
            {
                nanoseconds += 1_000_000_000;
                seconds = unchecked(seconds - 1);
            }
        }
        return new ApiTime(seconds, (int)nanoseconds);
    }

    /// <summary>
    /// Prometheus's <c>parseTime</c>: a float of Unix seconds (rounded to the millisecond, Go's float syntax), an
    /// RFC 3339 time with optional fraction, or one of Prometheus's two boundary literals. The error text is Prometheus's.
    /// </summary>
    public static bool TryParse(string text, out ApiTime time, out string error)
    {
        error = "";
        if (GoStrconv.TryParseFloat(text, out var f))
        {
            var whole = Math.Truncate(f);
            var frac = f - whole;
            if (double.IsInfinity(f))
            {
                // Go's math.Modf(±Inf) is (±Inf, NaN).
                frac = double.NaN;
            }
            frac = Math.Round(frac * 1000, MidpointRounding.AwayFromZero) / 1000;
            time = FromUnix(GoStrconv.ToInt64(whole), GoStrconv.ToInt64(frac * 1e9));
            return true;
        }
        if (TryParseRfc3339(text, out time))
        {
            return true;
        }
        switch (text)
        {
            case MinFormatted:
                time = Min;
                return true;
            case MaxFormatted:
                time = Max;
                return true;
        }
        error = $"cannot parse \"{text}\" to a valid timestamp";
        return false;
    }

    /// <summary>
    /// Go 1.19's <c>time.Parse(time.RFC3339Nano, s)</c>: <c>YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)</c>; the hour may
    /// have one digit; the fraction may use a comma and has at most 9 significant digits.
    /// </summary>
    internal static bool TryParseRfc3339(string text, out ApiTime time)
    {
        time = default;
        var s = text.AsSpan();
        if (s.Length < 4 || !TryFixed(s[..4], allowSign: true, out var year))
        {
            return false;
        }
        s = s[4..];
        if (!Expect(ref s, '-') || !TryTwoDigits(ref s, out var month) || !Expect(ref s, '-') || !TryTwoDigits(ref s, out var day)
            || !Expect(ref s, 'T') || !TryOneOrTwoDigits(ref s, out var hour) || !Expect(ref s, ':') || !TryTwoDigits(ref s, out var minute)
            || !Expect(ref s, ':') || !TryTwoDigits(ref s, out var second))
        {
            return false;
        }
        if (month is < 1 or > 12 || day is < 1 or > 31 || hour >= 24 || minute >= 60 || second >= 60)
        {
            return false;
        }
        long nanos = 0;
        if (s.Length >= 2 && s[0] is '.' or ',' && char.IsAsciiDigit(s[1]))
        {
            var n = 1;
            while (n < s.Length && char.IsAsciiDigit(s[n]))
            {
                n++;
            }
            var digits = s[1..n];
            var significant = digits.TrimStart('0');
            if (significant.Length > 9)
            {
                return false; // Go: "fractional second out of range"
            }
            nanos = significant.IsEmpty ? 0 : long.Parse(significant, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
            if (nanos >= 1_000_000_000)
            {
                return false;
            }
            // Go scales by the digits missing from nine; with more than nine (leading zeros) it does not scale.
            for (var k = digits.Length; k < 9; k++)
            {
                nanos *= 10;
            }
            s = s[n..];
        }
        long offsetSeconds = 0;
        if (s.Length >= 1 && s[0] == 'Z')
        {
            s = s[1..];
        }
        else
        {
            if (s.Length < 6 || s[3] != ':' || s[0] is not ('+' or '-'))
            {
                return false;
            }
            var zone = s;
            var hh = zone[1..3];
            var mm = zone[4..6];
            if (!TryTwoDigits(ref hh, out var oh) || !TryTwoDigits(ref mm, out var om))
            {
                return false;
            }
            offsetSeconds = ((oh * 60) + om) * 60;
            if (zone[0] == '-')
            {
                offsetSeconds = -offsetSeconds;
            }
            s = s[6..];
        }
        if (!s.IsEmpty || day > DaysIn(month, year))
        {
            return false;
        }
        var seconds = (DaysFromCivil(year, month, day) * 86400) + (hour * 3600) + (minute * 60) + second - offsetSeconds;
        time = new ApiTime(seconds, (int)nanos);
        return true;
    }

    private static bool Expect(ref ReadOnlySpan<char> s, char c)
    {
        if (s.IsEmpty || s[0] != c)
        {
            return false;
        }
        s = s[1..];
        return true;
    }

    private static bool TryTwoDigits(ref ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        if (s.Length < 2 || !char.IsAsciiDigit(s[0]) || !char.IsAsciiDigit(s[1]))
        {
            return false;
        }
        value = ((s[0] - '0') * 10) + (s[1] - '0');
        s = s[2..];
        return true;
    }

    private static bool TryOneOrTwoDigits(ref ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        if (s.IsEmpty || !char.IsAsciiDigit(s[0]))
        {
            return false;
        }
        if (s.Length >= 2 && char.IsAsciiDigit(s[1]))
        {
            return TryTwoDigits(ref s, out value);
        }
        value = s[0] - '0';
        s = s[1..];
        return true;
    }

    private static bool TryFixed(ReadOnlySpan<char> s, bool allowSign, out int value)
    {
        value = 0;
        var negative = false;
        if (allowSign && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        if (negative)
        {
            value = -value;
        }
        return true;
    }

    private static int DaysIn(int month, int year) => month == 2
        ? (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28)
        : month is 4 or 6 or 9 or 11 ? 30 : 31;

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's <c>days_from_civil</c>), year 0 included.</summary>
    private static long DaysFromCivil(long y, int m, int d)
    {
        y -= m <= 2 ? 1 : 0;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - (era * 400);
        var doy = ((153 * (m > 2 ? m - 3 : m + 9)) + 2) / 5 + d - 1;
        var doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146097) + doe - 719468;
    }

    /// <inheritdoc/>
    public int CompareTo(ApiTime other)
    {
        var c = Seconds.CompareTo(other.Seconds);
        return c != 0 ? c : Nanoseconds.CompareTo(other.Nanoseconds);
    }

    /// <summary>Whether <paramref name="left"/> is before <paramref name="right"/>.</summary>
    public static bool operator <(ApiTime left, ApiTime right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is after <paramref name="right"/>.</summary>
    public static bool operator >(ApiTime left, ApiTime right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is not after <paramref name="right"/>.</summary>
    public static bool operator <=(ApiTime left, ApiTime right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is not before <paramref name="right"/>.</summary>
    public static bool operator >=(ApiTime left, ApiTime right) => left.CompareTo(right) >= 0;

    /// <summary>Go's <c>t.Sub(u)</c> in nanoseconds, saturating at the ends of <see cref="long"/>.</summary>
    public static long SubNanoseconds(ApiTime t, ApiTime u)
    {
        var d = ((Int128)t.Seconds - u.Seconds) * 1_000_000_000 + (t.Nanoseconds - u.Nanoseconds);
        return d > long.MaxValue ? long.MaxValue : d < long.MinValue ? long.MinValue : (long)d;
    }
}
