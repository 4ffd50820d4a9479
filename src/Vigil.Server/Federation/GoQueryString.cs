using System.Globalization;
using System.Text;

namespace Vigil.Server.Federation;

/// <summary>
/// Go's <c>url.ParseQuery</c> (Go 1.19, which Prometheus 2.42 is built with), for the errors ASP.NET Core's lenient
/// query parsing does not give: an invalid <c>%</c> escape or a <c>;</c> separator makes Prometheus answer 400
/// <c>error parsing form values: ...</c>. Every parameter is still collected, as Go does.
/// </summary>
internal static class GoQueryString
{
    /// <summary>
    /// The values of <paramref name="key"/> in <paramref name="rawQuery"/> (without the leading <c>?</c>), and the
    /// first error Go would report (null when none).
    /// </summary>
    public static List<string> Values(string rawQuery, string key, out string? error)
    {
        var values = new List<string>();
        error = null;
        var rest = rawQuery.AsSpan();
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var pair = amp >= 0 ? rest[..amp] : rest;
            rest = amp >= 0 ? rest[(amp + 1)..] : [];
            if (pair.Contains(';'))
            {
                error = "invalid semicolon separator in query";
                continue;
            }
            if (pair.IsEmpty)
            {
                continue;
            }
            var eq = pair.IndexOf('=');
            var rawKey = eq >= 0 ? pair[..eq] : pair;
            var rawValue = eq >= 0 ? pair[(eq + 1)..] : [];
            if (!TryUnescape(rawKey, out var name, out var keyError))
            {
                error ??= keyError;
                continue;
            }
            if (!TryUnescape(rawValue, out var value, out var valueError))
            {
                error ??= valueError;
                continue;
            }
            if (name == key)
            {
                values.Add(value);
            }
        }
        return values;
    }

    /// <summary>Go's <c>QueryUnescape</c>: <c>+</c> is a space, <c>%XX</c> a byte; anything else is literal.</summary>
    private static bool TryUnescape(ReadOnlySpan<char> text, out string result, out string? error)
    {
        error = null;
        if (text.IndexOfAny('%', '+') < 0)
        {
            result = text.ToString();
            return true;
        }
        var bytes = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    var bad = text[i..];
                    if (bad.Length > 3)
                    {
                        bad = bad[..3];
                    }
                    error = $"invalid URL escape {Quote(bad)}";
                    result = "";
                    return false;
                }
                bytes.Add(byte.Parse(text.Slice(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else
            {
                var n = new Rune(char.IsSurrogate(c) ? '\uFFFD' : c).EncodeToUtf8(utf8);
                for (var j = 0; j < n; j++)
                {
                    bytes.Add(utf8[j]);
                }
            }
        }
        result = Encoding.UTF8.GetString([.. bytes]);
        return true;
    }

    /// <summary>Go's <c>strconv.Quote</c> for the few characters of an escape error.</summary>
    private static string Quote(ReadOnlySpan<char> text)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append(@"\\"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                    {
                        sb.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
