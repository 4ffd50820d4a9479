namespace Vigil.Model;

/// <summary>
/// A mutable scratch set for building <see cref="Labels"/>: set, remove, then <see cref="ToLabels"/>.
/// Setting an empty value removes the label. Reusable after <see cref="Reset(Labels)"/>.
/// </summary>
public sealed class LabelsBuilder
{
    private readonly List<Label> _labels = new(16);

    /// <summary>An empty builder.</summary>
    public LabelsBuilder()
    {
    }

    /// <summary>A builder starting from <paramref name="start"/>.</summary>
    public LabelsBuilder(Labels start) => Reset(start);

    /// <summary>Starts over from <paramref name="start"/>.</summary>
    public LabelsBuilder Reset(Labels start)
    {
        ArgumentNullException.ThrowIfNull(start);
        _labels.Clear();
        _labels.AddRange(start.UnsafeArray);
        return this;
    }

    /// <summary>Starts over from nothing.</summary>
    public LabelsBuilder Clear()
    {
        _labels.Clear();
        return this;
    }

    /// <summary>The number of labels set now.</summary>
    public int Count => _labels.Count;

    /// <summary>The value of a label set now, or "".</summary>
    public string Get(string name)
    {
        var i = Find(name);
        return i >= 0 ? _labels[i].Value : "";
    }

    /// <summary>Sets (or, with an empty value, removes) a label.</summary>
    public LabelsBuilder Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var i = Find(name);
        if (value.Length == 0)
        {
            if (i >= 0)
            {
                _labels.RemoveAt(i);
            }
            return this;
        }
        if (i >= 0)
        {
            _labels[i] = new Label(name, value);
        }
        else
        {
            _labels.Insert(~i, new Label(name, value));
        }
        return this;
    }

    /// <summary>Removes a label if present.</summary>
    public LabelsBuilder Remove(string name)
    {
        var i = Find(name);
        if (i >= 0)
        {
            _labels.RemoveAt(i);
        }
        return this;
    }

    /// <summary>Removes every label for which <paramref name="match"/> is true.</summary>
    public LabelsBuilder RemoveWhere(Predicate<Label> match)
    {
        _labels.RemoveAll(match);
        return this;
    }

    /// <summary>The labels set now, in name order.</summary>
    public ReadOnlySpan<Label> AsSpan() => Labels.SpanOf(_labels);

    /// <summary>An immutable snapshot of the labels set now.</summary>
    public Labels ToLabels() => Labels.FromSortedUnchecked([.. _labels]);

    // Binary search: index when found, else the bitwise complement of the insertion point.
    private int Find(string name)
    {
        int lo = 0, hi = _labels.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = string.CompareOrdinal(_labels[mid].Name, name);
            if (c == 0)
            {
                return mid;
            }
            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return ~lo;
    }
}
