using Vigil.Alerting.TimeIntervals;

namespace Vigil.Alerting.Tests.TimeIntervals;

/// <summary>ContainsTime as Alertmanager 0.25's timeinterval.go computes it.</summary>
public sealed class TimeIntervalTests
{
    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static InclusiveRange Range(Func<string, (bool, InclusiveRange, string?)> parse, string text)
    {
        var (ok, range, error) = parse(text);
        Assert.True(ok, error);
        return range;
    }

    private static (bool, InclusiveRange, string?) Weekday(string t) => (TimeIntervalSyntax.TryParseWeekdayRange(t, out var r, out var e), r, e);

    private static (bool, InclusiveRange, string?) Day(string t) => (TimeIntervalSyntax.TryParseDayOfMonthRange(t, out var r, out var e), r, e);

    [Theory]
    [InlineData("2024-05-06T08:59:00Z", false)]
    [InlineData("2024-05-06T09:00:00Z", true)]
    [InlineData("2024-05-06T16:59:59Z", true)]
    [InlineData("2024-05-06T17:00:00Z", false)] // the end minute is outside
    public void Times_include_the_start_and_exclude_the_end(string at, bool expected)
    {
        var interval = new TimeInterval { Times = [new TimeRange(540, 1020)] };
        Assert.Equal(expected, interval.ContainsTime(At(at)));
    }

    [Fact]
    public void A_range_to_24_00_covers_the_last_minute()
    {
        Assert.True(TimeIntervalSyntax.TryParseTimeRange("23:00", "24:00", out var range, out _));
        Assert.True(new TimeInterval { Times = [range] }.ContainsTime(At("2024-01-01T23:59:59Z")));
    }

    [Theory]
    [InlineData("2024-05-04T12:00:00Z", false)] // Saturday
    [InlineData("2024-05-05T12:00:00Z", false)] // Sunday
    [InlineData("2024-05-06T12:00:00Z", true)] // Monday
    [InlineData("2024-05-10T12:00:00Z", true)] // Friday
    public void Weekdays_are_inclusive(string at, bool expected)
    {
        var interval = new TimeInterval { Weekdays = [Range(Weekday, "Monday:friday")] };
        Assert.Equal(expected, interval.ContainsTime(At(at)));
    }

    [Theory]
    [InlineData("2024-02-27T00:00:00Z", false)]
    [InlineData("2024-02-28T00:00:00Z", true)] // 2024 is a leap year: -2 is the 28th
    [InlineData("2024-02-29T00:00:00Z", true)]
    [InlineData("2023-02-27T00:00:00Z", true)]
    [InlineData("2024-01-30T00:00:00Z", true)]
    [InlineData("2024-01-29T00:00:00Z", false)]
    public void Negative_days_count_from_the_end_of_the_month(string at, bool expected)
    {
        var interval = new TimeInterval { DaysOfMonth = [Range(Day, "-2:-1")] };
        Assert.Equal(expected, interval.ContainsTime(At(at)));
    }

    [Fact]
    public void A_day_range_past_the_months_end_is_clamped_or_skipped()
    {
        var lastDays = new TimeInterval { DaysOfMonth = [Range(Day, "28:31")] };
        Assert.True(lastDays.ContainsTime(At("2023-02-28T10:00:00Z")));
        var thirtyFirst = new TimeInterval { DaysOfMonth = [Range(Day, "31")] };
        Assert.False(thirtyFirst.ContainsTime(At("2024-04-30T10:00:00Z")));
        Assert.True(thirtyFirst.ContainsTime(At("2024-03-31T10:00:00Z")));
    }

    [Fact]
    public void Months_and_years_are_inclusive()
    {
        Assert.True(TimeIntervalSyntax.TryParseMonthRange("November:december", out var months, out _));
        Assert.True(TimeIntervalSyntax.TryParseYearRange("2023:2024", out var years, out _));
        var interval = new TimeInterval { Months = [months], Years = [years] };
        Assert.True(interval.ContainsTime(At("2024-12-31T23:59:00Z")));
        Assert.False(interval.ContainsTime(At("2025-12-01T00:00:00Z")));
        Assert.False(interval.ContainsTime(At("2024-10-31T23:59:00Z")));
    }

    [Fact]
    public void A_location_moves_the_clock_before_comparing()
    {
        Assert.True(TimeIntervalSyntax.TryFindLocation("Europe/Berlin", out var berlin, out _));
        var nineToFive = new TimeInterval { Times = [new TimeRange(540, 1020)], Location = berlin };
        Assert.True(nineToFive.ContainsTime(At("2024-07-01T07:30:00Z"))); // 09:30 CEST
        Assert.False(nineToFive.ContainsTime(At("2024-07-01T15:30:00Z"))); // 17:30 CEST
        Assert.True(nineToFive.ContainsTime(At("2024-01-15T15:30:00Z"))); // 16:30 CET
    }

    [Fact]
    public void A_month_with_a_dst_change_is_a_day_short_for_negative_days_as_in_alertmanager()
    {
        // Alertmanager divides the month's hours by 24: March in Berlin has 743 hours, so "the last day" is the 30th.
        Assert.True(TimeIntervalSyntax.TryFindLocation("Europe/Berlin", out var berlin, out _));
        var lastDay = new TimeInterval { DaysOfMonth = [Range(Day, "-1")], Location = berlin };
        Assert.True(lastDay.ContainsTime(At("2024-03-30T12:00:00Z")));
        Assert.False(lastDay.ContainsTime(At("2024-03-31T12:00:00Z")));
        Assert.True(lastDay.ContainsTime(At("2024-05-31T12:00:00Z")));
    }

    [Fact]
    public void Empty_lists_match_nothing_and_absent_ones_everything()
    {
        Assert.False(new TimeInterval { Weekdays = [] }.ContainsTime(At("2024-05-06T12:00:00Z")));
        Assert.True(new TimeInterval().ContainsTime(At("2024-05-06T12:00:00Z")));
    }

    [Theory]
    [InlineData("monday:tuesday:friday", "couldn't parse range monday:tuesday:friday, invalid format")]
    [InlineData("friday:monday", "start day cannot be before end day")]
    [InlineData("funday", "funday is not a valid weekday")]
    public void Weekday_errors(string text, string message)
    {
        Assert.False(TimeIntervalSyntax.TryParseWeekdayRange(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("0", "0 is not a valid day of the month: out of range")]
    [InlineData("32", "32 is not a valid day of the month: out of range")]
    [InlineData("-5:3", "end day must be negative if start day is negative")]
    [InlineData("10:-25", "end day -25 is always before start day 10")]
    [InlineData("x", "strconv.Atoi: parsing \"x\": invalid syntax")]
    public void Day_of_month_errors(string text, string message)
    {
        Assert.False(TimeIntervalSyntax.TryParseDayOfMonthRange(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("25:00", "09:00", "couldn't parse timestamp 25:00, invalid format")]
    [InlineData("9:00", "10:00", "couldn't parse timestamp 9:00, invalid format")]
    [InlineData("10:00", "", "both start and end times must be provided")]
    [InlineData("10:00", "10:00", "start time cannot be equal or greater than end time")]
    public void Time_range_errors(string start, string end, string message)
    {
        Assert.False(TimeIntervalSyntax.TryParseTimeRange(start, end, out _, out var error));
        Assert.Equal(message, error);
    }
}
