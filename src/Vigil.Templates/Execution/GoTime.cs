using System.Globalization;
using System.Text;

namespace Vigil.Templates.Execution;

/// <summary>
/// Go's <c>*time.Time</c> in UTC, as <c>toTime</c> returns it: prints like <c>Time.String()</c>
/// (<c>2023-03-28 10:40:00.5 +0000 UTC</c>) and has the methods templates call (<c>Unix</c>, <c>Format</c>, …).
/// </summary>
internal sealed class GoTime : IGoValue, IGoStringer
{
    private readonly long _unixSeconds;
    private readonly int _nanos;

    internal GoTime(long unixSeconds, int nanos)
    {
        _unixSeconds = unixSeconds;
        _nanos = nanos;
    }

    string IGoValue.GoTypeName => "*time.Time";

    private DateTime Date => DateTime.UnixEpoch.AddSeconds(_unixSeconds).AddTicks(_nanos / 100);

    /// <summary>Go's <c>Unix</c>: seconds since the epoch.</summary>
    public long Unix() => _unixSeconds;

    /// <summary>Go's <c>UnixMilli</c>.</summary>
    public long UnixMilli() => (_unixSeconds * 1000) + (_nanos / 1_000_000);

    /// <summary>Go's <c>UnixNano</c>.</summary>
    public long UnixNano() => (_unixSeconds * 1_000_000_000) + _nanos;

    /// <summary>Go's <c>UTC</c> (already UTC).</summary>
    public GoTime UTC() => this;

    /// <summary>Go's <c>Year</c>.</summary>
    public long Year() => Date.Year;

    /// <summary>Go's <c>YearDay</c>.</summary>
    public long YearDay() => Date.DayOfYear;

    /// <summary>Go's <c>Day</c>.</summary>
    public long Day() => Date.Day;

    /// <summary>Go's <c>Hour</c>.</summary>
    public long Hour() => Date.Hour;

    /// <summary>Go's <c>Minute</c>.</summary>
    public long Minute() => Date.Minute;

    /// <summary>Go's <c>Second</c>.</summary>
    public long Second() => Date.Second;

    /// <summary>Go's <c>Nanosecond</c>.</summary>
    public long Nanosecond() => _nanos;

    /// <summary>Go's <c>String</c>: <c>2006-01-02 15:04:05.999999999 -0700 MST</c>.</summary>
    public string String() => Format("2006-01-02 15:04:05.999999999 -0700 MST");

    string IGoStringer.GoString() => String();

    /// <inheritdoc/>
    public override string ToString() => String();

