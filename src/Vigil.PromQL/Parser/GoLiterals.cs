using System.Globalization;
using System.Text;

namespace Vigil.PromQL.Parser;

/// <summary>
/// Literal conversions as Prometheus 2.42 does them: numbers through Go's <c>strconv.ParseInt(s, 0, 64)</c> then
/// <c>strconv.ParseFloat</c>, durations through <c>model.ParseDuration</c> (and "duration must be greater than 0"),
/// strings through <c>strutil.Unquote</c>. Each returns null and sets an error worded like Go's.
/// </summary>
internal static class GoLiterals
{
    private static readonly (char Unit, long Ms)[] s_units =
    [
        ('y', 365L * 24 * 3600 * 1000),
        ('w', 7L * 24 * 3600 * 1000),
        ('d', 24L * 3600 * 1000),
        ('h', 3600L * 1000),
        ('m', 60L * 1000),
        ('s', 1000L),
        ('u', 1L), // "ms"
    ];

    /// <summary>Prometheus's <c>parser.number</c>.</summary>
    public static double? ParseNumber(string val, out string? error)
    {
        error = null;
        if (TryParseGoInt(val, out var n))
        {
            return n;
        }
        if (TryParseGoFloat(val, out var f, out var rangeError))
        {
            return f;
        }
        error = "error parsing number: strconv.ParseFloat: parsing " + GoText.Quote(val) + ": " +
            (rangeError ? "value out of range" : "invalid syntax");
        return null;
    }

