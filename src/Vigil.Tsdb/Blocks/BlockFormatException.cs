using System.Globalization;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// A block file that is not what the format says: bad magic, unknown version, checksum mismatch, a
/// truncated section, a reference pointing outside its file. The message names the file, the section and
/// the byte offset, so a corrupt block can be found and removed by hand; data is never returned silently
/// wrong.
/// </summary>
public sealed class BlockFormatException : Exception
{
    /// <summary>A format error in <paramref name="file"/>, in <paramref name="section"/>, at byte <paramref name="offset"/>.</summary>
    public BlockFormatException(string file, string section, long offset, string reason)
        : base(Describe(file, section, offset, reason))
    {
        File = file;
        Section = section;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>A format error without a location.</summary>
    public BlockFormatException()
        : this("block format error")
    {
    }

    /// <summary>A format error without a location.</summary>
    public BlockFormatException(string message)
        : base(message)
    {
        File = "";
        Section = "";
        Offset = -1;
        Reason = message;
    }

    /// <summary>A format error without a location, caused by <paramref name="innerException"/>.</summary>
    public BlockFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "";
        Section = "";
        Offset = -1;
        Reason = message;
    }

    /// <summary>The path of the file that is corrupt.</summary>
    public string File { get; }

    /// <summary>The part of the file: "TOC", "symbol table", "series", "postings", "chunk", ...</summary>
    public string Section { get; }

    /// <summary>The byte offset in <see cref="File"/> where the problem was found; -1 when unknown.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    private static string Describe(string file, string section, long offset, string reason)
        => string.Create(CultureInfo.InvariantCulture, $"corrupt block file \"{file}\": {section} at offset {offset}: {reason}");
}

/// <summary>
/// A format error as a value (file, section, offset, reason), for the read paths that report errors through
/// <c>Error</c> properties instead of throwing; <see cref="ToException"/> makes the exception at the edge.
/// </summary>
/// <param name="File">The path of the file that is corrupt.</param>
/// <param name="Section">The part of the file.</param>
/// <param name="Offset">The byte offset of the problem.</param>
/// <param name="Reason">What is wrong.</param>
public readonly record struct BlockFormatError(string File, string Section, long Offset, string Reason)
{
    /// <summary>The exception carrying this error.</summary>
    public BlockFormatException ToException() => new(File, Section, Offset, Reason);

    /// <summary>The same text as the exception's message.</summary>
    public override string ToString() => ToException().Message;
}
