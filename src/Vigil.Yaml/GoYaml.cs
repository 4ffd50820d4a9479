using System.Globalization;

namespace Vigil.Yaml;

/// <summary>How gopkg.in/yaml.v2 (what Prometheus and Alertmanager decode their configuration with) resolves plain scalars: YAML 1.1 booleans, Go integers, floats.</summary>
public static class GoYaml
{
    /// <summary>YAML 1.1 booleans as yaml.v2 resolves them (<c>yes</c>, <c>off</c>, <c>true</c>...); quoted text is never a boolean.</summary>
    public static bool TryParseBool(YamlScalar scalar, out bool value)
    {
        value = false;
        if (!scalar.Plain)
        {
            return false;
        }
        switch (scalar.Value)
        {
            case "y" or "Y" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "true" or "True" or "TRUE":
                value = true;
                return true;
            case "n" or "N" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "false" or "False" or "FALSE":
                return true;
            default:
                return false;
        }
    }

    /// <summary>Go's integer syntax as yaml.v2 accepts it: sign, <c>0x</c>/<c>0o</c>/<c>0b</c>, leading-zero octal, <c>_</c> separators.</summary>
    public static bool TryParseInt(string text, out bool negative, out ulong magnitude)
    {
        negative = false;
        magnitude = 0;
        var span = text.Replace("_", "", StringComparison.Ordinal).AsSpan();
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
        foreach (var c in span)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix || magnitude > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return false;
            }
            magnitude = (magnitude * (ulong)radix) + (ulong)digit;
        }
        return true;
    }

    /// <summary>Whether a plain scalar resolves to <c>!!float</c>.</summary>
    public static bool LooksLikeFloat(string value)
        => value.Length > 0 && (value[0] is '.' or '+' or '-' || char.IsAsciiDigit(value[0]))
            && double.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
