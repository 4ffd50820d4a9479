using System.Collections;
using System.Text;
using Vigil.Model;

namespace Vigil.Alerting.Matching;

/// <summary>
/// A conjunction of matchers, kept in Alertmanager's sorted order (name, value, operator) as routes and inhibition
/// rules hold them; <see cref="ToString"/> prints <c>{a="b",c=~"d"}</c> exactly as Alertmanager's
/// <c>Matchers.String()</c> does (route keys and <c>amtool config routes</c> use it).
/// </summary>
public sealed class Matchers : IReadOnlyList<Matcher>, IEquatable<Matchers>
{
    private readonly Matcher[] _matchers;

    /// <summary>No matchers: matches every label set.</summary>
    public static Matchers Empty { get; } = new([]);

    private Matchers(Matcher[] sorted) => _matchers = sorted;

    /// <summary>Sorts <paramref name="matchers"/> into Alertmanager's order.</summary>
    public static Matchers From(IEnumerable<Matcher> matchers)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        var array = matchers.ToArray();
        if (array.Length == 0)
        {
            return Empty;
        }
        Array.Sort(array);
        return new Matchers(array);
    }

    /// <summary>The number of matchers.</summary>
    public int Count => _matchers.Length;

    /// <summary>The matcher at <paramref name="index"/>, in sorted order.</summary>
    public Matcher this[int index] => _matchers[index];

    /// <summary>Whether every matcher is satisfied by <paramref name="labels"/>.</summary>
    public bool Matches(Labels labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var m in _matchers)
        {
            if (!m.Matches(labels.Get(m.Name)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary><c>{a="b",c=~"d"}</c>, no spaces, in sorted order.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append('{');
        for (var i = 0; i < _matchers.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            _matchers[i].AppendTo(sb);
        }
        return sb.Append('}').ToString();
    }

    /// <inheritdoc/>
    public IEnumerator<Matcher> GetEnumerator() => ((IEnumerable<Matcher>)_matchers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(Matchers? other) => other is not null && _matchers.AsSpan().SequenceEqual(other._matchers);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Matchers);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var m in _matchers)
        {
            hash.Add(m);
        }
        return hash.ToHashCode();
    }
}
