namespace Vigil.Tsdb;

/// <summary>A completed, immutable chunk of a head series: its time range, sample count and XOR bytes.</summary>
internal readonly record struct HeadChunk(long MinTime, long MaxTime, int NumSamples, byte[] Data);
