namespace Vigil.Remote.Send;

/// <summary>
/// Which WAL records have been fully delivered. Every record the watcher hands over gets a ticket with the number of
/// its samples that were queued; each acknowledged (or dropped) sample settles one. Shards finish out of order, so the
/// <see cref="Watermark"/> is the end of the last record such that it and every record before it are settled — the
/// safe place to resume after a restart. For samples delivered beyond the watermark, the newest acknowledged
/// timestamp per series is kept too: a restart that resumes at the watermark skips them (samples of one series are
/// sent in WAL order by one shard, so what a series had delivered is a prefix), which makes a graceful restart lose
/// and duplicate nothing. Thread-safe.
/// </summary>
public sealed class SendProgress
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, (long TimestampMs, long Ticket)> _deliveredAhead = [];
    private Entry[] _ring = new Entry[64];
    private int _head;
    private int _count;
    private long _firstTicket;
    private long _nextTicket;
    private WalPosition _watermark;

    private struct Entry
    {
        public WalPosition End;
        public int Pending;
    }

    /// <summary>Starts at <paramref name="start"/> (everything before it counts as delivered).</summary>
    public SendProgress(WalPosition start = default) => _watermark = start;

    /// <summary>The end of the last record that, with all before it, is settled.</summary>
    public WalPosition Watermark
    {
        get
        {
            lock (_lock)
            {
                return _watermark;
            }
        }
    }

    /// <summary>Records handed over but not yet settled.</summary>
    public int Outstanding
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// Registers a record ending at <paramref name="end"/> whose <paramref name="samples"/> samples are about to be
    /// queued; returns the ticket they carry. A record with none is settled at once.
    /// </summary>
    public long Begin(WalPosition end, int samples)
    {
        lock (_lock)
        {
            if (samples == 0 && _count == 0)
            {
                _watermark = end;
                _firstTicket = _nextTicket;
                return -1;
            }
            if (samples == 0 && _ring[(_head + _count - 1) % _ring.Length].Pending == 0)
            {
                // Extend the settled tail entry instead of adding one per empty record.
                _ring[(_head + _count - 1) % _ring.Length].End = end;
                return -1;
            }
            if (_count == _ring.Length)
            {
                var bigger = new Entry[_ring.Length * 2];
                for (var i = 0; i < _count; i++)
                {
                    bigger[i] = _ring[(_head + i) % _ring.Length];
                }
                _ring = bigger;
                _head = 0;
            }
            _ring[(_head + _count) % _ring.Length] = new Entry { End = end, Pending = samples };
            _count++;
            return _nextTicket++;
        }
    }

    /// <summary>Settles samples that will never be sent (no series, relabelled away, already delivered before a restart) without recording delivery.</summary>
    public void Settle(long ticket, int samples)
    {
        if (samples == 0)
        {
            return;
        }
        lock (_lock)
        {
            _ring[(_head + (int)(ticket - _firstTicket)) % _ring.Length].Pending -= samples;
            Advance();
        }
    }

    /// <summary>Settles a batch: <paramref name="delivered"/> says whether the receiver has it (recorded per series) or it was dropped.</summary>
    public void Complete(ReadOnlySpan<PendingSample> batch, bool delivered)
    {
        lock (_lock)
        {
            foreach (ref readonly var s in batch)
            {
                _ring[(_head + (int)(s.Ticket - _firstTicket)) % _ring.Length].Pending--;
                if (delivered)
                {
                    _deliveredAhead[s.Ref] = (s.TimestampMs, s.Ticket);
                }
            }
            Advance();
        }
    }

    private void Advance()
    {
        while (_count > 0 && _ring[_head].Pending == 0)
        {
            _watermark = _ring[_head].End;
            _head = (_head + 1) % _ring.Length;
            _count--;
            _firstTicket++;
        }
        if (_count == 0)
        {
            _head = 0;
            _firstTicket = _nextTicket;
        }
    }

    /// <summary>
    /// The watermark and, per series, the newest timestamp delivered from records after it (what a restart resuming
    /// at the watermark must not send again). Forgets deliveries at or before the watermark.
    /// </summary>
    public ProgressMarker Snapshot(WalPosition readUntil)
    {
        lock (_lock)
        {
            var ahead = new List<KeyValuePair<ulong, long>>();
            List<ulong>? settled = null;
            foreach (var (reference, (timestamp, ticket)) in _deliveredAhead)
            {
                if (ticket >= _firstTicket && _count > 0)
                {
                    ahead.Add(new(reference, timestamp));
                }
                else
                {
                    (settled ??= []).Add(reference);
                }
            }
            foreach (var reference in settled ?? [])
            {
                _deliveredAhead.Remove(reference);
            }
            ahead.Sort(static (a, b) => a.Key.CompareTo(b.Key));
            return new ProgressMarker(_watermark, ahead, readUntil);
        }
    }
}
