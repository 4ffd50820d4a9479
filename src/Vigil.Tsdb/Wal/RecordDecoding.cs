using System.Diagnostics.CodeAnalysis;

namespace Vigil.Tsdb.Wal;

/// <summary>Decodes one record's entries into <paramref name="destination"/>, returning an error value on bad input.</summary>
internal delegate RecordError RecordDecoder<T>(ReadOnlySpan<byte> record, List<T> destination);

/// <summary>
/// The contract every record decoder shares: <c>TryDecode</c> appends the entries or, on bad input, returns
/// the error and leaves the list as it was; <c>Decode</c> throws <see cref="RecordFormatException"/> instead.
/// </summary>
internal static class RecordDecoding
{
    public static bool TryDecode<T>(ReadOnlySpan<byte> record, List<T> destination, RecordDecoder<T> decode, out RecordError error)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var start = destination.Count;
        error = decode(record, destination);
        if (error.IsError)
        {
            destination.RemoveRange(start, destination.Count - start);
            return false;
        }
        return true;
    }

    public static void Decode<T>(ReadOnlySpan<byte> record, List<T> destination, RecordDecoder<T> decode)
    {
        if (!TryDecode(record, destination, decode, out var error))
        {
            Throw(error);
        }
    }

    // Throwing lives here, out of the decoders' hot paths.
    [DoesNotReturn]
    private static void Throw(RecordError error) => throw new RecordFormatException(error);
}
