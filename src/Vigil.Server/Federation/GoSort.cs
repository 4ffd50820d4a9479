using System.Numerics;

namespace Vigil.Server.Federation;

/// <summary>
/// Go 1.19's <c>sort.Sort</c> (pattern-defeating quicksort, <c>sort/zsortinterface.go</c>), which Debian's
/// Prometheus 2.42 is built with. It is not stable, so where <c>/federate</c> sorts by metric name alone, equal
/// names keep whatever order this algorithm leaves them in; porting it makes that order Prometheus's too.
/// </summary>
internal static class GoSort
{
    private enum Hint
    {
        Unknown,
        Increasing,
        Decreasing,
    }

    /// <summary>Sorts <paramref name="items"/> by <paramref name="keys"/> (ordinal), moving both together, as Go's sort.Sort would.</summary>
    public static void Sort<T>(string[] keys, T[] items)
    {
        var n = keys.Length;
        if (n <= 1)
        {
            return;
        }
        var data = new Data<T>(keys, items);
        PdqSort(ref data, 0, n, BitOperations.Log2((uint)n) + 1);
    }

    private struct Data<T>(string[] keys, T[] items)
    {
        public readonly bool Less(int i, int j) => string.CompareOrdinal(keys[i], keys[j]) < 0;

        public readonly void Swap(int i, int j)
        {
            (keys[i], keys[j]) = (keys[j], keys[i]);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static void InsertionSort<T>(ref Data<T> data, int a, int b)
    {
        for (var i = a + 1; i < b; i++)
        {
            for (var j = i; j > a && data.Less(j, j - 1); j--)
            {
                data.Swap(j, j - 1);
            }
        }
    }

    private static void SiftDown<T>(ref Data<T> data, int lo, int hi, int first)
    {
        var root = lo;
        while (true)
        {
            var child = 2 * root + 1;
            if (child >= hi)
            {
                return;
            }
            if (child + 1 < hi && data.Less(first + child, first + child + 1))
            {
                child++;
            }
            if (!data.Less(first + root, first + child))
            {
                return;
            }
            data.Swap(first + root, first + child);
            root = child;
        }
    }

    private static void HeapSort<T>(ref Data<T> data, int a, int b)
    {
        var first = a;
        var lo = 0;
        var hi = b - a;
        for (var i = (hi - 1) / 2; i >= 0; i--)
        {
            SiftDown(ref data, i, hi, first);
        }
        for (var i = hi - 1; i >= 0; i--)
        {
            data.Swap(first, first + i);
            SiftDown(ref data, lo, i, first);
        }
    }

    private static void PdqSort<T>(ref Data<T> data, int a, int b, int limit)
    {
        const int maxInsertion = 12;
        var wasBalanced = true;
        var wasPartitioned = true;
        while (true)
        {
            var length = b - a;
            if (length <= maxInsertion)
            {
                InsertionSort(ref data, a, b);
                return;
            }
            if (limit == 0)
            {
                HeapSort(ref data, a, b);
                return;
            }
            if (!wasBalanced)
            {
                BreakPatterns(ref data, a, b);
                limit--;
            }
            var (pivot, hint) = ChoosePivot(ref data, a, b);
            if (hint == Hint.Decreasing)
            {
                ReverseRange(ref data, a, b);
                pivot = (b - 1) - (pivot - a);
                hint = Hint.Increasing;
            }
            if (wasBalanced && wasPartitioned && hint == Hint.Increasing && PartialInsertionSort(ref data, a, b))
            {
                return;
            }
            if (a > 0 && !data.Less(a - 1, pivot))
            {
                a = PartitionEqual(ref data, a, b, pivot);
                continue;
            }
            var (mid, alreadyPartitioned) = Partition(ref data, a, b, pivot);
            wasPartitioned = alreadyPartitioned;
            int leftLen = mid - a, rightLen = b - mid;
            var balanceThreshold = length / 8;
            if (leftLen < rightLen)
            {
                wasBalanced = leftLen >= balanceThreshold;
                PdqSort(ref data, a, mid, limit);
                a = mid + 1;
            }
            else
            {
                wasBalanced = rightLen >= balanceThreshold;
                PdqSort(ref data, mid + 1, b, limit);
                b = mid;
            }
        }
    }

    private static (int Pivot, bool AlreadyPartitioned) Partition<T>(ref Data<T> data, int a, int b, int pivot)
    {
        data.Swap(a, pivot);
        int i = a + 1, j = b - 1;
        while (i <= j && data.Less(i, a))
        {
            i++;
        }
        while (i <= j && !data.Less(j, a))
        {
            j--;
        }
        if (i > j)
        {
            data.Swap(j, a);
            return (j, true);
        }
        data.Swap(i, j);
        i++;
        j--;
        while (true)
        {
            while (i <= j && data.Less(i, a))
            {
                i++;
            }
            while (i <= j && !data.Less(j, a))
            {
                j--;
            }
            if (i > j)
            {
                break;
            }
            data.Swap(i, j);
            i++;
            j--;
        }
        data.Swap(j, a);
        return (j, false);
    }

    private static int PartitionEqual<T>(ref Data<T> data, int a, int b, int pivot)
    {
        data.Swap(a, pivot);
        int i = a + 1, j = b - 1;
        while (true)
        {
            while (i <= j && !data.Less(a, i))
            {
                i++;
            }
            while (i <= j && data.Less(a, j))
            {
                j--;
            }
            if (i > j)
            {
                break;
            }
            data.Swap(i, j);
            i++;
            j--;
        }
        return i;
    }

    private static bool PartialInsertionSort<T>(ref Data<T> data, int a, int b)
    {
        const int maxSteps = 5, shortestShifting = 50;
        var i = a + 1;
        for (var step = 0; step < maxSteps; step++)
        {
            while (i < b && !data.Less(i, i - 1))
            {
                i++;
            }
            if (i == b)
            {
                return true;
            }
            if (b - a < shortestShifting)
            {
                return false;
            }
            data.Swap(i, i - 1);
            if (i - a >= 2)
            {
                for (var j = i - 1; j >= 1; j--)
                {
                    if (!data.Less(j, j - 1))
                    {
                        break;
                    }
                    data.Swap(j, j - 1);
                }
            }
            if (b - i >= 2)
            {
                for (var j = i + 1; j < b; j++)
                {
                    if (!data.Less(j, j - 1))
                    {
                        break;
                    }
                    data.Swap(j, j - 1);
                }
            }
        }
        return false;
    }

    private static void BreakPatterns<T>(ref Data<T> data, int a, int b)
    {
        var length = b - a;
        if (length < 8)
        {
            return;
        }
        var random = (ulong)length;
        var modulus = 1u << (32 - BitOperations.LeadingZeroCount((uint)length));
        var idx = a + (length / 4 * 2) - 1;
        for (var i = 0; i < 3; i++)
        {
            // xorshift with Go 1.19's shifts (13, 17, 5; later Go versions use 13, 7, 17), seeded with the length.
            random ^= random << 13;
            random ^= random >> 17;
            random ^= random << 5;
            var other = (int)((uint)random & (modulus - 1));
            if (other >= length)
            {
                other -= length;
            }
            data.Swap(idx + i, a + other);
        }
    }

    private static (int Pivot, Hint Hint) ChoosePivot<T>(ref Data<T> data, int a, int b)
    {
        const int shortestNinther = 50, maxSwaps = 4 * 3;
        var l = b - a;
        var swaps = 0;
        var i = a + (l / 4 * 1);
        var j = a + (l / 4 * 2);
        var k = a + (l / 4 * 3);
        if (l >= 8)
        {
            if (l >= shortestNinther)
            {
                i = MedianAdjacent(ref data, i, ref swaps);
                j = MedianAdjacent(ref data, j, ref swaps);
                k = MedianAdjacent(ref data, k, ref swaps);
            }
            j = Median(ref data, i, j, k, ref swaps);
        }
        return swaps switch
        {
            0 => (j, Hint.Increasing),
            maxSwaps => (j, Hint.Decreasing),
            _ => (j, Hint.Unknown),
        };
    }

    private static (int, int) Order2<T>(ref Data<T> data, int a, int b, ref int swaps)
    {
        if (data.Less(b, a))
        {
            swaps++;
            return (b, a);
        }
        return (a, b);
    }

    private static int Median<T>(ref Data<T> data, int a, int b, int c, ref int swaps)
    {
        (a, b) = Order2(ref data, a, b, ref swaps);
        (b, c) = Order2(ref data, b, c, ref swaps);
        (_, b) = Order2(ref data, a, b, ref swaps);
        _ = c;
        return b;
    }

    private static int MedianAdjacent<T>(ref Data<T> data, int a, ref int swaps) => Median(ref data, a - 1, a, a + 1, ref swaps);

    private static void ReverseRange<T>(ref Data<T> data, int a, int b)
    {
        int i = a, j = b - 1;
        while (i < j)
        {
            data.Swap(i, j);
            i++;
            j--;
        }
    }
}
