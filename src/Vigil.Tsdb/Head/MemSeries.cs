using Vigil.Model;
using Vigil.Tsdb.Chunks;

namespace Vigil.Tsdb;

/// <summary>
/// One series in the head: its labels, completed chunks and the open chunk being appended to.
/// Every member is used under <see cref="Lock"/>.
/// </summary>
internal sealed class MemSeries
{
    private readonly List<HeadChunk> _closed = [];
    private XorChunk? _open;
    private XorAppender? _appender;
    private long _openMinTime;
    private long _openMaxTime;
    private long _nextCutTime;

    public MemSeries(ulong seriesRef, Labels labels)
    {
        Ref = seriesRef;
        Labels = labels;
    }

    public ulong Ref { get; }

    public Labels Labels { get; }

    public Lock Lock { get; } = new();

    /// <summary>Samples of open appenders not yet committed or rolled back; truncation never removes such a series.</summary>
    public int PendingCommits { get; set; }

    /// <summary>The appender whose uncommitted sample is newest for this series (null: none), and that sample.</summary>
    public object? PendingOwner { get; set; }

    /// <summary>Timestamp of <see cref="PendingOwner"/>'s newest uncommitted sample.</summary>
    public long PendingMaxTime { get; set; }

    /// <summary>Value bits of <see cref="PendingOwner"/>'s newest uncommitted sample.</summary>
    public ulong PendingValueBits { get; set; }

    /// <summary>Whether the WAL holds this series' record (samples of an unlogged series must log it first).</summary>
    public bool Logged { get; set; }

    /// <summary>The newest committed timestamp, or long.MinValue.</summary>
    public long MaxTime { get; private set; } = long.MinValue;

    /// <summary>The oldest sample kept, or long.MaxValue when empty.</summary>
    public long MinTime => _closed.Count > 0 ? _closed[0].MinTime : _open is not null ? _openMinTime : long.MaxValue;

    /// <summary>The bits of the newest committed value.</summary>
    public ulong LastValueBits { get; private set; }

    public int ChunkCount => _closed.Count + (_open is null ? 0 : 1);

    /// <summary>Whether <paramref name="t"/>/<paramref name="v"/> may follow <paramref name="maxTime"/> (the committed or pending newest).</summary>
    public static Storage.AppendStatus Appendable(long maxTime, ulong lastBits, long t, double v)
    {
        if (t > maxTime)
        {
            return Storage.AppendStatus.Ok;
        }
        if (t < maxTime)
        {
            return Storage.AppendStatus.OutOfOrder;
        }
        return BitConverter.DoubleToUInt64Bits(v) == lastBits ? Storage.AppendStatus.Ok : Storage.AppendStatus.DuplicateTimestamp;
    }

    /// <summary>
    /// Appends a committed sample. Returns false (and stores nothing) when it is not after the newest
    /// sample; an exact duplicate is ignored and reported as appended.
    /// </summary>
    public bool Append(long t, double v, HeadOptions options, out bool chunkCreated)
    {
        chunkCreated = false;
        if (t <= MaxTime)
        {
            return t == MaxTime && BitConverter.DoubleToUInt64Bits(v) == LastValueBits;
        }
        if (_open is null || _open.NumSamples >= options.SamplesPerChunk || t >= _nextCutTime)
        {
            CutChunk(t, options);
            chunkCreated = true;
        }
        _appender!.Append(t, v);
        _openMaxTime = t;
        MaxTime = t;
        LastValueBits = BitConverter.DoubleToUInt64Bits(v);
        return true;
    }

    private void CutChunk(long t, HeadOptions options)
    {
        CloseOpenChunk();
        _open = new XorChunk();
        _appender = _open.Appender();
        _openMinTime = t;
        _openMaxTime = t;
        // Chunks never cross a block-range boundary, so a block can take whole chunks.
        _nextCutTime = ((t >= 0 ? t / options.ChunkRangeMs : ((t + 1) / options.ChunkRangeMs) - 1) + 1) * options.ChunkRangeMs;
    }

    private void CloseOpenChunk()
    {
        if (_open is { NumSamples: > 0 })
        {
            _closed.Add(new HeadChunk(_openMinTime, _openMaxTime, _open.NumSamples, _open.Bytes.ToArray()));
        }
        _open = null;
        _appender = null;
    }

    /// <summary>Copies out the chunks overlapping [<paramref name="minTime"/>, <paramref name="maxTime"/>]; the open one is copied.</summary>
    public void CollectChunks(long minTime, long maxTime, List<HeadChunk> into)
    {
        foreach (var c in _closed)
        {
            if (c.MaxTime >= minTime && c.MinTime <= maxTime)
            {
                into.Add(c);
            }
        }
        if (_open is { NumSamples: > 0 } && _openMaxTime >= minTime && _openMinTime <= maxTime)
        {
            into.Add(new HeadChunk(_openMinTime, _openMaxTime, _open.NumSamples, _open.Bytes.ToArray()));
        }
    }

    /// <summary>Drops every chunk that ends before <paramref name="minTime"/>; returns how many were dropped.</summary>
    public int TruncateBefore(long minTime)
    {
        var removed = _closed.RemoveAll(c => c.MaxTime < minTime);
        if (_open is not null && _openMaxTime < minTime)
        {
            _open = null;
            _appender = null;
            removed++;
        }
        return removed;
    }

    /// <summary>Whether the series holds no samples.</summary>
    public bool IsEmpty => _closed.Count == 0 && _open is null;
}
