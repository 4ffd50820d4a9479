namespace Vigil.Storage;

/// <summary>A series set over a list built in memory.</summary>
public sealed class ListSeriesSet : ISeriesSet
{
    private readonly IReadOnlyList<ISeries> _series;
    private int _index = -1;

    /// <summary>A set over <paramref name="series"/>, in the given order.</summary>
    public ListSeriesSet(IReadOnlyList<ISeries> series) => _series = series;

    /// <summary>The empty set.</summary>
    public static ListSeriesSet Empty { get; } = new([]);

    /// <inheritdoc/>
    public bool Next() => ++_index < _series.Count;

    /// <inheritdoc/>
    public ISeries At() => _series[_index];

    /// <inheritdoc/>
    public Exception? Error => null;
}
