using System.Globalization;

namespace Vigil.Tsdb.Wal;

/// <summary>The type byte of a record fragment (docs/format/wal.md, "Pages and fragments").</summary>
internal enum FragmentType : byte
{
    /// <summary>The rest of the page is zero padding.</summary>
    PageTerm = 0,

    /// <summary>A whole record in one fragment.</summary>
    Full = 1,

    /// <summary>The first fragment of a record that continues on the next page.</summary>
    First = 2,

    /// <summary>A fragment that neither starts nor ends its record.</summary>
    Middle = 3,

    /// <summary>The final fragment of a record.</summary>
    Last = 4,
}

/// <summary>Constants and names of the on-disk WAL format, as Prometheus 2.42's <c>tsdb/wlog</c> lays it out.</summary>
internal static class WalFormat
{
    /// <summary>Segments are written in pages of 32 KiB; a fragment never crosses a page boundary.</summary>
    public const int PageSize = 32 * 1024;

    /// <summary>type (1) + big-endian length (2) + big-endian CRC-32C of the payload (4).</summary>
    public const int FragmentHeaderSize = 7;

    /// <summary>The low three bits of the type byte; Prometheus uses bits 3 and 4 for snappy/zstd compression, which Vigil never writes.</summary>
    public const byte FragmentTypeMask = 0x07;

    /// <summary>The prefix of checkpoint directories: <c>checkpoint.00000012</c>.</summary>
    public const string CheckpointPrefix = "checkpoint.";

    /// <summary>The suffix of a checkpoint being written; such directories are garbage after a crash.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>A segment's file name: its index as eight decimal digits.</summary>
    public static string SegmentName(int index) => index.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>A checkpoint's directory name.</summary>
    public static string CheckpointName(int index) => CheckpointPrefix + SegmentName(index);

    /// <summary>Parses a segment file name: one or more ASCII digits (Prometheus accepts any decimal name).</summary>
    public static bool TryParseSegmentName(ReadOnlySpan<char> name, out int index)
    {
        index = 0;
        if (name.IsEmpty || name.Length > 9)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            index = (index * 10) + (c - '0');
        }
        return true;
    }

    /// <summary>Parses <c>checkpoint.NNNNNNNN</c> (not the <c>.tmp</c> form).</summary>
    public static bool TryParseCheckpointName(string name, out int index)
    {
        index = 0;
        return name.StartsWith(CheckpointPrefix, StringComparison.Ordinal)
            && TryParseSegmentName(name.AsSpan(CheckpointPrefix.Length), out index);
    }

    /// <summary>Whether a directory is a checkpoint left half-written by a crash.</summary>
    public static bool IsTempCheckpoint(string name)
        => name.StartsWith(CheckpointPrefix, StringComparison.Ordinal) && name.EndsWith(TempSuffix, StringComparison.Ordinal);

    /// <summary>A fragment type's name for error messages.</summary>
    public static string Describe(FragmentType type) => type switch
    {
        FragmentType.PageTerm => "padding",
        FragmentType.Full => "full",
        FragmentType.First => "first",
        FragmentType.Middle => "middle",
        FragmentType.Last => "last",
        _ => "invalid",
    };
}
