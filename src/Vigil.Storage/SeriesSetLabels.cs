namespace Vigil.Storage;

/// <summary>Label names and values of the series in a set: the generic path of <c>LabelNames</c>/<c>LabelValues</c> with matchers.</summary>
public static class SeriesSetLabels
{
    /// <summary>Every label name in <paramref name="set"/>, sorted.</summary>
    public static IReadOnlyList<string> Names(ISeriesSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        while (set.Next())
        {
            foreach (var l in set.At().Labels.AsSpan())
            {
                names.Add(l.Name);
            }
        }
        return [.. names];
    }

    /// <summary>Every non-empty value of <paramref name="name"/> in <paramref name="set"/>, sorted.</summary>
    public static IReadOnlyList<string> Values(ISeriesSet set, string name)
    {
        ArgumentNullException.ThrowIfNull(set);
        var values = new SortedSet<string>(StringComparer.Ordinal);
        while (set.Next())
        {
            var v = set.At().Labels.Get(name);
            if (v.Length > 0)
            {
                values.Add(v);
            }
        }
        return [.. values];
    }
}
