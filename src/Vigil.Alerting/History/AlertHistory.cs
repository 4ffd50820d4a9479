using System.Text;
using System.Text.Json;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Matching;
using Vigil.Alerting.Pipeline;
using Vigil.Alerting.Silencing;
using Vigil.Model;

namespace Vigil.Alerting.History;

/// <summary>
/// Every alert state change and notification attempt, with bounded retention (at most <c>maxEvents</c>, none older
/// than <c>maxAge</c>), queryable by label matchers and time range. Persisted as an append-only file of JSON lines
/// (<c>history.jsonl</c>, one event per line, format in docs/format/alerting-state.md): each event is appended as it
/// happens and flushed on <see cref="Flush"/> (every snapshot interval and at shutdown); the file is rewritten
/// atomically, without expired events, when it holds twice the events kept. A torn last line (crash while
/// appending) is skipped on load. Without a path the history lives in memory only.
/// </summary>
public sealed class AlertHistory : IDisposable
{
    private readonly Lock _lock = new();
    private readonly LinkedList<HistoryEvent> _events = new();
    private readonly Dictionary<ulong, bool> _lastFiring = [];
    private readonly TimeProvider _time;
    private readonly int _maxEvents;
    private readonly TimeSpan _maxAge;
    private readonly string? _path;
    private FileStream? _file;
    private int _linesInFile;

