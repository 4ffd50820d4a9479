namespace Vigil.Instrumentation.Bridge;

/// <summary>
/// The number of the current collection, shared by an exporter and its instruments: observable instruments stamp
/// the series they report with it, so a scrape can tell which series the latest callbacks reported.
/// </summary>
internal sealed class CollectionEpoch
{
    private long _value;

    public long Value => Volatile.Read(ref _value);

    public long Advance() => Interlocked.Increment(ref _value);
}
