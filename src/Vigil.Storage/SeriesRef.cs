namespace Vigil.Storage;

/// <summary>
/// An opaque handle to a series inside one storage, returned by <see cref="IAppender.Append"/> so the
/// next append of the same series (a re-scrape) skips label hashing and lookup. 0 means "unknown".
/// </summary>
/// <param name="Value">The storage-specific id.</param>
public readonly record struct SeriesRef(ulong Value)
{
    /// <summary>No series yet: the appender must look the labels up.</summary>
    public static SeriesRef None => default;

    /// <summary>Whether this ref points at a series.</summary>
    public bool IsSet => Value != 0;
}
