namespace Vigil.Instrumentation.Bridge;

/// <summary>Lock-free updates of a <see cref="double"/> field (there is no <c>Interlocked.Add(ref double)</c>).</summary>
internal static class AtomicDouble
{
    /// <summary>Adds <paramref name="value"/> to <paramref name="location"/> with a compare-and-swap loop.</summary>
    public static void Add(ref double location, double value)
    {
        var current = Volatile.Read(ref location);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref location, current + value, current);
            // Compare bits, not values: NaN != NaN would spin forever.
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }
            current = seen;
        }
    }
}
