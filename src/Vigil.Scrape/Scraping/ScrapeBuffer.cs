using System.Buffers;

namespace Vigil.Scrape.Scraping;

/// <summary>
/// A growable body buffer over <see cref="ArrayPool{T}.Shared"/>: one owner, returned on dispose. Sized from
/// the target's last body so a steady target reads into one rented array without growing.
/// </summary>
internal sealed class ScrapeBuffer : IDisposable
{
    private const int MinimumSize = 16 * 1024;
    private byte[]? _array;
    private int _length;

    public ScrapeBuffer(int sizeHint) => _array = ArrayPool<byte>.Shared.Rent(Math.Max(MinimumSize, sizeHint + (sizeHint / 8)));

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _array.AsSpan(0, _length);

    /// <summary>The number of bytes written.</summary>
    public int Length => _length;

    /// <summary>Free space at the end, at least <paramref name="minimum"/> bytes (growing the array when needed).</summary>
    public Memory<byte> GetMemory(int minimum)
    {
        ObjectDisposedException.ThrowIf(_array is null, this);
        if (_array.Length - _length < minimum)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _length + minimum));
            _array.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = bigger;
        }
        return _array.AsMemory(_length);
    }

    /// <summary>Records <paramref name="count"/> bytes written into the last <see cref="GetMemory"/>.</summary>
    public void Advance(int count) => _length += count;

    /// <summary>Forgets what was written (the array stays).</summary>
    public void Clear() => _length = 0;

    public void Dispose()
    {
        if (_array is { } array)
        {
            _array = null;
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
