namespace Vigil.Tsdb.Chunks;

/// <summary>
/// How a chunk's bytes are encoded. The numeric values are Prometheus's <c>chunkenc.Encoding</c>
/// and are written to chunk files as one byte, so they must never change.
/// </summary>
public enum ChunkEncoding : byte
{
    /// <summary>No encoding (<c>EncNone</c>); never a valid chunk on disk.</summary>
    None = 0,

    /// <summary>Gorilla-style delta-of-delta timestamps and XOR floats (<c>EncXOR</c>); see docs/format/chunks.md.</summary>
    Xor = 1,
}
