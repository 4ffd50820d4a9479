using System.Globalization;

namespace Vigil.Model;

/// <summary>
/// Byte sizes as Prometheus's <c>--storage.tsdb.retention.size</c> takes them (units.Base2Bytes):
/// an integer followed by B, KB, MB, GB, TB, PB or EB, each a power of 1024 (<c>512MB</c>, <c>10GB</c>).
/// </summary>
public static class ByteSize
{
    private static readonly (string Unit, long Bytes)[] s_units =
    [
        ("EB", 1L << 60), ("PB", 1L << 50), ("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("B", 1L),
    ];

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out long bytes, out string? error)
    {
        bytes = 0;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty size";
            return false;
        }
        var t = text.Trim();
        if (t == "0")
        {
            return true;
        }
        var i = 0;
        while (i < t.Length && char.IsAsciiDigit(t[i]))
        {
            i++;
        }
        if (i == 0 || !long.TryParse(t.AsSpan(0, i), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            error = $"invalid size \"{text}\": expected a number followed by B, KB, MB, GB, TB, PB or EB";
            return false;
        }
        var unit = t[i..];
        foreach (var (name, size) in s_units)
        {
            if (string.Equals(unit, name, StringComparison.OrdinalIgnoreCase) || (name != "B" && string.Equals(unit, name[..1] + "iB", StringComparison.OrdinalIgnoreCase)))
            {
                try
                {
                    bytes = checked(n * size);
                    return true;
                }
                catch (OverflowException)
                {
                    error = $"size \"{text}\" is too large";
                    return false;
                }
            }
        }
        error = $"invalid size \"{text}\": unknown unit \"{unit}\" (use B, KB, MB, GB, TB, PB or EB)";
        return false;
    }

    /// <summary>The largest unit that divides <paramref name="bytes"/> exactly: <c>512MB</c>.</summary>
    public static string Format(long bytes)
    {
        if (bytes == 0)
        {
            return "0B";
        }
        foreach (var (name, size) in s_units)
        {
            if (bytes % size == 0)
            {
                return (bytes / size).ToString(CultureInfo.InvariantCulture) + name;
            }
        }
        return bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }
}
