using System.Globalization;

namespace Vigil.Tsdb.Wal;

/// <summary>Why a record could not be decoded, as a value: a reason and the byte offset in the record where decoding stopped.</summary>
/// <param name="Reason">What was wrong and what was expected; null when there is no error.</param>
/// <param name="Offset">Byte offset in the record.</param>
public readonly record struct RecordError(string? Reason, int Offset)
{
    /// <summary>Whether this is an error at all.</summary>
    public bool IsError => Reason is not null;

    /// <summary>"offset N: reason".</summary>
    public override string ToString()
        => Reason is null ? "no error" : string.Create(CultureInfo.InvariantCulture, $"invalid WAL record at offset {Offset}: {Reason}");
}

/// <summary>A record's bytes do not follow its type's encoding; the only exception the record decoders throw.</summary>
public sealed class RecordFormatException : Exception
{
    /// <summary>Throws a decode error; the message says where and why.</summary>
    public RecordFormatException(RecordError error)
        : base(error.ToString())
    {
        Error = error;
    }

    /// <summary>A record error without a position.</summary>
    public RecordFormatException()
        : this("invalid WAL record")
    {
    }

    /// <summary>A record error without a position.</summary>
    public RecordFormatException(string message)
        : base(message)
    {
        Error = new RecordError(message, -1);
    }

    /// <summary>A record error without a position, caused by <paramref name="innerException"/>.</summary>
    public RecordFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new RecordError(message, -1);
    }

    /// <summary>The reason and offset.</summary>
    public RecordError Error { get; }
}
