using Vigil.Model;
using Vigil.Storage;

namespace Vigil.Scrape.Scraping;

/// <summary>
/// Per-target memory between scrapes, after Prometheus's <c>scrapeCache</c>: raw series bytes → series ref
/// and final labels (or "dropped by relabeling"), so an unchanged series on a re-scrape costs one hash and
/// one compare; which series the last good scrape had, for stale markers; and the TYPE/HELP/UNIT of each
/// metric family for the metadata API.
/// </summary>
/// <remarks>
/// Used by one scrape at a time (the loop's thread); only the metadata is read by other threads, under
/// <see cref="_metaLock"/>. Staleness is tracked in the entries themselves rather than in two swapped maps:
/// an entry is "in the previous scrape" when its <see cref="CacheEntry.SeenCompleted"/> is the last completed
/// attempt. Unlike Prometheus, marks made by an attempt that failed half-way are forgotten, so the empty
/// append that follows a failure writes stale markers for everything the last good scrape had.
/// </remarks>
internal sealed class ScrapeCache
{
    // Metadata lives on for this many attempts after its family disappeared (Prometheus: 10 iterations).
    private const int MetadataGrace = 10;

    private readonly Dictionary<byte[], CacheEntry> _series = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], CacheEntry>.AlternateLookup<ReadOnlySpan<byte>> _seriesLookup;
    private readonly Dictionary<byte[], MetaEntry> _metadata = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], MetaEntry>.AlternateLookup<ReadOnlySpan<byte>> _metadataLookup;
    private readonly Lock _metaLock = new();
    private long _attempt;
    private long _lastCompleted;
    private int _successfulCount;

    public ScrapeCache()
    {
        _seriesLookup = _series.GetAlternateLookup<ReadOnlySpan<byte>>();
        _metadataLookup = _metadata.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>The number of cached series strings, dropped ones included.</summary>
    public int Count => _series.Count;

    /// <summary>Starts an append attempt: marks made from now on belong to it.</summary>
    public void BeginAttempt() => _attempt++;

    /// <summary>The entry for raw series bytes, or <see langword="null"/>; a hit keeps the entry past the next flush.</summary>
    public CacheEntry? Get(ReadOnlySpan<byte> series)
    {
        if (_seriesLookup.TryGetValue(series, out var entry))
        {
            entry.LastLookup = _attempt;
            return entry;
        }
        return null;
    }

    /// <summary>Remembers a new series (or, with <see langword="null"/> labels, that relabeling drops it).</summary>
    public CacheEntry Add(ReadOnlySpan<byte> series, SeriesRef seriesRef, Labels? labels)
    {
        var entry = new CacheEntry(labels) { Ref = seriesRef, LastLookup = _attempt };
        _seriesLookup[series] = entry;
        return entry;
    }

    /// <summary>Marks <paramref name="entry"/> as exposed by the current attempt (so it is not stale).</summary>
    public void MarkSeen(CacheEntry entry) => entry.Seen = _attempt;

    /// <summary>
    /// Ends an attempt that appended without error: appends a stale marker at <paramref name="staleTimeMs"/> for
    /// each series the last completed attempt had and this one does not, and, when <paramref name="flush"/> (the
    /// body was not empty) or the cache has grown suspiciously, forgets series not looked up this time.
    /// </summary>
    public void Complete(IAppender app, long staleTimeMs, bool flush, ScrapeStats stats)
    {
        var count = _series.Count + MetadataCount();
        if (flush)
        {
            _successfulCount = count;
        }
        else if (count > (_successfulCount * 2) + 1000)
        {
            // Failed scrapes with varying series would grow the cache without end.
            flush = true;
            stats.AddCacheFlushForced();
        }

        var stale = StaleMarker.Value;
        foreach (var (key, entry) in _series)
        {
            if (entry.Labels is not null)
            {
                if (entry.Seen == _attempt)
                {
                    entry.SeenCompleted = _attempt;
                }
                else if (_lastCompleted != 0 && entry.SeenCompleted == _lastCompleted)
                {
                    // Gone since the last scrape. Out-of-order/duplicate results are expected when the target
                    // came back under a new loop, and are ignored as Prometheus does.
                    var seriesRef = entry.Ref;
                    _ = app.Append(ref seriesRef, entry.Labels, staleTimeMs, stale);
                }
            }
            if (flush && entry.LastLookup != _attempt)
            {
                _series.Remove(key);
            }
        }
        if (flush)
        {
            lock (_metaLock)
            {
                foreach (var (key, meta) in _metadata)
                {
                    if (_attempt - meta.LastSeen > MetadataGrace)
                    {
                        _metadata.Remove(key);
                    }
                }
            }
        }
        _lastCompleted = _attempt;
    }

    /// <summary>The metadata entry for family <paramref name="name"/>, created when new.</summary>
    public MetaEntry Meta(ReadOnlySpan<byte> name)
    {
        if (!_metadataLookup.TryGetValue(name, out var meta))
        {
            meta = new MetaEntry(System.Text.Encoding.UTF8.GetString(name));
            lock (_metaLock)
            {
                _metadataLookup[name] = meta;
            }
        }
        meta.LastSeen = _attempt;
        return meta;
    }

    /// <summary>Sets the family's type when it changed.</summary>
    public void SetType(MetaEntry meta, MetricType type)
    {
        if (meta.Type != type)
        {
            lock (_metaLock)
            {
                meta.Type = type;
            }
        }
    }

    /// <summary>Whether the family's raw (escaped) help differs from <paramref name="raw"/>; unescaping happens only then.</summary>
    public bool HelpChanged(MetaEntry meta, ReadOnlySpan<byte> raw) => !raw.SequenceEqual(meta.RawHelp);

    /// <summary>Stores a changed help text.</summary>
    public void SetHelp(MetaEntry meta, ReadOnlySpan<byte> raw, string help)
    {
        lock (_metaLock)
        {
            meta.RawHelp = raw.ToArray();
            meta.Help = help;
        }
    }

    /// <summary>Sets the family's unit when it changed.</summary>
    public void SetUnit(MetaEntry meta, ReadOnlySpan<byte> unit)
    {
        if (!unit.SequenceEqual(meta.RawUnit))
        {
            lock (_metaLock)
            {
                meta.RawUnit = unit.ToArray();
                meta.Unit = System.Text.Encoding.UTF8.GetString(unit);
            }
        }
    }

    /// <summary>A snapshot of the metadata, for the API thread.</summary>
    public List<TargetMetadata> MetadataSnapshot(Labels target)
    {
        lock (_metaLock)
        {
            var list = new List<TargetMetadata>(_metadata.Count);
            foreach (var meta in _metadata.Values)
            {
                list.Add(new TargetMetadata(target, meta.Name, meta.Type, meta.Help, meta.Unit));
            }
            list.Sort(static (a, b) => string.CompareOrdinal(a.Metric, b.Metric));
            return list;
        }
    }

    private int MetadataCount()
    {
        lock (_metaLock)
        {
            return _metadata.Count;
        }
    }
}

/// <summary>One cached series string: its ref and final labels, or <see langword="null"/> labels when relabeling drops it.</summary>
internal sealed class CacheEntry(Labels? labels)
{
    /// <summary>The final labels (target labels and metric relabeling applied); null when dropped.</summary>
    public Labels? Labels { get; } = labels;

    /// <summary>The storage's ref, from the first append.</summary>
    public SeriesRef Ref { get; set; }

    /// <summary>The attempt that last looked this entry up (entries not looked up are forgotten on flush).</summary>
    public long LastLookup { get; set; }

    /// <summary>The attempt that last appended this series without an explicit timestamp.</summary>
    public long Seen { get; set; }

    /// <summary>The last completed attempt that had this series.</summary>
    public long SeenCompleted { get; set; }
}

/// <summary>One metric family's metadata as the target last exposed it.</summary>
internal sealed class MetaEntry(string name)
{
    public string Name { get; } = name;

    public MetricType Type { get; set; }

    public byte[] RawHelp { get; set; } = [];

    public string Help { get; set; } = "";

    public byte[] RawUnit { get; set; } = [];

    public string Unit { get; set; } = "";

    public long LastSeen { get; set; }
}
