using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Vigil.Alerting.TimeIntervals;

/// <summary>
/// The text forms of time interval parts, with Alertmanager 0.25's validation and messages
/// (<c>timeinterval.go</c>): <c>monday:friday</c>, <c>1:5</c> or <c>-3:-1</c> days of the month,
/// <c>january:march</c> or <c>1:3</c>, <c>2020:2030</c>, <c>HH:MM</c> times up to <c>24:00</c>, IANA locations.
/// Names are case-insensitive.
/// </summary>
public static class TimeIntervalSyntax
{
    private static readonly string[] s_weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
    private static readonly string[] s_months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private delegate bool MemberParser(string text, out int value, [NotNullWhen(false)] out string? error);

    /// <summary>A weekday or weekday range, 0 = Sunday.</summary>
    public static bool TryParseWeekdayRange(string text, out InclusiveRange range, [NotNullWhen(false)] out string? error)
    {
        if (!TryParseRange(text, Weekday, out range, out error))
        {
            return false;
        }
        if (range.Begin > range.End)
        {
            error = "start day cannot be before end day";
            return false;
        }
        if (range.Begin is < 0 or > 6 || range.End is < 0 or > 6)
        {
            error = $"{text} is not a valid day of the week: out of range";
            return false;
        }
        return true;
    }

    /// <summary>A day of the month or a range of them; negative days count from the end (-1 = last day).</summary>
    public static bool TryParseDayOfMonthRange(string text, out InclusiveRange range, [NotNullWhen(false)] out string? error)
    {
        if (!TryParseRange(text, Atoi, out range, out error))
        {
            return false;
        }
        if (range.Begin == 0 || range.Begin < -31 || range.Begin > 31)
        {
            error = $"{Itoa(range.Begin)} is not a valid day of the month: out of range";
            return false;
        }
        if (range.End == 0 || range.End < -31 || range.End > 31)
        {
            error = $"{Itoa(range.End)} is not a valid day of the month: out of range";
            return false;
        }
        if (range.Begin < 0 && range.End > 0)
        {
            error = "end day must be negative if start day is negative";
            return false;
        }
        // Alertmanager checks the order against a 28-day month, the shortest.
        var checkBegin = range.Begin < 0 ? 28 + range.Begin : range.Begin;
        var checkEnd = range.End < 0 ? 28 + range.End : range.End;
        if (checkBegin > checkEnd)
        {
            error = $"end day {Itoa(range.End)} is always before start day {Itoa(range.Begin)}";
            return false;
        }
        return true;
    }

    /// <summary>A month (name or 1..12) or a range of them.</summary>
    public static bool TryParseMonthRange(string text, out InclusiveRange range, [NotNullWhen(false)] out string? error)
    {
        if (!TryParseRange(text, Month, out range, out error))
        {
            return false;
        }
        if (range.Begin > range.End)
        {
            error = $"end month {MonthName(range.End)} is before start month {MonthName(range.Begin)}";
            return false;
        }
        return true;
    }

    /// <summary>A year or a range of years.</summary>
    public static bool TryParseYearRange(string text, out InclusiveRange range, [NotNullWhen(false)] out string? error)
    {
        if (!TryParseRange(text, Atoi, out range, out error))
        {
            return false;
        }
        if (range.Begin > range.End)
        {
            error = $"end year {Itoa(range.End)} is before start year {Itoa(range.Begin)}";
            return false;
        }
        return true;
    }

    /// <summary>A <c>times</c> entry: <c>start_time</c> and <c>end_time</c> as <c>HH:MM</c> (end up to <c>24:00</c>), start before end.</summary>
    public static bool TryParseTimeRange(string start, string end, out TimeRange range, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        range = default;
        if (end.Length == 0 || start.Length == 0)
        {
            error = "both start and end times must be provided";
            return false;
        }
        if (!TryParseTime(start, out var startMinute, out error) || !TryParseTime(end, out var endMinute, out error))
        {
            return false;
        }
        if (startMinute >= endMinute)
        {
            error = "start time cannot be equal or greater than end time";
            return false;
        }
        range = new TimeRange(startMinute, endMinute);
        return true;
    }

