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
    private readonly List<(MemSeries Series, long T, double V)> _pending = [];
    private readonly Dictionary<ulong, (long MaxT, ulong Bits)> _pendingLast = [];
    private bool _done;

    public HeadAppender(Head head) => _head = head;

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
            var (maxT, bits) = _pendingLast.TryGetValue(s.Ref, out var p) ? p : (s.MaxTime, s.LastValueBits);
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
        }
        _pendingLast[s.Ref] = (timestampMs, BitConverter.DoubleToUInt64Bits(value));
        _pending.Add((s, timestampMs, value));
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
        if (_pending.Count == 0)
        {
            return;
        }
        try
        {
            // Series whose record is not in the WAL yet go first in the same batch, so replay never
            // meets a sample for an unknown ref.
            var newSeries = new List<(ulong, Labels)>();
            var samples = new RefSample[_pending.Count];
            for (var i = 0; i < _pending.Count; i++)
            {
                var (s, t, v) = _pending[i];
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
        foreach (var (s, t, v) in _pending)
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
        foreach (var (s, _, _) in _pending)
        {
            lock (s.Lock)
            {
                s.PendingCommits--;
            }
        }
        _pending.Clear();
        _pendingLast.Clear();
    }
}
