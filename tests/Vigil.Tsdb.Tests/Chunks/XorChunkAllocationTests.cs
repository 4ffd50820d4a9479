using Vigil.Tsdb.Chunks;

namespace Vigil.Tsdb.Tests.Chunks;

public sealed class XorChunkAllocationTests
{
    [Fact]
    public void Iterating_a_full_chunk_with_a_reused_iterator_allocates_nothing()
    {
        var chunk = Build(new XorChunk(), XorChunk.TargetSamplesPerChunk);
        var it = new XorIterator();
        double sum = Drain(chunk, it); // warm up: JIT, tiering

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            sum += Drain(chunk, it);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    [Fact]
    public void Appending_to_a_pre_sized_chunk_allocates_nothing_per_sample()
    {
        Build(new XorChunk(4096), XorChunk.TargetSamplesPerChunk); // warm up
        var chunk = new XorChunk(4096);
        var app = chunk.Appender();

        long before = GC.GetAllocatedBytesForCurrentThread();
        Append(app, XorChunk.TargetSamplesPerChunk);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(XorChunk.TargetSamplesPerChunk, chunk.NumSamples);
    }

    private static XorChunk Build(XorChunk chunk, int n)
    {
        Append(chunk.Appender(), n);
        return chunk;
    }

    private static void Append(XorAppender app, int n)
    {
        long t = 1_700_000_000_000;
        double v = 1000;
        for (int i = 0; i < n; i++)
        {
            app.Append(t, v);
            t += 15000 + (i % 7) - 3;
            v += (i * 37 % 11) - 5 + 0.25;
        }
    }

    private static double Drain(XorChunk chunk, XorIterator it)
    {
        chunk.Iterator(it);
        double sum = 0;
        while (it.Next())
        {
            sum += it.At().Value;
        }
        return sum;
    }
}
