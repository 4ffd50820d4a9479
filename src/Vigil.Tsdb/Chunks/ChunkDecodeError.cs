using System.Globalization;

namespace Vigil.Tsdb.Chunks;

/// <summary>Why a chunk could not be decoded.</summary>
public enum ChunkDecodeErrorKind : byte
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Fewer than the two bytes of the sample-count header.</summary>
    HeaderTooShort,

    /// <summary>The bits ran out before the number of samples the header announces.</summary>
    UnexpectedEnd,

    /// <summary>A timestamp varint longer than ten bytes or overflowing 64 bits.</summary>
    VarintOverflow,

    /// <summary>A value's leading-zero count plus significant-bit count exceeds 64.</summary>
    InvalidValueWindow,

    /// <summary>A decoded timestamp not after the previous one; chunks hold strictly increasing timestamps.</summary>
    NonIncreasingTimestamp,
}

/// <summary>A chunk decoding error as a value: what went wrong, at which sample and at which bit of the chunk.</summary>
/// <param name="Kind">What went wrong; <see cref="ChunkDecodeErrorKind.None"/> when nothing did.</param>
/// <param name="SampleIndex">0-based index of the sample being decoded.</param>
/// <param name="BitOffset">Bit offset from the start of the chunk bytes (header included) where decoding stopped.</param>
public readonly record struct ChunkDecodeError(ChunkDecodeErrorKind Kind, int SampleIndex, long BitOffset)
{
    /// <summary>Whether this is an error at all.</summary>
    public bool IsError => Kind != ChunkDecodeErrorKind.None;

    /// <summary>A one-line description: what, which sample, which bit.</summary>
    public override string ToString() => Kind switch
    {
        ChunkDecodeErrorKind.None => "no error",
        _ => string.Create(CultureInfo.InvariantCulture, $"corrupt chunk at sample {SampleIndex}, bit {BitOffset}: {Describe(Kind)}"),
    };

    private static string Describe(ChunkDecodeErrorKind kind) => kind switch
    {
        ChunkDecodeErrorKind.HeaderTooShort => "shorter than the 2-byte sample-count header",
        ChunkDecodeErrorKind.UnexpectedEnd => "bits ended before the sample count in the header",
        ChunkDecodeErrorKind.VarintOverflow => "timestamp varint overflows 64 bits",
        ChunkDecodeErrorKind.InvalidValueWindow => "value leading zeros plus significant bits exceed 64",
        ChunkDecodeErrorKind.NonIncreasingTimestamp => "timestamp not after the previous one",
        _ => kind.ToString(),
    };
}

/// <summary>A corrupt or truncated chunk, surfaced through <see cref="Vigil.Storage.ISampleIterator.Error"/>.</summary>
public sealed class ChunkCorruptedException : Exception
{
    /// <summary>Wraps a decode error; the message says what, which sample and which bit.</summary>
    public ChunkCorruptedException(ChunkDecodeError error)
        : base(error.ToString())
    {
        DecodeError = error;
    }

    /// <summary>A corrupt chunk without a position.</summary>
    public ChunkCorruptedException()
        : this("corrupt chunk")
    {
    }

    /// <summary>A corrupt chunk without a position.</summary>
    public ChunkCorruptedException(string message)
        : base(message)
    {
    }

    /// <summary>A corrupt chunk without a position, caused by <paramref name="innerException"/>.</summary>
    public ChunkCorruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The decode error: kind, sample index, bit offset.</summary>
    public ChunkDecodeError DecodeError { get; }
}