    /// <summary>An IANA time zone name (<c>Europe/Berlin</c>); <c>UTC</c> and "" are UTC, <c>Local</c> the machine's zone.</summary>
    public static bool TryFindLocation(string name, [NotNullWhen(true)] out TimeZoneInfo? zone, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(name);
        error = null;
        zone = name switch
        {
            "" or "UTC" => TimeZoneInfo.Utc,
            "Local" => TimeZoneInfo.Local,
            _ => null,
        };
        if (zone is not null)
        {
            return true;
        }
        // Go's LoadLocation refuses paths that could leave the zoneinfo tree.
        if (!name.Contains("..", StringComparison.Ordinal) && !name.StartsWith('/') && !name.Contains('\\', StringComparison.Ordinal))
        {
            try
            {
                // Go opens the zoneinfo file by name, so the name's case must be exact.
                zone = TimeZoneInfo.FindSystemTimeZoneById(name);
                if (string.Equals(zone.Id, name, StringComparison.Ordinal))
                {
                    return true;
                }
                zone = null;
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
            }
        }
        error = "unknown time zone " + name;
        return false;
    }

    // HH:MM with HH 00..23 and MM 00..59, or 24:00.
    private static bool TryParseTime(string text, out int minutes, [NotNullWhen(false)] out string? error)
    {
        minutes = 0;
        var valid = text == "24:00"
            || (text.Length == 5 && text[2] == ':' && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[1])
                && (text[0] is '0' or '1' || (text[0] == '2' && text[1] <= '3'))
                && text[3] is >= '0' and <= '5' && char.IsAsciiDigit(text[4]));
        if (!valid)
        {
            error = $"couldn't parse timestamp {text}, invalid format";
            return false;
        }
        minutes = (((text[0] - '0') * 10) + (text[1] - '0')) * 60 + ((text[3] - '0') * 10) + (text[4] - '0');
        error = null;
        return true;
    }

    private static bool TryParseRange(string text, MemberParser member, out InclusiveRange range, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        range = default;
        var lower = text.ToLowerInvariant();
        var colon = lower.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (lower.IndexOf(':', colon + 1) >= 0)
            {
                error = $"couldn't parse range {lower}, invalid format";
                return false;
            }
            if (!member(lower[..colon], out var begin, out error) || !member(lower[(colon + 1)..], out var end, out error))
            {
                return false;
            }
            range = new InclusiveRange(begin, end);
            return true;
        }
        if (!member(lower, out var value, out error))
        {
            return false;
        }
        range = new InclusiveRange(value, value);
        return true;
    }

    private static bool Weekday(string text, out int value, [NotNullWhen(false)] out string? error)
    {
        value = Array.IndexOf(s_weekdays, text);
        error = value < 0 ? $"{text} is not a valid weekday" : null;
        return value >= 0;
    }

    private static bool Month(string text, out int value, [NotNullWhen(false)] out string? error)
    {
        var index = Array.IndexOf(s_months, text);
        if (index >= 0)
        {
            value = index + 1;
            error = null;
            return true;
        }
        if (Atoi(text, out value, out _))
        {
            error = null;
            return true;
        }
        error = $"{text} is not a valid month";
        return false;
    }

    private static string MonthName(int month) => month is >= 1 and <= 12 ? s_months[month - 1] : "";

    // Go's strconv.Atoi: optional sign, decimal digits, no spaces, within 64 bits.
    private static bool Atoi(string text, out int value, [NotNullWhen(false)] out string? error)
    {
        var span = text.AsSpan();
        var digits = span.Length > 0 && span[0] is '+' or '-' ? span[1..] : span;
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            value = 0;
            error = $"strconv.Atoi: parsing {Quote(text)}: invalid syntax";
            return false;
        }
        if (!long.TryParse(span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var wide))
        {
            value = 0;
            error = $"strconv.Atoi: parsing {Quote(text)}: value out of range";
            return false;
        }
        // Values beyond int fail the range checks above just as Go's 64-bit ints do.
        value = (int)Math.Clamp(wide, int.MinValue, int.MaxValue);
        error = null;
        return true;
    }

    private static string Quote(string s) => Model.LabelText.Quote(s);

    private static string Itoa(int value) => value.ToString(CultureInfo.InvariantCulture);
}
