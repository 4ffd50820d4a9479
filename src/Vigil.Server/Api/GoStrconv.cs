using System.Globalization;

using Vigil.PromQL.Functions;

namespace Vigil.Server.Api;

/// <summary>
/// The parts of Go's <c>strconv</c> (and of Go's float-to-int conversion on amd64) that decide which API
/// parameters Prometheus accepts, so Vigil accepts and rejects the same texts.
/// </summary>
internal static class GoStrconv
{
    /// <summary>
    /// <c>strconv.ParseFloat(s, 64)</c>: decimal and hexadecimal (<c>0x1p4</c>) floats, <c>_</c> between digits,
    /// <c>inf</c>/<c>infinity</c>/<c>nan</c> in any case. False on a syntax error and on overflow (Go's <c>ErrRange</c>).
    /// </summary>
    public static bool TryParseFloat(string s, out double value) => GoParseFloat.TryParse(s, out value);

    /// <summary>
    /// Go's <c>int64(f)</c> on amd64: truncation toward zero, and <see cref="long.MinValue"/> for NaN and for
    /// values out of range (the CPU's "integer indefinite"), where .NET would saturate.
    /// </summary>
    public static long ToInt64(double f)
        => double.IsNaN(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0 ? long.MinValue : (long)f;

    /// <summary><c>strconv.Atoi</c>: an optional sign and decimal digits, in range.</summary>
    public static bool TryAtoi(string s, out long value)
        => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary><c>strconv.ParseBool</c>: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False.</summary>
    public static bool TryParseBool(string s, out bool value)
    {
        switch (s)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
