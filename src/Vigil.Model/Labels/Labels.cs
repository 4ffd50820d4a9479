using System.Collections;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Model;

/// <summary>
/// An immutable label set, sorted by name with unique names, with cheap equality and a stable
/// 64-bit hash (xxHash64 over <c>name 0xff value 0xff ...</c>, the same input Prometheus hashes).
/// Empty values are dropped on construction: in Prometheus an empty value means "no such label".
/// </summary>
public sealed class Labels : IEquatable<Labels>, IComparable<Labels>, IReadOnlyList<Label>
{
    private const byte Separator = 0xff;
    private readonly Label[] _labels;
    private readonly ulong _hash;

    /// <summary>The empty label set.</summary>
    public static Labels Empty { get; } = new([], trusted: true);

    private Labels(Label[] sorted, bool trusted)
    {
        _ = trusted;
        _labels = sorted;
        _hash = ComputeHash(sorted);
    }

    /// <summary>Builds a set from labels in any order. Throws on a duplicate name; drops empty values.</summary>
    public static Labels From(IEnumerable<Label> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var list = new List<Label>(labels);
        list.RemoveAll(static l => l.Value.Length == 0);
        list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].Name == list[i - 1].Name)
            {
                throw new ArgumentException($"duplicate label name \"{list[i].Name}\"", nameof(labels));
            }
        }
        return list.Count == 0 ? Empty : new Labels([.. list], trusted: true);
    }

    /// <summary>Builds a set from alternating names and values: <c>Labels.Of("__name__", "up", "job", "node")</c>.</summary>
    public static Labels Of(params string[] namesAndValues)
    {
        ArgumentNullException.ThrowIfNull(namesAndValues);
        if (namesAndValues.Length % 2 != 0)
        {
            throw new ArgumentException("expected name/value pairs", nameof(namesAndValues));
        }
        var labels = new Label[namesAndValues.Length / 2];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = new Label(namesAndValues[2 * i], namesAndValues[(2 * i) + 1]);
        }
        return From(labels);
    }

    /// <summary>Wraps an array the caller guarantees is sorted by name, unique, without empty values. Takes ownership.</summary>
    internal static Labels FromSortedUnchecked(Label[] sorted) => sorted.Length == 0 ? Empty : new Labels(sorted, trusted: true);

    /// <summary>The number of labels.</summary>
    public int Count => _labels.Length;

    /// <summary>The label at <paramref name="index"/> in name order.</summary>
    public Label this[int index] => _labels[index];

    /// <summary>The labels in name order, without copying.</summary>
    public ReadOnlySpan<Label> AsSpan() => _labels;

    /// <summary>The stable 64-bit hash of the whole set.</summary>
    public ulong Hash => _hash;

    /// <summary>The value of <c>__name__</c>, or "".</summary>
    public string MetricName => Get(Label.MetricName);

    /// <summary>The value of the named label, or "" when absent (Prometheus's convention).</summary>
    public string Get(string name)
    {
        var i = IndexOf(name);
        return i >= 0 ? _labels[i].Value : "";
    }

    /// <summary>Whether the set has a label of that name.</summary>
    public bool Has(string name) => IndexOf(name) >= 0;

    private int IndexOf(string name)
    {
        // Sets are small: a linear scan beats binary search below ~16 labels.
        var labels = _labels;
        for (var i = 0; i < labels.Length; i++)
        {
            var c = string.CompareOrdinal(labels[i].Name, name);
            if (c == 0)
            {
                return i;
            }
            if (c > 0)
            {
                break;
            }
        }
        return -1;
    }

    /// <summary>A copy without <c>__name__</c>.</summary>
    public Labels WithoutMetricName() => Has(Label.MetricName) ? new LabelsBuilder(this).Remove(Label.MetricName).ToLabels() : this;

    /// <summary>Hash of only the named labels (for <c>by</c>/<c>on</c> grouping). <paramref name="names"/> must be sorted.</summary>
    public ulong HashForLabels(ReadOnlySpan<string> names)
    {
        var hasher = new XxHash64();
        Span<byte> sep = [Separator];
        int i = 0, j = 0;
        while (i < _labels.Length && j < names.Length)
        {
            var c = string.CompareOrdinal(_labels[i].Name, names[j]);
            if (c < 0)
            {
                i++;
            }
            else if (c > 0)
            {
                j++;
            }
            else
            {
                Append(ref hasher, _labels[i].Name, sep);
                Append(ref hasher, _labels[i].Value, sep);
                i++;
                j++;
            }
        }
        return hasher.GetCurrentHashAsUInt64();
    }

    private static void Append(ref XxHash64 hasher, string s, ReadOnlySpan<byte> sep)
    {
        Span<byte> buffer = stackalloc byte[256];
        var max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (max <= buffer.Length)
        {
            var n = Encoding.UTF8.GetBytes(s, buffer);
            hasher.Append(buffer[..n]);
        }
        else
        {
            hasher.Append(Encoding.UTF8.GetBytes(s));
        }
        hasher.Append(sep);
    }

    private static ulong ComputeHash(Label[] labels)
    {
        var hasher = new XxHash64();
        Span<byte> sep = [Separator];
        foreach (var l in labels)
        {
            Append(ref hasher, l.Name, sep);
            Append(ref hasher, l.Value, sep);
        }
        return hasher.GetCurrentHashAsUInt64();
    }

    /// <inheritdoc/>
    public bool Equals(Labels? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other._hash != _hash || other._labels.Length != _labels.Length)
        {
            return false;
        }
        for (var i = 0; i < _labels.Length; i++)
        {
            if (!string.Equals(_labels[i].Name, other._labels[i].Name, StringComparison.Ordinal)
                || !string.Equals(_labels[i].Value, other._labels[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Labels);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)(_hash ^ (_hash >> 32));

    /// <summary>Prometheus's order (<c>labels.Compare</c>): label by label, name then value, by UTF-8 bytes; a prefix sorts first.</summary>
    public int CompareTo(Labels? other)
    {
        if (other is null)
        {
            return 1;
        }
        var n = Math.Min(_labels.Length, other._labels.Length);
        for (var i = 0; i < n; i++)
        {
            var c = string.CompareOrdinal(_labels[i].Name, other._labels[i].Name); // names are ASCII
            if (c != 0)
            {
                return c;
            }
            c = LabelText.CompareUtf8(_labels[i].Value, other._labels[i].Value);
            if (c != 0)
            {
                return c;
            }
        }
        return _labels.Length.CompareTo(other._labels.Length);
    }

    /// <summary>Prometheus's notation: <c>{__name__="up", job="node"}</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append('{');
        for (var i = 0; i < _labels.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }
            sb.Append(_labels[i].Name).Append('=').Append(LabelText.Quote(_labels[i].Value));
        }
        return sb.Append('}').ToString();
    }

    /// <inheritdoc/>
    public IEnumerator<Label> GetEnumerator() => ((IEnumerable<Label>)_labels).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Value equality.</summary>
    public static bool operator ==(Labels? left, Labels? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Labels? left, Labels? right) => !(left == right);

    /// <summary>Ordering.</summary>
    public static bool operator <(Labels left, Labels right) => left is null ? right is not null : left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(Labels left, Labels right) => left is not null && left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(Labels left, Labels right) => !(left > right);

    /// <summary>Ordering.</summary>
    public static bool operator >=(Labels left, Labels right) => !(left < right);

    internal Label[] UnsafeArray => _labels;

    internal static ReadOnlySpan<Label> SpanOf(List<Label> list) => CollectionsMarshal.AsSpan(list);
}
