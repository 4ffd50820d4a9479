namespace Vigil.Instrumentation.Bridge;

/// <summary>
/// The tags of one measurement, as a dictionary key. The hot path never builds one: it looks series up by the
/// measurement's own <see cref="ReadOnlySpan{T}"/> through <see cref="TagSetComparer"/>'s alternate lookup, and a
/// <see cref="TagSet"/> is allocated only when a tag combination is seen for the first time.
/// </summary>
internal sealed class TagSet
{
    public TagSet(KeyValuePair<string, object?>[] tags, int hash)
    {
        Tags = tags;
        Hash = hash;
    }

    public KeyValuePair<string, object?>[] Tags { get; }

    public int Hash { get; }
}

/// <summary>
/// Equality of tag sets regardless of tag order (callers pass tags in whatever order they like), comparing
/// keys ordinally and values with <see cref="object.Equals(object?, object?)"/>. Implements the alternate
/// comparer so a <c>ConcurrentDictionary&lt;TagSet, Series&gt;</c> can be probed with the span the
/// <c>MeterListener</c> hands over, without allocating.
/// </summary>
internal sealed class TagSetComparer : IEqualityComparer<TagSet>, IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, TagSet>
{
    public static TagSetComparer Instance { get; } = new();

    public bool Equals(TagSet? x, TagSet? y)
        => ReferenceEquals(x, y) || (x is not null && y is not null && x.Hash == y.Hash && Matches(x.Tags, y.Tags));

    public int GetHashCode(TagSet obj) => obj.Hash;

    public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, TagSet other) => Matches(alternate, other.Tags);

    public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => Hash(alternate);

    public TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => new(alternate.ToArray(), Hash(alternate));

    /// <summary>An order-independent hash: the sum of each tag's hash.</summary>
    public static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = 0;
        foreach (var tag in tags)
        {
            hash += HashCode.Combine(tag.Key, tag.Value);
        }
        return hash;
    }

    private static bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags, ReadOnlySpan<KeyValuePair<string, object?>> other)
    {
        if (tags.Length != other.Length)
        {
            return false;
        }
        for (var i = 0; i < tags.Length; i++)
        {
            // Same position first: most call sites pass tags in a fixed order.
            if (SameTag(tags[i], other[i]))
            {
                continue;
            }
            var found = false;
            for (var j = 0; j < other.Length && !found; j++)
            {
                found = SameTag(tags[i], other[j]);
            }
            if (!found)
            {
                return false;
            }
        }
        return true;
    }

    private static bool SameTag(KeyValuePair<string, object?> a, KeyValuePair<string, object?> b)
        => string.Equals(a.Key, b.Key, StringComparison.Ordinal) && Equals(a.Value, b.Value);
}
