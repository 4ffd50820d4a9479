namespace Vigil.Alerting.TimeIntervals;

/// <summary>
/// One entry of a named time interval (Alertmanager 0.25's <c>timeinterval.TimeInterval</c>): a time holds when it
/// satisfies every listed part — one of the day ranges, one of the weekday ranges, and so on; an unlisted part
/// (null) places no restriction. Times are compared in <see cref="Location"/> when given, else in the offset the
/// caller's <see cref="DateTimeOffset"/> carries.
/// </summary>
public sealed class TimeInterval
{
    /// <summary>Minute-of-day ranges, start inclusive and end exclusive; null when not restricted.</summary>
    public IReadOnlyList<TimeRange>? Times { get; init; }

    /// <summary>Inclusive weekday ranges, 0 = Sunday; null when not restricted.</summary>
    public IReadOnlyList<InclusiveRange>? Weekdays { get; init; }

    /// <summary>Inclusive day-of-month ranges; negative days count from the month's end (-1 = last day); null when not restricted.</summary>
    public IReadOnlyList<InclusiveRange>? DaysOfMonth { get; init; }

    /// <summary>Inclusive month ranges, 1 = January; null when not restricted.</summary>
    public IReadOnlyList<InclusiveRange>? Months { get; init; }

    /// <summary>Inclusive year ranges; null when not restricted.</summary>
    public IReadOnlyList<InclusiveRange>? Years { get; init; }

    /// <summary>The time zone the parts are written in (<c>location: Europe/Berlin</c>), or null.</summary>
    public TimeZoneInfo? Location { get; init; }

    /// <summary>The name of <see cref="Location"/> as written in the configuration, or null.</summary>
    public string? LocationName { get; init; }

    /// <summary>Whether <paramref name="time"/> falls inside the interval, with Alertmanager's <c>ContainsTime</c> semantics.</summary>
    public bool ContainsTime(DateTimeOffset time)
    {
        if (Location is not null)
        {
            time = TimeZoneInfo.ConvertTime(time, Location);
        }
        if (Times is not null)
        {
            var minute = (time.Hour * 60) + time.Minute;
            if (!Any(Times, minute, static (r, m) => m >= r.StartMinute && m < r.EndMinute))
            {
                return false;
            }
        }
        if (DaysOfMonth is not null)
        {
            var days = DaysInMonth(time);
            var day = time.Day;
            var inside = false;
            foreach (var range in DaysOfMonth)
            {
                var begin = range.Begin < 0 ? days + range.Begin + 1 : range.Begin;
                var end = range.End < 0 ? days + range.End + 1 : range.End;
                if (begin > days)
                {
                    continue; // the range starts after this month's last day
                }
                begin = Math.Clamp(begin, -days, days);
                end = Math.Clamp(end, -days, days);
                if (day >= begin && day <= end)
                {
                    inside = true;
                    break;
                }
            }
            if (!inside)
            {
                return false;
            }
        }
        if (Months is not null && !Any(Months, time.Month, static (r, m) => m >= r.Begin && m <= r.End))
        {
            return false;
        }
        if (Weekdays is not null && !Any(Weekdays, (int)time.DayOfWeek, static (r, d) => d >= r.Begin && d <= r.End))
        {
            return false;
        }
        return Years is null || Any(Years, time.Year, static (r, y) => y >= r.Begin && y <= r.End);
    }

    private static bool Any<T>(IReadOnlyList<T> ranges, int value, Func<T, int, bool> contains)
    {
        for (var i = 0; i < ranges.Count; i++)
        {
            if (contains(ranges[i], value))
            {
                return true;
            }
        }
        return false;
    }

    // Alertmanager's daysInMonth: the hours from local midnight on the 1st to local midnight on the 1st of the next
    // month, divided by 24 and truncated. In a zone that springs forward during the month that is one day short
    // (March in Europe/Berlin counts 30), and Alertmanager's negative days shift accordingly; we keep that.
    private int DaysInMonth(DateTimeOffset local)
    {
        var calendarDays = DateTime.DaysInMonth(local.Year, local.Month);
        if (Location is null)
        {
            return calendarDays;
        }
        var start = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var next = start.AddMonths(1);
        var hours = (next - start).TotalHours - (Location.GetUtcOffset(next) - Location.GetUtcOffset(start)).TotalHours;
        return (int)(hours / 24);
    }
}
