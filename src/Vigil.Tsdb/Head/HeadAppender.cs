using Vigil.Model;
using Vigil.Storage;

namespace Vigil.Tsdb;

/// <summary>
/// A batch of appends to the <see cref="Head"/>. Each sample is checked when appended (out of order,
/// duplicate timestamp, out of bounds, labels) and rejected on its own with a counted reason. Commit logs
/// new series and the samples (the WAL), then applies them; if logging fails, nothing is applied and
/// the exception reaches the caller, who must not acknowledge the batch.
/// </summary>
internal sealed class HeadAppender : IAppender
{
    private readonly Head _head;
    private AppendBuffers? _buffers;
    private bool _done;

    public HeadAppender(Head head) => _head = head;

    private List<(MemSeries Series, long T, double V)> Pending => (_buffers ??= _head.AppendBufferPool.TryTake(out var b) ? b : new AppendBuffers()).Pending;

    public AppendStatus Append(ref SeriesRef series, Labels? labels, long timestampMs, double value)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        var status = AppendCore(ref series, labels, timestampMs, value);
        if (status != AppendStatus.Ok)
        {
            _head.Stats.Rejected(status);
        }
        return status;
    }

    private AppendStatus AppendCore(ref SeriesRef series, Labels? labels, long timestampMs, double value)
    {
        if (timestampMs < _head.MinValidTime)
        {
            return AppendStatus.OutOfBounds;
        }
        var s = series.IsSet ? _head.GetByRef(series.Value) : null;
        if (s is null)
        {
            if (!ValidLabels(labels))
            {
                return AppendStatus.InvalidLabels;
            }
            s = _head.GetOrCreate(labels!, out _);
            series = new SeriesRef(s.Ref);
        }
        lock (s.Lock)
        {
            var (maxT, bits) = ReferenceEquals(s.PendingOwner, this) ? (s.PendingMaxTime, s.PendingValueBits) : (s.MaxTime, s.LastValueBits);
            var status = MemSeries.Appendable(maxT, bits, timestampMs, value);
            if (status != AppendStatus.Ok)
            {
                return status;
            }
            if (timestampMs == maxT)
            {
                return AppendStatus.Ok; // an exact duplicate: accepted, nothing to store (as Prometheus)
            }
            s.PendingCommits++;
            s.PendingOwner = this;
            s.PendingMaxTime = timestampMs;
            s.PendingValueBits = BitConverter.DoubleToUInt64Bits(value);
        }
        Pending.Add((s, timestampMs, value));
        return AppendStatus.Ok;
    }

    private static bool ValidLabels(Labels? labels)
    {
        if (labels is null || labels.Count == 0 || labels.MetricName.Length == 0)
        {
            return false;
        }
        foreach (var l in labels.AsSpan())
        {
            if (!LabelText.IsValidLabelName(l.Name))
            {
                return false;
            }
        }
        return true;
    }

    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        if (_buffers is null || _buffers.Pending.Count == 0)
        {
            Release();
            return;
        }
        var pending = _buffers.Pending;
        try
        {
            // Series whose record is not in the WAL yet go first in the same batch, so replay never
            // meets a sample for an unknown ref.
            var newSeries = _buffers.NewSeries;
            newSeries.Clear();
            if (_buffers.Samples.Length < pending.Count)
            {
                _buffers.Samples = new RefSample[Math.Max(pending.Count, _buffers.Samples.Length * 2)];
            }
            var samples = _buffers.Samples.AsSpan(0, pending.Count);
            for (var i = 0; i < pending.Count; i++)
            {
                var (s, t, v) = pending[i];
                samples[i] = new RefSample(s.Ref, t, v);
                lock (s.Lock)
                {
                    if (!s.Logged)
                    {
                        s.Logged = true;
                        newSeries.Add((s.Ref, s.Labels));
                    }
                }
            }
            try
            {
                _head.Log(newSeries, samples);
            }
            catch
            {
                foreach (var (r, _) in newSeries)
                {
                    var s = _head.GetByRef(r);
                    if (s is not null)
                    {
                        lock (s.Lock)
                        {
                            s.Logged = false;
                        }
                    }
                }
                throw;
            }
            Apply();
        }
        finally
        {
            Release();
        }
    }

    private void Apply()
    {
        _head.CommitLock.EnterWriteLock();
        try
        {
            ApplyLocked();
        }
        finally
        {
            _head.CommitLock.ExitWriteLock();
        }
    }

    private void ApplyLocked()
    {
        long appended = 0, minT = long.MaxValue, maxT = long.MinValue;
        foreach (var (s, t, v) in _buffers!.Pending)
        {
            lock (s.Lock)
            {
                if (s.Append(t, v, _head.Options, out var chunkCreated))
                {
                    appended++;
                    minT = Math.Min(minT, t);
                    maxT = Math.Max(maxT, t);
                    if (chunkCreated)
                    {
                        _head.Stats.ChunkAdded();
                    }
                }
                else
                {
                    // Another appender committed a newer sample of this series in between.
                    _head.Stats.Rejected(AppendStatus.OutOfOrder);
                }
            }
        }
        _head.Stats.AddAppended(appended);
        if (appended > 0)
        {
            _head.UpdateTimeRange(minT, maxT);
        }
    }

    public void Rollback()
    {
        if (_done)
        {
            return;
        }
        _done = true;
        Release();
    }

    private void Release()
    {
        if (_buffers is not { } buffers)
        {
            return;
        }
        foreach (var (s, _, _) in buffers.Pending)
        {
            lock (s.Lock)
            {
                s.PendingCommits--;
                if (ReferenceEquals(s.PendingOwner, this))
                {
                    s.PendingOwner = null;
                }
            }
        }
        buffers.Pending.Clear();
        buffers.NewSeries.Clear();
        _buffers = null;
        _head.AppendBufferPool.Add(buffers);
    }
}

/// <summary>The scratch lists of one commit, pooled by the head.</summary>
internal sealed class AppendBuffers
{
    public List<(MemSeries Series, long T, double V)> Pending { get; } = [];

    public List<(ulong Ref, Labels Labels)> NewSeries { get; } = [];

    public RefSample[] Samples { get; set; } = [];
}