    private static bool TryParseGoInt(string s, out long value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }
        int numberBase;
        var digits = s.AsSpan();
        if (s.Length > 2 && s[0] == '0' && s[1] is 'x' or 'X')
        {
            numberBase = 16;
            digits = digits[2..];
        }
        else if (s.Length > 1 && s[0] == '0')
        {
            numberBase = 8;
            digits = digits[1..];
        }
        else
        {
            numberBase = 10;
        }
        if (digits.IsEmpty)
        {
            return false;
        }
        ulong acc = 0;
        foreach (var c in digits)
        {
            var d = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (d >= numberBase)
            {
                return false;
            }
            var next = (acc * (ulong)numberBase) + (ulong)d;
            if (acc > (ulong.MaxValue - (ulong)d) / (ulong)numberBase || next > long.MaxValue)
            {
                return false; // out of range: Go falls back to ParseFloat
            }
            acc = next;
        }
        value = (long)acc;
        return true;
    }

    private static bool TryParseGoFloat(string s, out double value, out bool rangeError)
    {
        value = 0;
        rangeError = false;
        var lower = s.ToLowerInvariant();
        switch (lower)
        {
            case "inf" or "+inf" or "infinity" or "+infinity":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-infinity":
                value = double.NegativeInfinity;
                return true;
            case "nan":
                value = double.NaN;
                return true;
        }
        // Decimal only: hexadecimal mantissas need a 'p' exponent, which the lexer never produces.
        var i = 0;
        var mantissaDigits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
            mantissaDigits++;
        }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                mantissaDigits++;
            }
        }
        if (mantissaDigits == 0)
        {
            return false;
        }
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }
            var expDigits = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                expDigits++;
            }
            if (expDigits == 0)
            {
                return false;
            }
        }
        if (i != s.Length)
        {
            return false;
        }
        value = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
        {
            rangeError = true;
            return false;
        }
        return true;
    }

    /// <summary>Prometheus's <c>parseDuration</c>: <c>model.ParseDuration</c>, and zero is refused.</summary>
    public static long? ParseDurationMs(string text, out string? error)
    {
        error = null;
        if (text == "0")
        {
            error = "duration must be greater than 0";
            return null;
        }
        if (text.Length == 0)
        {
            error = "empty duration string";
            return null;
        }
        // ^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$
        var i = 0;
        var next = 0;
        Int128 totalNs = 0;
        var overflow = false;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            if (i == start || i == text.Length)
            {
                return Invalid(text, out error);
            }
            var digits = text.AsSpan(start, i - start);
            char unit;
            if (text[i] == 'm' && i + 1 < text.Length && text[i + 1] == 's')
            {
                unit = 'u';
                i += 2;
            }
            else
            {
                unit = text[i];
                i++;
            }
            var found = -1;
            for (var u = next; u < s_units.Length; u++)
            {
                if (s_units[u].Unit == unit)
                {
                    found = u;
                    break;
                }
            }
            if (found < 0)
            {
                return Invalid(text, out error);
            }
            next = found + 1;
            // strconv.Atoi saturates at MaxInt64 on overflow.
            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                n = long.MaxValue;
            }
            var multMs = s_units[found].Ms;
            if (n > long.MaxValue / (multMs * 1_000_000L))
            {
                overflow = true;
            }
            totalNs += (Int128)n * multMs * 1_000_000L;
            if (totalNs > long.MaxValue)
            {
                overflow = true;
            }
        }
        if (overflow)
        {
            error = "duration out of range";
            return null;
        }
        var ms = (long)(totalNs / 1_000_000);
        if (ms == 0)
        {
            error = "duration must be greater than 0";
            return null;
        }
        return ms;
    }

    private static long? Invalid(string text, out string? error)
    {
        error = "not a valid duration string: " + GoText.Quote(text);
        return null;
    }

    /// <summary>Prometheus's <c>strutil.Unquote</c> for a lexed string item (quotes included); the lexer has already validated escapes.</summary>
    public static string? Unquote(string s, out string? error)
    {
        error = null;
        if (s.Length < 2 || s[0] != s[^1])
        {
            error = "invalid syntax";
            return null;
        }
        var quote = s[0];
        var body = s[1..^1];
        if (quote == '`')
        {
            if (body.Contains('`', StringComparison.Ordinal))
            {
                error = "invalid syntax";
                return null;
            }
            return body.Replace("\r", "", StringComparison.Ordinal);
        }
        if (quote != '"' && quote != '\'')
        {
            error = "invalid syntax";
            return null;
        }
        if (!body.Contains('\\', StringComparison.Ordinal))
        {
            return body;
        }
        // \x and octal escapes are bytes (Go strings are bytes); collect UTF-8 and decode at the end.
        var bytes = new List<byte>(body.Length);
        Span<byte> utf8 = stackalloc byte[4];
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            if (c != '\\')
            {
                var rune = Rune.GetRuneAt(body, i);
                var len = rune.EncodeToUtf8(utf8);
                for (var k = 0; k < len; k++)
                {
                    bytes.Add(utf8[k]);
                }
                i += rune.Utf16SequenceLength;
                continue;
            }
            i++;
            var e = body[i++];
            switch (e)
            {
                case 'a': bytes.Add(0x07); break;
                case 'b': bytes.Add(0x08); break;
                case 'f': bytes.Add(0x0C); break;
                case 'n': bytes.Add(0x0A); break;
                case 'r': bytes.Add(0x0D); break;
                case 't': bytes.Add(0x09); break;
                case 'v': bytes.Add(0x0B); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case '\'' or '"': bytes.Add((byte)e); break;
                case 'x':
                    bytes.Add((byte)Convert.ToInt32(body.Substring(i, 2), 16));
                    i += 2;
                    break;
                case >= '0' and <= '7':
                    bytes.Add((byte)Convert.ToInt32(body.Substring(i - 1, 3), 8));
                    i += 2;
                    break;
                case 'u' or 'U':
                {
                    var n = e == 'u' ? 4 : 8;
                    var cp = Convert.ToInt32(body.Substring(i, n), 16);
                    i += n;
                    var len = new Rune(cp).EncodeToUtf8(utf8);
                    for (var k = 0; k < len; k++)
                    {
                        bytes.Add(utf8[k]);
                    }
                    break;
                }
                default:
                    error = "invalid syntax";
                    return null;
            }
        }
        return DecodeKeepingInvalidBytes(bytes);
    }

    /// <summary>
    /// UTF-8 to a .NET string, where each byte that is not valid UTF-8 becomes the lone surrogate U+DC00+byte
    /// ("surrogateescape"), so that <c>"\xff"</c> survives and prints back as Go prints it.
    /// </summary>
    private static string DecodeKeepingInvalidBytes(List<byte> bytes)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes);
        var sb = new StringBuilder(span.Length);
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(span, out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                sb.Append(rune.ToString());
                span = span[consumed..];
            }
            else
            {
                sb.Append((char)(0xDC00 + span[0]));
                span = span[1..];
            }
        }
        return sb.ToString();
    }
}
