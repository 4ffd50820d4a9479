using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vigil.Tsdb.Index;

namespace Vigil.Tsdb.Tests.Index;

public sealed class PostingsTests
{
    private static ulong[] Sorted(ulong[] xs) => xs.Distinct().Order().ToArray();

    [Property(MaxTest = 300)]
    public bool Intersect_equals_the_set_intersection(ulong[] a, ulong[] b, ulong[] c)
    {
        var (sa, sb, sc) = (Sorted(a), Sorted(b), Sorted(c));
        var expected = sa.Intersect(sb).Intersect(sc).Order().ToArray();
        return Postings.Intersect([sa, sb, sc]).SequenceEqual(expected);
    }

    [Property(MaxTest = 300)]
    public bool Union_equals_the_set_union(ulong[] a, ulong[] b, ulong[] c)
    {
        var expected = a.Union(b).Union(c).Order().ToArray();
        return Postings.Union([Sorted(a), Sorted(b), Sorted(c)]).SequenceEqual(expected);
    }

    [Property(MaxTest = 300)]
    public bool Without_equals_the_set_difference(ulong[] a, ulong[] b)
    {
        var (sa, sb) = (Sorted(a), Sorted(b));
        return Postings.Without(sa, sb).SequenceEqual(sa.Except(sb).Order().ToArray());
    }

    [Fact]
    public void Intersecting_a_rare_list_with_a_huge_one_gallops()
    {
        var huge = Enumerable.Range(0, 1_000_000).Select(i => (ulong)(i * 2)).ToArray();
        ulong[] rare = [1, 2, 999_998, 1_999_998, 3_000_000];
        Assert.Equal([2UL, 999_998UL, 1_999_998UL], Postings.Intersect(rare, huge));
        Assert.Equal([2UL, 999_998UL, 1_999_998UL], Postings.Intersect(huge, rare));
    }

    [Fact]
    public void Edge_cases()
    {
        Assert.Empty(Postings.Intersect([]));
        Assert.Empty(Postings.Union([]));
        ulong[] one = [1, 2];
        var copy = Postings.Intersect([one]);
        Assert.Equal(one, copy);
        Assert.NotSame(one, copy);
        Assert.Empty(Postings.Intersect([[1, 2], []]));
        Assert.Equal([1UL, 2UL], Postings.Without(one, []));
    }

    [Fact]
    public void Gallop_finds_the_first_not_smaller()
    {
        ulong[] list = [1, 3, 5, 7, 9, 11, 13];
        Assert.Equal(0, Postings.Gallop(list, 0, 0));
        Assert.Equal(0, Postings.Gallop(list, 0, 1));
        Assert.Equal(1, Postings.Gallop(list, 0, 2));
        Assert.Equal(6, Postings.Gallop(list, 0, 13));
        Assert.Equal(7, Postings.Gallop(list, 0, 14));
        Assert.Equal(4, Postings.Gallop(list, 4, 2)); // never moves backwards
    }
}
