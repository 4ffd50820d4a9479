using Vigil.Model;

namespace Vigil.Instrumentation.Bridge;

/// <summary>
/// One exported series: its labels (built once, when the tag set is first seen) and its running state.
/// Updates are lock-free: sums use a compare-and-swap loop, histogram buckets <see cref="Interlocked.Increment(ref long)"/>.
/// </summary>
internal sealed class Series
{
    private readonly long[]? _bucketCounts;
    private double _value;
    private double _sum;
    private long _epoch;

    public Series(Label[] labels, int bucketCount)
    {
        Labels = labels;
        _bucketCounts = bucketCount > 0 ? new long[bucketCount] : null;
    }

    /// <summary>The labels, in the order the writer emits them.</summary>
    public Label[] Labels { get; }

    /// <summary>The collection in which an observable instrument last reported this series.</summary>
    public long Epoch => Volatile.Read(ref _epoch);

    /// <summary>The current value of a counter or gauge.</summary>
    public double Value => Volatile.Read(ref _value);

    /// <summary>The sum of a histogram's observations.</summary>
    public double Sum => Volatile.Read(ref _sum);

    public void Add(double value) => AtomicDouble.Add(ref _value, value);

    public void Set(double value, long epoch)
    {
        Volatile.Write(ref _value, value);
        Volatile.Write(ref _epoch, epoch);
    }

    public void Observe(double value, double[] bounds)
    {
        // A value equal to a bound belongs to that bucket: buckets are "less than or equal" (le).
        var index = BucketIndex(bounds, value);
        Interlocked.Increment(ref _bucketCounts![index]);
        AtomicDouble.Add(ref _sum, value);
    }

    /// <summary>
    /// Copies the per-bucket (not cumulative) counts into <paramref name="destination"/>. The count written
    /// as <c>_count</c> is derived from this copy, so it always equals the <c>+Inf</c> bucket even while
    /// observations race the scrape; <c>_sum</c> may include an observation the buckets do not yet.
    /// </summary>
    public void CopyBucketCounts(Span<long> destination)
    {
        for (var i = 0; i < _bucketCounts!.Length; i++)
        {
            destination[i] = Volatile.Read(ref _bucketCounts[i]);
        }
    }

    internal static int BucketIndex(double[] bounds, double value)
    {
        if (bounds.Length <= 16)
        {
            for (var i = 0; i < bounds.Length; i++)
            {
                if (value <= bounds[i])
                {
                    return i;
                }
            }
            return bounds.Length;
        }
        var found = Array.BinarySearch(bounds, value);
        return found >= 0 ? found : ~found;
    }
}
