namespace Vigil.Tsdb.Index;

/// <summary>
/// Set operations over postings lists: sorted, duplicate-free arrays of series refs. Intersection
/// gallops through the longer list (exponential then binary search), so selecting a rare label
/// value against a huge one costs O(small · log(large)), not O(large).
/// </summary>
public static class Postings
{
    /// <summary>The refs present in every list. An empty input list yields an empty result.</summary>
    public static ulong[] Intersect(IReadOnlyList<ulong[]> lists)
    {
        ArgumentNullException.ThrowIfNull(lists);
        if (lists.Count == 0)
        {
            return [];
        }
        if (lists.Count == 1)
        {
            return (ulong[])lists[0].Clone();
        }
        // Smallest first: the result can only shrink.
        var ordered = new ulong[lists.Count][];
        for (var i = 0; i < lists.Count; i++)
        {
            ordered[i] = lists[i];
        }
        Array.Sort(ordered, static (a, b) => a.Length.CompareTo(b.Length));
        var result = ordered[0];
        for (var i = 1; i < ordered.Length && result.Length > 0; i++)
        {
            result = Intersect(result, ordered[i]);
        }
        return result;
    }

    /// <summary>The refs in both <paramref name="small"/> and <paramref name="large"/>.</summary>
    public static ulong[] Intersect(ReadOnlySpan<ulong> small, ReadOnlySpan<ulong> large)
    {
        if (small.Length > large.Length)
        {
            var t = small;
            small = large;
            large = t;
        }
        var result = new ulong[small.Length];
        var n = 0;
        var lo = 0;
        foreach (var v in small)
        {
            lo = Gallop(large, lo, v);
            if (lo >= large.Length)
            {
                break;
            }
            if (large[lo] == v)
            {
                result[n++] = v;
                lo++;
            }
        }
        return n == result.Length ? result : result[..n];
    }

    /// <summary>The refs in any list.</summary>
    public static ulong[] Union(IReadOnlyList<ulong[]> lists)
    {
        ArgumentNullException.ThrowIfNull(lists);
        switch (lists.Count)
        {
            case 0:
                return [];
            case 1:
                return (ulong[])lists[0].Clone();
        }
        var total = 0;
        foreach (var l in lists)
        {
            total += l.Length;
        }
        var all = new ulong[total];
        var pos = 0;
        foreach (var l in lists)
        {
            l.CopyTo(all, pos);
            pos += l.Length;
        }
        Array.Sort(all);
        var n = 0;
        for (var i = 0; i < all.Length; i++)
        {
            if (n == 0 || all[n - 1] != all[i])
            {
                all[n++] = all[i];
            }
        }
        return n == all.Length ? all : all[..n];
    }

    /// <summary>The refs of <paramref name="list"/> that are not in <paramref name="remove"/>.</summary>
    public static ulong[] Without(ReadOnlySpan<ulong> list, ReadOnlySpan<ulong> remove)
    {
        if (remove.IsEmpty)
        {
            return list.ToArray();
        }
        var result = new ulong[list.Length];
        var n = 0;
        var lo = 0;
        foreach (var v in list)
        {
            lo = Gallop(remove, lo, v);
            if (lo < remove.Length && remove[lo] == v)
            {
                continue;
            }
            result[n++] = v;
        }
        return n == result.Length ? result : result[..n];
    }

    /// <summary>The first index ≥ <paramref name="from"/> whose value is ≥ <paramref name="target"/>.</summary>
    internal static int Gallop(ReadOnlySpan<ulong> list, int from, ulong target)
    {
        if (from >= list.Length || list[from] >= target)
        {
            return from;
        }
        var step = 1;
        var hi = from + 1;
        while (hi < list.Length && list[hi] < target)
        {
            from = hi;
            step <<= 1;
            hi = from + step;
        }
        if (hi > list.Length)
        {
            hi = list.Length;
        }
        // list[from] < target ≤ list[hi] (or hi == Length): binary search in (from, hi].
        var lo = from + 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (list[mid] < target)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