    /// <summary>Go's <c>Time.Format</c> with Go's reference-time layout (<c>Mon Jan 2 15:04:05 MST 2006</c>).</summary>
    public string Format(string layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var d = Date;
        var sb = new StringBuilder(layout.Length + 10);
        var i = 0;
        while (i < layout.Length)
        {
            var rest = layout.AsSpan(i);
            if (Take(rest, "January", out var n)) { sb.Append(CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(d.Month)); }
            else if (Take(rest, "Jan", out n)) { sb.Append(CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(d.Month)); }
            else if (Take(rest, "Monday", out n)) { sb.Append(d.DayOfWeek.ToString()); }
            else if (Take(rest, "Mon", out n)) { sb.Append(d.DayOfWeek.ToString()[..3]); }
            else if (Take(rest, "MST", out n)) { sb.Append("UTC"); }
            else if (Take(rest, "2006", out n)) { sb.Append(d.Year.ToString("D4", CultureInfo.InvariantCulture)); }
            else if (Take(rest, "2", out n)) { sb.Append(d.Day.ToString(CultureInfo.InvariantCulture)); }
            else if (Take(rest, "01", out n)) { sb.Append(d.Month.ToString("D2", CultureInfo.InvariantCulture)); }
            else if (Take(rest, "02", out n)) { sb.Append(d.Day.ToString("D2", CultureInfo.InvariantCulture)); }
            else if (Take(rest, "03", out n)) { sb.Append(Hour12(d).ToString("D2", CultureInfo.InvariantCulture)); }
            else if (Take(rest, "04", out n)) { sb.Append(d.Minute.ToString("D2", CultureInfo.InvariantCulture)); }
            else if (Take(rest, "05", out n)) { sb.Append(d.Second.ToString("D2", CultureInfo.InvariantCulture)); }
            else if (Take(rest, "06", out n)) { sb.Append((d.Year % 100).ToString("D2", CultureInfo.InvariantCulture)); }
            else if (Take(rest, "002", out n)) { sb.Append(d.DayOfYear.ToString("D3", CultureInfo.InvariantCulture)); }
            else if (Take(rest, "__2", out n)) { sb.Append(d.DayOfYear.ToString(CultureInfo.InvariantCulture).PadLeft(3)); }
            else if (Take(rest, "_2", out n)) { sb.Append(d.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)); }
            else if (Take(rest, "15", out n)) { sb.Append(d.Hour.ToString("D2", CultureInfo.InvariantCulture)); }
            else if (Take(rest, "1", out n)) { sb.Append(d.Month.ToString(CultureInfo.InvariantCulture)); }
            else if (Take(rest, "3", out n)) { sb.Append(Hour12(d).ToString(CultureInfo.InvariantCulture)); }
            else if (Take(rest, "4", out n)) { sb.Append(d.Minute.ToString(CultureInfo.InvariantCulture)); }
            else if (Take(rest, "5", out n)) { sb.Append(d.Second.ToString(CultureInfo.InvariantCulture)); }
            else if (Take(rest, "PM", out n)) { sb.Append(d.Hour >= 12 ? "PM" : "AM"); }
            else if (Take(rest, "pm", out n)) { sb.Append(d.Hour >= 12 ? "pm" : "am"); }
            else if (Take(rest, "-07:00:00", out n) || Take(rest, "-07:00", out n)) { sb.Append(n == 9 ? "+00:00:00" : "+00:00"); }
            else if (Take(rest, "-0700", out n)) { sb.Append("+0000"); }
            else if (Take(rest, "-07", out n)) { sb.Append("+00"); }
            else if (Take(rest, "Z07:00:00", out n) || Take(rest, "Z07:00", out n) || Take(rest, "Z0700", out n) || Take(rest, "Z07", out n)) { sb.Append('Z'); }
            else if (rest.Length >= 2 && rest[0] is '.' or ',' && rest[1] is '0' or '9' && FractionLength(rest) is var fl && fl > 0)
            {
                n = fl + 1;
                AppendFraction(sb, rest[0], rest[1] == '9', fl);
            }
            else
            {
                sb.Append(layout[i]);
                n = 1;
            }
            i += n;
        }
        return sb.ToString();
    }

    private static int Hour12(DateTime d) => d.Hour % 12 == 0 ? 12 : d.Hour % 12;

    private static bool Take(ReadOnlySpan<char> rest, string token, out int length)
    {
        length = token.Length;
        return rest.StartsWith(token, StringComparison.Ordinal);
    }

    // ".000" / ".999" (or with ','): a run of one digit kind, not followed by another digit.
    private static int FractionLength(ReadOnlySpan<char> rest)
    {
        var digit = rest[1];
        var j = 1;
        while (j < rest.Length && rest[j] == digit)
        {
            j++;
        }
        if (j < rest.Length && char.IsAsciiDigit(rest[j]))
        {
            return 0;
        }
        return j - 1;
    }

    private void AppendFraction(StringBuilder sb, char separator, bool trim, int digits)
    {
        var frac = _nanos.ToString("D9", CultureInfo.InvariantCulture)[..Math.Min(digits, 9)];
        if (trim)
        {
            frac = frac.TrimEnd('0');
            if (frac.Length == 0)
            {
                return;
            }
        }
        sb.Append(separator).Append(frac);
    }
}
