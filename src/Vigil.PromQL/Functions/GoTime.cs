namespace Vigil.PromQL.Functions;

/// <summary>
/// The UTC calendar arithmetic of Go's <c>time</c> package for <c>time.Unix(sec, 0).UTC()</c>, including its
/// wrap-around on unsigned 64-bit overflow, so the PromQL date functions agree with Prometheus even for NaN, ±Inf
/// and huge timestamps (which Go turns into <c>math.MinInt64</c> and then into year 292277026596).
/// Source: go/src/time/time.go (<c>abs</c>, <c>absDate</c>, <c>absWeekday</c>, <c>Date</c>, <c>daysSinceEpoch</c>).
/// </summary>
internal readonly struct GoTime
{
    private const ulong SecondsPerMinute = 60;
    private const ulong SecondsPerHour = 60 * SecondsPerMinute;
    private const ulong SecondsPerDay = 24 * SecondsPerHour;
    private const ulong SecondsPerWeek = 7 * SecondsPerDay;
    private const ulong DaysPer400Years = (365 * 400) + 97;
    private const ulong DaysPer100Years = (365 * 100) + 24;
    private const ulong DaysPer4Years = (365 * 4) + 1;
    private const long AbsoluteZeroYear = -292277022399;
    private const long UnixToInternal = ((1969 * 365) + (1969 / 4) - (1969 / 100) + (1969 / 400)) * (long)SecondsPerDay;

    // (absoluteZeroYear - internalYear) * 365.2425 * secondsPerDay, as Go's constant arithmetic computes it.
    private const long AbsoluteToInternal = -9223371966579724800;
    private const long InternalToAbsolute = -AbsoluteToInternal;

    private static readonly int[] s_daysBefore = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

    private readonly ulong _abs;

    private GoTime(ulong abs) => _abs = abs;

    /// <summary><c>time.Unix(sec, 0).UTC()</c>.</summary>
    public static GoTime FromUnix(long sec) => new(unchecked((ulong)(sec + (UnixToInternal + InternalToAbsolute))));

    /// <summary>The year.</summary>
    public long Year => AbsDate(_abs, full: false).Year;

    /// <summary>The month, 1-12.</summary>
    public int Month => AbsDate(_abs, full: true).Month;

    /// <summary>The day of the month, 1-31.</summary>
    public int Day => AbsDate(_abs, full: true).Day;

    /// <summary>The day of the year, 1-366.</summary>
    public int YearDay => AbsDate(_abs, full: false).YearDay + 1;

    /// <summary>The day of the week, Sunday = 0.</summary>
    public int Weekday => (int)((_abs + SecondsPerDay) % SecondsPerWeek / SecondsPerDay);

    /// <summary>The hour, 0-23.</summary>
    public int Hour => (int)(_abs % SecondsPerDay / SecondsPerHour);

    /// <summary>The minute, 0-59.</summary>
    public int Minute => (int)(_abs % SecondsPerHour / SecondsPerMinute);

    /// <summary>Days in this time's month: <c>32 - time.Date(year, month, 32, 0, 0, 0, 0, UTC).Day()</c>, as Prometheus computes it.</summary>
    public int DaysInMonth
    {
        get
        {
            var (year, month, _, _) = AbsDate(_abs, full: true);
            return 32 - Date(year, month, 32).Day;
        }
    }

    // time.Date(year, month, day, 0, 0, 0, 0, time.UTC) for a month already in 1..12.
    private static GoTime Date(long year, int month, int day)
    {
        var d = DaysSinceEpoch(year);
        d += (ulong)s_daysBefore[month - 1];
        if (IsLeap(year) && month >= 3)
        {
            d++;
        }
        d += unchecked((ulong)(day - 1));
        var abs = unchecked(d * SecondsPerDay);
        var unix = unchecked((long)abs + (AbsoluteToInternal - UnixToInternal));
        return FromUnix(unix);
    }

    private static ulong DaysSinceEpoch(long year)
    {
        var y = unchecked((ulong)(year - AbsoluteZeroYear));
        var n = y / 400;
        y -= 400 * n;
        var d = unchecked(DaysPer400Years * n);
        n = y / 100;
        y -= 100 * n;
        d += DaysPer100Years * n;
        n = y / 4;
        y -= 4 * n;
        d += DaysPer4Years * n;
        d += 365 * y;
        return d;
    }

    private static bool IsLeap(long year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

    private static (long Year, int Month, int Day, int YearDay) AbsDate(ulong abs, bool full)
    {
        var d = abs / SecondsPerDay;
        var n = d / DaysPer400Years;
        var y = 400 * n;
        d -= DaysPer400Years * n;
        n = d / DaysPer100Years;
        n -= n >> 2;
        y += 100 * n;
        d -= DaysPer100Years * n;
        n = d / DaysPer4Years;
        y += 4 * n;
        d -= DaysPer4Years * n;
        n = d / 365;
        n -= n >> 2;
        y += n;
        d -= 365 * n;
        var year = unchecked((long)y + AbsoluteZeroYear);
        var yday = (int)d;
        if (!full)
        {
            return (year, 0, 0, yday);
        }
        var day = yday;
        if (IsLeap(year))
        {
            if (day > 31 + 29 - 1)
            {
                day--;
            }
            else if (day == 31 + 29 - 1)
            {
                return (year, 2, 29, yday);
            }
        }
        var month = day / 31;
        var end = s_daysBefore[month + 1];
        int begin;
        if (day >= end)
        {
            month++;
            begin = end;
        }
        else
        {
            begin = s_daysBefore[month];
        }
        month++;
        day = day - begin + 1;
        return (year, month, day, yday);
    }
}
