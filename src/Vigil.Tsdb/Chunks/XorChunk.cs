using System.Buffers.Binary;
using Vigil.Storage;

namespace Vigil.Tsdb.Chunks;

/// <summary>
/// An XOR-encoded chunk (<see cref="ChunkEncoding.Xor"/>) that owns its growable buffer; bytes are identical
/// to Prometheus 2.42's <c>XORChunk</c>. Append through <see cref="Appender"/>, read through
/// <see cref="Iterator(XorIterator?)"/>. Format: docs/format/chunks.md.
/// </summary>
/// <remarks>
/// One appender at a time. An iterator may be created (its <see cref="XorIterator.Reset"/>) only under
/// the same lock as appends, since it reads the sample-count header; once created it may run concurrently
/// with further appends.
/// </remarks>
public sealed class XorChunk : IChunk
{
    /// <summary>Samples after which the head cuts a new chunk (Prometheus's <c>samplesPerChunk</c>).</summary>
    public const int TargetSamplesPerChunk = 120;

    /// <summary>The most samples the 16-bit header can count.</summary>
    public const int MaxSamples = ushort.MaxValue;

    /// <summary>Bytes of the header: the sample count, big-endian.</summary>
    public const int HeaderSize = 2;

    /// <summary>Capacity a new chunk starts with unless told otherwise (as Prometheus's <c>NewXORChunk</c>).</summary>
    public const int DefaultCapacity = 128;

    private BitWriter _writer;

    /// <summary>An empty chunk whose buffer starts at <paramref name="initialCapacity"/> bytes.</summary>
    public XorChunk(int initialCapacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _writer = new BitWriter(HeaderSize, initialCapacity);
    }

    /// <inheritdoc/>
    public ChunkEncoding Encoding => ChunkEncoding.Xor;

    /// <inheritdoc/>
    public ReadOnlySpan<byte> Bytes => _writer.WrittenSpan;

    /// <summary>The bytes as memory over the current buffer, for <see cref="XorIterator.Reset"/>; a later append may move to a new buffer.</summary>
    public ReadOnlyMemory<byte> Memory => _writer.WrittenMemory;

    /// <inheritdoc/>
    public int NumSamples => BinaryPrimitives.ReadUInt16BigEndian(_writer.Buffer);

    /// <summary>The buffer's capacity in bytes (for sizing and memory accounting).</summary>
    public int Capacity => _writer.Capacity;

    internal ref BitWriter Writer => ref _writer;

    /// <summary>
    /// An appender that continues this chunk. On a non-empty chunk its state is rebuilt by decoding the
    /// chunk, exactly as Prometheus does (including its window state: see docs/format/chunks.md).
    /// </summary>
    public XorAppender Appender()
    {
        if (NumSamples == 0)
        {
            return new XorAppender(this);
        }

        var it = Iterator();
        while (it.Next())
        {
        }

        return new XorAppender(this, it.LastTimestamp, it.LastValueBits, it.LastTimestampDelta, it.Leading, it.Trailing);
    }

    /// <summary>An iterator over the samples appended so far, reusing <paramref name="reuse"/> when given.</summary>
    public XorIterator Iterator(XorIterator? reuse = null)
    {
        var it = reuse ?? new XorIterator();
        it.Reset(Memory);
        return it;
    }

    /// <inheritdoc/>
    ISampleIterator IChunk.Iterator(ISampleIterator? reuse) => Iterator(reuse as XorIterator);

    /// <summary>Empties the chunk for reuse, keeping its buffer; appenders and iterators over it are invalidated.</summary>
    public void Reset() => _writer.Reset(HeaderSize);

    /// <summary>Drops spare capacity once the chunk is complete; appending afterwards still works (it regrows).</summary>
    public void Compact() => _writer.Compact();
}
