using System.Globalization;

namespace Vigil.ScrapeCompare.Load;

/// <summary>A growable byte buffer that exposition bodies are rendered into; reused from scrape to scrape.</summary>
public sealed class BodyBuffer(int initialCapacity = 1 << 16)
{
    private byte[] _buffer = new byte[initialCapacity];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    public void Append(byte b)
    {
        Reserve(1);
        _buffer[Length++] = b;
    }

    public void Append(long value)
    {
        Reserve(24);
        value.TryFormat(_buffer.AsSpan(Length), out var n, default, CultureInfo.InvariantCulture);
        Length += n;
    }

    /// <summary>The shortest round-trip form, which Go's <c>strconv.ParseFloat</c> reads back to the same double.</summary>
    public void Append(double value)
    {
        if (double.IsNaN(value))
        {
            Append("NaN"u8);
            return;
        }
        if (double.IsInfinity(value))
        {
            Append(value > 0 ? "+Inf"u8 : "-Inf"u8);
            return;
        }
        Reserve(32);
        value.TryFormat(_buffer.AsSpan(Length), out var n, "R", CultureInfo.InvariantCulture);
        Length += n;
    }

    private void Reserve(int bytes)
    {
        if (_buffer.Length - Length < bytes)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + bytes));
        }
    }
}
