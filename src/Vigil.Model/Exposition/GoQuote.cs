using System.Buffers;
using System.Globalization;
using System.Text;

namespace Vigil.Model.Exposition;

/// <summary>Go's <c>%q</c> for byte strings, used in error messages so they read like Prometheus's.</summary>
internal static class GoQuote
{
    // Error messages quote offending text; a 100 KB number should not make a 100 KB message.
    private const int MaxQuotedBytes = 64;

    /// <summary>
    /// <paramref name="bytes"/> in double quotes with Go escapes; invalid UTF-8 bytes as <c>\xff</c>.
    /// Text past 64 bytes is cut and marked with <c>...</c> after the closing quote.
    /// </summary>
    public static string Quote(ReadOnlySpan<byte> bytes)
    {
        var cut = bytes.Length > MaxQuotedBytes;
        if (cut)
        {
            bytes = bytes[..MaxQuotedBytes];
        }
        var sb = new StringBuilder(bytes.Length + 2);
        sb.Append('"');
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                sb.Append(@"\x").Append(bytes[0].ToString("x2", CultureInfo.InvariantCulture));
                bytes = bytes[1..];
                continue;
            }
            bytes = bytes[consumed..];
            AppendEscaped(sb, rune);
        }
        sb.Append('"');
        if (cut)
        {
            sb.Append("...");
        }
        return sb.ToString();
    }

    /// <summary>Appends one rune as Go's <c>strconv.Quote</c> writes it inside the quotes.</summary>
    public static void AppendEscaped(StringBuilder sb, Rune rune)
    {
        switch (rune.Value)
        {
            case '"': sb.Append("\\\""); break;
            case '\\': sb.Append(@"\\"); break;
            case '\n': sb.Append(@"\n"); break;
            case '\t': sb.Append(@"\t"); break;
            case '\r': sb.Append(@"\r"); break;
            case '\a': sb.Append(@"\a"); break;
            case '\b': sb.Append(@"\b"); break;
            case '\f': sb.Append(@"\f"); break;
            case '\v': sb.Append(@"\v"); break;
            default:
                if (rune.Value < 0x20 || rune.Value == 0x7f)
                {
                    sb.Append(@"\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                }
                else if (Rune.IsControl(rune) || rune.Value == 0xFEFF)
                {
                    sb.Append(rune.Value > 0xFFFF ? @"\U" : @"\u")
                      .Append(rune.Value.ToString(rune.Value > 0xFFFF ? "x8" : "x4", CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(rune.ToString());
                }
                break;
        }
    }
}
