using System.Globalization;
using System.Text;

namespace Vigil.Rules.UnitTesting;

/// <summary>
/// Go's <c>strconv.FormatFloat(v, 'E', -1, 64)</c>, which promtool uses for values in its failure report:
/// the shortest digits that read back as the value, one before the point, an exponent of at
/// least two digits (<c>1E+00</c>, <c>3.333333333333333E-01</c>, <c>1E+100</c>), and <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.
/// </summary>
internal static class GoExponentFloat
{
    /// <summary>Formats <paramref name="value"/>.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }
        // "E16" is not shortest; "R" is (.NET Core 3.0+), in either fixed or exponent form: normalise it.
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var sb = new StringBuilder(24);
        var i = 0;
        if (r[0] == '-')
        {
            sb.Append('-');
            i = 1;
        }
        var e = r.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e < 0 ? r[i..] : r[i..e];
        var exponent = e < 0 ? 0 : int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : string.Concat(mantissa.AsSpan(0, point), mantissa.AsSpan(point + 1));
        var intDigits = point < 0 ? mantissa.Length : point;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }
        digits = digits[lead..].TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
            exponent = 0;
        }
        else
        {
            exponent += intDigits - lead - 1;
        }
        sb.Append(digits[0]);
        if (digits.Length > 1)
        {
            sb.Append('.').Append(digits, 1, digits.Length - 1);
        }
        sb.Append('E').Append(exponent < 0 ? '-' : '+');
        var abs = Math.Abs(exponent);
        if (abs < 10)
        {
            sb.Append('0');
        }
        sb.Append(abs.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}
