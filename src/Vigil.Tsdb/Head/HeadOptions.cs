namespace Vigil.Tsdb;

/// <summary>Tuning of the in-memory head.</summary>
public sealed record HeadOptions
{
    /// <summary>The block range the head's chunks are aligned to: a chunk never spans a multiple of it (2h, as Prometheus).</summary>
    public long ChunkRangeMs { get; init; } = 2 * 60 * 60 * 1000;

    /// <summary>Samples after which a chunk is cut (Prometheus's 120).</summary>
    public int SamplesPerChunk { get; init; } = Chunks.XorChunk.TargetSamplesPerChunk;
}
