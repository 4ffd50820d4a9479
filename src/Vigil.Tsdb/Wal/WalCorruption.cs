using System.Globalization;

namespace Vigil.Tsdb.Wal;

/// <summary>
/// Where and why a WAL (or checkpoint) segment could not be read, as a value. <see cref="WalReader"/> reports
/// it through <see cref="WalReader.Error"/>; replay either repairs it (a torn tail) or throws it as a
/// <see cref="CorruptionException"/>.
/// </summary>
/// <param name="Directory">The directory holding the segment (the WAL or a checkpoint directory).</param>
/// <param name="Segment">The segment's index.</param>
/// <param name="Offset">The byte offset in the segment of the fragment (or padding byte) found to be bad.</param>
/// <param name="LastGoodOffset">The end of the last intact record in that segment: where a repair cuts it.</param>
/// <param name="Reason">What was wrong and what was expected.</param>
public sealed record WalCorruption(string Directory, int Segment, long Offset, long LastGoodOffset, string Reason)
{
    /// <summary>The segment's path.</summary>
    public string SegmentPath => Path.Combine(Directory, WalFormat.SegmentName(Segment));

    /// <summary>One line: which file, which offset, why.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"corruption in WAL segment {SegmentPath} at offset {Offset}: {Reason}");
}

/// <summary>A WAL or checkpoint segment is corrupt somewhere replay must not repair (not the tail of the last segment).</summary>
public sealed class CorruptionException : Exception
{
    /// <summary>Throws the corruption as an exception; the message names segment, offset and reason.</summary>
    public CorruptionException(WalCorruption corruption)
        : base(corruption?.ToString())
    {
        ArgumentNullException.ThrowIfNull(corruption);
        Corruption = corruption;
    }

    /// <summary>A corruption without a position.</summary>
    public CorruptionException()
        : this("WAL corruption")
    {
    }

    /// <summary>A corruption without a position.</summary>
    public CorruptionException(string message)
        : base(message)
    {
        Corruption = new WalCorruption("", -1, -1, -1, message);
    }

    /// <summary>A corruption without a position, caused by <paramref name="innerException"/>.</summary>
    public CorruptionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Corruption = new WalCorruption("", -1, -1, -1, message);
    }

    /// <summary>Where and why.</summary>
    public WalCorruption Corruption { get; }

    /// <summary>The corrupt segment's index (-1 when unknown).</summary>
    public int Segment => Corruption.Segment;

    /// <summary>The byte offset of the bad fragment in the segment (-1 when unknown).</summary>
    public long Offset => Corruption.Offset;

    /// <summary>What was wrong.</summary>
    public string Reason => Corruption.Reason;
}