    /// <summary>Opens (loading <paramref name="path"/> when given) a history keeping at most <paramref name="maxEvents"/> events of at most <paramref name="maxAge"/>.</summary>
    public AlertHistory(TimeProvider time, int maxEvents, TimeSpan maxAge, string? path)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEvents);
        _time = time;
        _maxEvents = maxEvents;
        _maxAge = maxAge;
        _path = path;
        if (path is not null)
        {
            Load(path);
            Rewrite();
        }
    }

    /// <summary>The number of events kept.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>Records the firing/resolved transition, if any, of a stored alert (the first version of an alert counts as a transition).</summary>
    public void RecordAlert(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var now = _time.GetUtcNow();
        var firing = !alert.ResolvedAt(now);
        lock (_lock)
        {
            if (_lastFiring.TryGetValue(alert.Fingerprint, out var wasFiring) && wasFiring == firing)
            {
                return;
            }
            _lastFiring[alert.Fingerprint] = firing;
        }
        Add(new HistoryEvent { Time = now, Kind = firing ? HistoryEventKind.Firing : HistoryEventKind.Resolved, Labels = alert.Labels, Fingerprint = alert.Fingerprint });
    }

    /// <summary>Records that an alert that timed out (no end from its sender) resolved, once.</summary>
    public void RecordResolvedIfFiring(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (_lock)
        {
            if (!_lastFiring.TryGetValue(alert.Fingerprint, out var wasFiring) || !wasFiring)
            {
                return;
            }
            _lastFiring[alert.Fingerprint] = false;
        }
        Add(new HistoryEvent { Time = _time.GetUtcNow(), Kind = HistoryEventKind.Resolved, Labels = alert.Labels, Fingerprint = alert.Fingerprint });
    }

    /// <summary>Forgets the last state of a dropped alert (the store garbage-collected it).</summary>
    public void Forget(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        RecordResolvedIfFiring(alert);
        lock (_lock)
        {
            _lastFiring.Remove(alert.Fingerprint);
        }
    }

    /// <summary>Records a change of silenced/inhibited status.</summary>
    public void RecordStatus(Labels labels, ulong fingerprint, AlertStatus before, AlertStatus after)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var now = _time.GetUtcNow();
        if (after.SilencedBy.Count > 0 && !after.SilencedBy.SequenceEqual(before.SilencedBy))
        {
            Add(new HistoryEvent { Time = now, Kind = HistoryEventKind.Silenced, Labels = labels, Fingerprint = fingerprint, By = after.SilencedBy });
        }
        if (after.InhibitedBy.Count > 0 && !after.InhibitedBy.SequenceEqual(before.InhibitedBy))
        {
            Add(new HistoryEvent { Time = now, Kind = HistoryEventKind.Inhibited, Labels = labels, Fingerprint = fingerprint, By = after.InhibitedBy });
        }
        if (before.State == AlertState.Suppressed && after.State == AlertState.Active)
        {
            Add(new HistoryEvent { Time = now, Kind = HistoryEventKind.Unsuppressed, Labels = labels, Fingerprint = fingerprint });
        }
    }

    /// <summary>Records one call of a receiver integration.</summary>
    public void RecordNotification(NotificationContext context, INotifier integration, int alerts, int attempt, NotifyResult result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(integration);
        ArgumentNullException.ThrowIfNull(result);
        Add(new HistoryEvent
        {
            Time = _time.GetUtcNow(),
            Kind = HistoryEventKind.Notification,
            Labels = context.GroupLabels,
            Receiver = context.Receiver,
            Integration = $"{integration.Integration}[{integration.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)}]",
            GroupKey = context.GroupKey,
            Alerts = alerts,
            Attempt = attempt,
            Outcome = result.Succeeded ? "success" : result.Retry ? "retry" : "failure",
            Error = result.Error?.Message ?? "",
        });
    }

    /// <summary>
    /// The events in [<paramref name="start"/>, <paramref name="end"/>] whose labels satisfy every matcher (and
    /// whose kind is <paramref name="kind"/> when given), oldest first, at most <paramref name="limit"/> (the newest).
    /// </summary>
    public List<HistoryEvent> Query(IReadOnlyList<Matcher> matchers, DateTimeOffset start, DateTimeOffset end, HistoryEventKind? kind = null, int limit = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        var result = new List<HistoryEvent>();
        lock (_lock)
        {
            for (var node = _events.Last; node is not null && result.Count < limit; node = node.Previous)
            {
                var e = node.Value;
                if (e.Time > end)
                {
                    continue;
                }
                if (e.Time < start)
                {
                    break;
                }
                if (kind is { } k && e.Kind != k)
                {
                    continue;
                }
                var match = true;
                foreach (var m in matchers)
                {
                    if (!m.Matches(e.Labels.Get(m.Name)))
                    {
                        match = false;
                        break;
                    }
                }
                if (match)
                {
                    result.Add(e);
                }
            }
        }
        result.Reverse();
        return result;
    }

    /// <summary>Drops events past the age limit and flushes appended events to disk.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            Trim(_time.GetUtcNow());
            if (_file is not null && _linesInFile > 2 * _maxEvents)
            {
                Rewrite();
            }
            _file?.Flush(flushToDisk: true);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            _file?.Flush(flushToDisk: true);
            _file?.Dispose();
            _file = null;
        }
    }

    private void Add(HistoryEvent e)
    {
        lock (_lock)
        {
            _events.AddLast(e);
            Trim(e.Time);
            if (_file is not null)
            {
                var line = Serialize(e);
                _file.Write(line);
                _linesInFile++;
                if (_linesInFile > 2 * _maxEvents)
                {
                    Rewrite();
                }
            }
        }
    }

    private void Trim(DateTimeOffset now)
    {
        while (_events.Count > _maxEvents || (_events.First is { } first && first.Value.Time < now - _maxAge))
        {
            _events.RemoveFirst();
        }
    }

    private void Rewrite()
    {
        _file?.Dispose();
        _file = null;
        var path = _path!;
        SnapshotFile.Write(path, stream =>
        {
            foreach (var e in _events)
            {
                stream.Write(Serialize(e));
            }
        });
        _linesInFile = _events.Count;
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 16 * 1024);
    }

    private void Load(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }
            HistoryEvent e;
            try
            {
                e = Deserialize(line);
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
            {
                continue; // a line torn by a crash while appending
            }
            _events.AddLast(e);
            if (e.Kind is HistoryEventKind.Firing or HistoryEventKind.Resolved)
            {
                _lastFiring[e.Fingerprint] = e.Kind == HistoryEventKind.Firing;
            }
        }
        Trim(_time.GetUtcNow());
    }

    private static byte[] Serialize(HistoryEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteJson(json, e);
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Writes an event as the API and the history file show it.</summary>
    public static void WriteJson(Utf8JsonWriter json, HistoryEvent e)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(e);
        json.WriteStartObject();
        json.WriteString("time", e.Time.UtcDateTime);
        json.WriteString("kind", HistoryEvent.KindName(e.Kind));
        json.WriteStartObject("labels");
        foreach (var l in e.Labels.AsSpan())
        {
            json.WriteString(l.Name, l.Value);
        }
        json.WriteEndObject();
        if (e.Kind == HistoryEventKind.Notification)
        {
            json.WriteString("receiver", e.Receiver);
            json.WriteString("integration", e.Integration);
            json.WriteString("groupKey", e.GroupKey);
            json.WriteNumber("alerts", e.Alerts);
            json.WriteNumber("attempt", e.Attempt);
            json.WriteString("outcome", e.Outcome);
            if (e.Error.Length > 0)
            {
                json.WriteString("error", e.Error);
            }
        }
        else
        {
            json.WriteString("fingerprint", AlertFingerprint.Format(e.Fingerprint));
            if (e.By.Count > 0)
            {
                json.WriteStartArray("by");
                foreach (var b in e.By)
                {
                    json.WriteStringValue(b);
                }
                json.WriteEndArray();
            }
        }
        json.WriteEndObject();
    }

    private static HistoryEvent Deserialize(string line)
    {
        using var doc = JsonDocument.Parse(Encoding.UTF8.GetBytes(line));
        var root = doc.RootElement;
        if (!HistoryEvent.TryParseKind(root.GetProperty("kind").GetString()!, out var kind))
        {
            throw new FormatException("unknown kind");
        }
        var labels = new List<Label>();
        foreach (var p in root.GetProperty("labels").EnumerateObject())
        {
            labels.Add(new Label(p.Name, p.Value.GetString()!));
        }
        var e = new HistoryEvent { Time = root.GetProperty("time").GetDateTimeOffset(), Kind = kind, Labels = Labels.From(labels) };
        if (kind == HistoryEventKind.Notification)
        {
            return e with
            {
                Receiver = root.GetProperty("receiver").GetString()!,
                Integration = root.GetProperty("integration").GetString()!,
                GroupKey = root.GetProperty("groupKey").GetString()!,
                Alerts = root.GetProperty("alerts").GetInt32(),
                Attempt = root.GetProperty("attempt").GetInt32(),
                Outcome = root.GetProperty("outcome").GetString()!,
                Error = root.TryGetProperty("error", out var err) ? err.GetString()! : "",
            };
        }
        AlertFingerprint.TryParse(root.GetProperty("fingerprint").GetString()!, out var fp);
        return e with
        {
            Fingerprint = fp,
            By = root.TryGetProperty("by", out var by) ? [.. by.EnumerateArray().Select(static b => b.GetString()!)] : [],
        };
    }
}
