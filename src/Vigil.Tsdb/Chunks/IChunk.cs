using Vigil.Storage;

namespace Vigil.Tsdb.Chunks;

/// <summary>
/// A chunk of one series' samples: its encoding, its bytes as they go to disk, and a way to iterate them.
/// The head's open chunks and chunks read from block files both present this.
/// </summary>
public interface IChunk
{
    /// <summary>How <see cref="Bytes"/> are encoded.</summary>
    ChunkEncoding Encoding { get; }

    /// <summary>The encoded bytes, header included, exactly as Prometheus writes them to chunk files.</summary>
    ReadOnlySpan<byte> Bytes { get; }

    /// <summary>The number of samples in the chunk.</summary>
    int NumSamples { get; }

    /// <summary>An iterator over the samples, reusing <paramref name="reuse"/> when it is of the right kind.</summary>
    ISampleIterator Iterator(ISampleIterator? reuse = null);
}
