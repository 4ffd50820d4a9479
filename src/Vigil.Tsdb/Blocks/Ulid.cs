using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// A ULID (github.com/ulid/spec, as oklog/ulid which Prometheus uses): 48 bits of Unix milliseconds then 80
/// random bits, written as 26 characters of Crockford base32. Block directories are named by their ULID,
/// so they sort by creation time.
/// </summary>
[JsonConverter(typeof(UlidJsonConverter))]
public readonly struct Ulid : IEquatable<Ulid>, IComparable<Ulid>
{
    /// <summary>The length of the text form.</summary>
    public const int Length = 26;

    /// <summary>The largest timestamp 48 bits hold.</summary>
    public const long MaxTimestampMs = (1L << 48) - 1;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    // The 128 bits, big-endian: _hi = time(48) | random[0..2), _lo = random[2..10).
    private readonly ulong _hi;
    private readonly ulong _lo;

    private Ulid(ulong hi, ulong lo)
    {
        _hi = hi;
        _lo = lo;
    }

    /// <summary>The Unix millisecond timestamp in the first 48 bits.</summary>
    public long TimestampMs => (long)(_hi >> 16);

    /// <summary>A new ULID for <paramref name="timestampMs"/> with 80 bits from <paramref name="random"/>.</summary>
    public static Ulid New(long timestampMs, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(timestampMs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timestampMs, MaxTimestampMs);
        Span<byte> entropy = stackalloc byte[10];
        random.NextBytes(entropy);
        var hi = ((ulong)timestampMs << 16) | BinaryPrimitives.ReadUInt16BigEndian(entropy);
        return new Ulid(hi, BinaryPrimitives.ReadUInt64BigEndian(entropy[2..]));
    }

    /// <summary>A new ULID for the current time of <paramref name="time"/>.</summary>
    public static Ulid New(TimeProvider time, Random random)
    {
        ArgumentNullException.ThrowIfNull(time);
        return New(time.GetUtcNow().ToUnixTimeMilliseconds(), random);
    }

    /// <summary>The ULID with the given 16 bytes (big-endian, as oklog/ulid stores it).</summary>
    public static Ulid FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 16)
        {
            throw new ArgumentException("a ULID is 16 bytes", nameof(bytes));
        }
        return new Ulid(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    /// <summary>Writes the 16 bytes, big-endian.</summary>
    public void WriteBytes(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _lo);
    }

    /// <summary>Parses the 26-character form; throws <see cref="FormatException"/> when it is not one.</summary>
    public static Ulid Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var ulid) ? ulid : throw new FormatException($"\"{text}\" is not a ULID (26 characters of Crockford base32, first one 0-7)");
    }

    /// <summary>
    /// Parses the 26-character form strictly, as oklog/ulid's <c>ParseStrict</c> (which Prometheus uses to
    /// recognise block directories): either letter case; I, L, O, U are invalid; the first character is at
    /// most 7 so the value fits 128 bits.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Ulid ulid) => TryParse(text.AsSpan(), out ulid);

    /// <inheritdoc cref="TryParse(string?, out Ulid)"/>
    public static bool TryParse(ReadOnlySpan<char> text, out Ulid ulid)
    {
        ulid = default;
        if (text.Length != Length)
        {
            return false;
        }
        ulong hi = 0, lo = 0;
        for (var i = 0; i < Length; i++)
        {
            var v = Decode(text[i]);
            if (v < 0 || (i == 0 && v > 7))
            {
                return false;
            }
            // Shift the 128-bit (hi, lo) left by 5 and add v.
            hi = (hi << 5) | (lo >> 59);
            lo = (lo << 5) | (uint)v;
        }
        ulid = new Ulid(hi, lo);
        return true;
    }

    /// <summary>The 26-character Crockford base32 form, upper case.</summary>
    public override string ToString()
        => string.Create(Length, this, static (chars, u) =>
        {
            ulong hi = u._hi, lo = u._lo;
            for (var i = Length - 1; i >= 0; i--)
            {
                chars[i] = Alphabet[(int)(lo & 31)];
                lo = (lo >> 5) | (hi << 59);
                hi >>= 5;
            }
        });

    private static int Decode(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => Decode((char)(c - 'a' + 'A')),
        'I' or 'L' or 'O' or 'U' => -1,
        >= 'A' and <= 'Z' => Alphabet.IndexOf(c, StringComparison.Ordinal),
        _ => -1,
    };

    /// <inheritdoc/>
    public bool Equals(Ulid other) => _hi == other._hi && _lo == other._lo;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Ulid other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_hi, _lo);

    /// <summary>Orders by time, then by the random bits (the text form sorts the same way).</summary>
    public int CompareTo(Ulid other) => _hi != other._hi ? _hi.CompareTo(other._hi) : _lo.CompareTo(other._lo);

    /// <summary>Equality.</summary>
    public static bool operator ==(Ulid left, Ulid right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Ulid left, Ulid right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(Ulid left, Ulid right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(Ulid left, Ulid right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(Ulid left, Ulid right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(Ulid left, Ulid right) => left.CompareTo(right) >= 0;
}

/// <summary>Writes a <see cref="Ulid"/> as its 26-character string, as Go's <c>ulid.ULID</c> marshals to JSON.</summary>
public sealed class UlidJsonConverter : JsonConverter<Ulid>
{
    /// <inheritdoc/>
    public override Ulid Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return Ulid.TryParse(text, out var ulid) ? ulid : throw new JsonException($"expected a ULID string, got {(text is null ? reader.TokenType.ToString() : "\"" + text + "\"")}");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, Ulid value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
