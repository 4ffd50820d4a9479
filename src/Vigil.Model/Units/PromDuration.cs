using System.Globalization;
using System.Text;

namespace Vigil.Model;

/// <summary>
/// Prometheus's duration notation (<c>model.ParseDuration</c>): units y, w, d, h, m, s, ms, each at
/// most once and in that order (<c>1h30m</c>, <c>15d</c>, <c>500ms</c>), or a bare <c>0</c>.
/// A year is 365 days, a week 7 days.
/// </summary>
public static class PromDuration
{
    private static readonly (string Unit, long Ms)[] s_units =
    [
        ("y", 365L * 24 * 3600 * 1000),
        ("w", 7L * 24 * 3600 * 1000),
        ("d", 24L * 3600 * 1000),
        ("h", 3600L * 1000),
        ("m", 60L * 1000),
        ("s", 1000L),
        ("ms", 1L),
    ];

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty duration string";
            return false;
        }
        if (text == "0")
        {
            return true;
        }
        long totalMs = 0;
        var next = 0; // index into s_units of the first unit still allowed
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            if (i == start)
            {
                error = $"not a valid duration string: \"{text}\"";
                return false;
            }
            var digits = text.AsSpan(start, i - start);
            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }
            var unit = text.AsSpan(unitStart, i - unitStart);
            var found = -1;
            for (var u = next; u < s_units.Length; u++)
            {
                if (unit.SequenceEqual(s_units[u].Unit))
                {
                    found = u;
                    break;
                }
            }
            if (found < 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                error = $"not a valid duration string: \"{text}\"";
                return false;
            }
            try
            {
                totalMs = checked(totalMs + checked(n * s_units[found].Ms));
            }
            catch (OverflowException)
            {
                error = $"duration out of range: \"{text}\"";
                return false;
            }
            next = found + 1;
        }
        if (totalMs > (long)TimeSpan.MaxValue.TotalMilliseconds)
        {
            error = $"duration out of range: \"{text}\"";
            return false;
        }
        duration = TimeSpan.FromMilliseconds(totalMs);
        return true;
    }

    /// <summary>Parses <paramref name="text"/> or throws <see cref="FormatException"/> saying why.</summary>
    public static TimeSpan Parse(string text)
        => TryParse(text, out var d, out var error) ? d : throw new FormatException(error);

    /// <summary>Prometheus's <c>model.Duration.String()</c>: largest units first, <c>0s</c> for zero.</summary>
    public static string Format(TimeSpan duration)
    {
        var ms = (long)duration.TotalMilliseconds;
        if (ms == 0)
        {
            return "0s";
        }
        var sb = new StringBuilder();
        if (ms < 0)
        {
            sb.Append('-');
            ms = -ms;
        }
        foreach (var (unit, size) in s_units)
        {
            var n = ms / size;
            if (n > 0)
            {
                // Prometheus prints years and weeks only when the remainder is exact ("90d", not "12w6d").
                if (unit is "y" or "w" && ms % size != 0)
                {
                    continue;
                }
                sb.Append(n.ToString(CultureInfo.InvariantCulture)).Append(unit);
                ms -= n * size;
            }
        }
        return sb.ToString();
    }
}
