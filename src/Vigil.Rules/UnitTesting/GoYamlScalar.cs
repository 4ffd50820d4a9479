using System.Globalization;
using System.Text.RegularExpressions;

namespace Vigil.Rules.UnitTesting;

/// <summary>
/// How gopkg.in/yaml.v2 (what promtool decodes its files with) resolves a scalar's type and reads a float:
/// YAML 1.1 booleans (<c>yes</c>, <c>off</c>), nulls (<c>~</c>, empty), Go integer syntax (<c>0x1F</c>,
/// <c>0o17</c>, <c>0b11</c>, <c>010</c> octal, <c>1_000</c>), <c>.inf</c>/<c>.nan</c>; quoted scalars are strings.
/// </summary>
internal static partial class GoYamlScalar
{
    /// <summary>The YAML tags yaml.v2 names in its errors.</summary>
    public enum Kind
    {
        Null,
        Bool,
        Int,
        Float,
        Str,
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlStyleFloat();

    /// <summary>The resolved tag name as yaml.v2 prints it: <c>!!str</c>, <c>!!int</c>, ...</summary>
    public static string TagName(Kind kind) => kind switch
    {
        Kind.Null => "!!null",
        Kind.Bool => "!!bool",
        Kind.Int => "!!int",
        Kind.Float => "!!float",
        _ => "!!str",
    };

    /// <summary>Resolves a scalar's type and, for numbers, its value.</summary>
    /// <param name="text">The scalar's text.</param>
    /// <param name="plain">Whether it was written without quotes (and not as a block scalar).</param>
    /// <param name="tag">Its explicit tag, or null.</param>
    /// <param name="number">The value when the result is <see cref="Kind.Int"/> or <see cref="Kind.Float"/>.</param>
    public static Kind Resolve(string text, bool plain, string? tag, out double number)
    {
        number = 0;
        if (!plain || (tag is not null && tag.EndsWith(":str", StringComparison.Ordinal)))
        {
            return Kind.Str;
        }
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return Kind.Null;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "true" or "True" or "TRUE"
                or "n" or "N" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "false" or "False" or "FALSE":
                return Kind.Bool;
            case ".nan" or ".NaN" or ".NAN":
                number = double.NaN;
                return Kind.Float;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                number = double.PositiveInfinity;
                return Kind.Float;
            case "-.inf" or "-.Inf" or "-.INF":
                number = double.NegativeInfinity;
                return Kind.Float;
        }
        if (text[0] is not ('+' or '-' or '.' or (>= '0' and <= '9')))
        {
            return Kind.Str;
        }
        var digits = text.Replace("_", "", StringComparison.Ordinal);
        if (TryParseGoInt(digits, out var integer))
        {
            number = integer;
            return Kind.Int;
        }
        if (YamlStyleFloat().IsMatch(digits)
            && double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            return Kind.Float;
        }
        return Kind.Str;
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 0, 64)</c> (then <c>ParseUint</c>): sign, 0x/0o/0b prefixes, leading-zero octal.</summary>
    private static bool TryParseGoInt(string s, out double value)
    {
        value = 0;
        var span = s.AsSpan();
        var negative = false;
        if (span.Length > 0 && span[0] is '+' or '-')
        {
            negative = span[0] == '-';
            span = span[1..];
        }
        if (span.IsEmpty)
        {
            return false;
        }
        var radix = 10;
        if (span.Length > 1 && span[0] == '0')
        {
            switch (span[1])
            {
                case 'x' or 'X': radix = 16; span = span[2..]; break;
                case 'o' or 'O': radix = 8; span = span[2..]; break;
                case 'b' or 'B': radix = 2; span = span[2..]; break;
                default: radix = 8; span = span[1..]; break;
            }
        }
        if (span.IsEmpty)
        {
            return false;
        }
        ulong acc = 0;
        foreach (var c in span)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return false;
            }
            if (acc > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return false;
            }
            acc = (acc * (ulong)radix) + (ulong)digit;
        }
        if (negative)
        {
            if (acc > (ulong)long.MaxValue + 1)
            {
                return false;
            }
            value = -(double)acc;
            return true;
        }
        value = acc;
        return true;
    }
}
