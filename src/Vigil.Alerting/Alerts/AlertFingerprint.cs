using System.Globalization;
using System.Text;
using Vigil.Model;

namespace Vigil.Alerting.Alerts;

/// <summary>
/// prometheus/common's <c>LabelSet.Fingerprint()</c>, which Alertmanager uses to identify alerts: FNV-1a 64 over
/// every <c>name 0xff value 0xff</c>, names sorted bytewise. Printed as 16 lower-case hex digits.
/// </summary>
public static class AlertFingerprint
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;
    private const byte Separator = 0xff;

    /// <summary>The fingerprint of <paramref name="labels"/> (sorted by name already, as <see cref="Labels"/> always is).</summary>
    public static ulong Of(Labels labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var hash = Offset;
        Span<byte> buffer = stackalloc byte[256];
        foreach (var label in labels.AsSpan())
        {
            hash = Add(hash, label.Name, buffer);
            hash = (hash ^ Separator) * Prime;
            hash = Add(hash, label.Value, buffer);
            hash = (hash ^ Separator) * Prime;
        }
        return hash;
    }

    /// <summary>16 lower-case hex digits, as Alertmanager prints fingerprints.</summary>
    public static string Format(ulong fingerprint) => fingerprint.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Parses 16 hex digits (Alertmanager's <c>model.ParseFingerprint</c>).</summary>
    public static bool TryParse(string text, out ulong fingerprint)
        => ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out fingerprint);

    private static ulong Add(ulong hash, string text, Span<byte> buffer)
    {
        var bytes = Encoding.UTF8.GetMaxByteCount(text.Length) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(text, buffer)]
            : Encoding.UTF8.GetBytes(text);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }
        return hash;
    }
}
