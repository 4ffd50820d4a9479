using System.Text.Json;
using Vigil.Alerting.Silencing;

namespace Vigil.Alerting.NotificationLog;

/// <summary>
/// Alertmanager 0.25's notification log (<c>nflog.Log</c>): one entry per aggregation group and receiver integration,
/// replaced on every successful notification and dropped when it expires (its timestamp plus the retention,
/// <c>--data.retention</c>, 120h by default). Saved as a snapshot file like the silences and loaded at start, so a
/// restart does not repeat notifications already sent before the last snapshot.
/// </summary>
public sealed class NotificationLogStore
{
    private readonly Lock _lock = new();
    private readonly Lock _snapshotLock = new(); // one writer of the snapshot file at a time
    private readonly Dictionary<string, NotificationLogEntry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;
    private long _queries;

    /// <summary>Creates an empty log.</summary>
    public NotificationLogStore(TimeProvider time, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _retention = retention;
    }

    /// <summary>The number of entries.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Queries answered (<c>alertmanager_nflog_queries_total</c>).</summary>
    public long Queries => Interlocked.Read(ref _queries);

    /// <summary>Called after every <see cref="Log"/> (the server writes the log soon after).</summary>
    public event Action? Logged;

    /// <summary>Records a successful notification of <paramref name="groupKey"/> to <paramref name="receiver"/>.</summary>
    public void Log(NotificationReceiver receiver, string groupKey, IReadOnlyList<ulong> firing, IReadOnlyList<ulong> resolved)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(groupKey);
        var now = _time.GetUtcNow();
        var entry = new NotificationLogEntry
        {
            GroupKey = groupKey,
            Receiver = receiver,
            Timestamp = now,
            FiringAlerts = [.. firing],
            ResolvedAlerts = [.. resolved],
            ExpiresAt = now + _retention,
        };
        lock (_lock)
        {
            _entries[StateKey(groupKey, receiver)] = entry;
        }
        Logged?.Invoke();
    }

    /// <summary>The entry for <paramref name="groupKey"/> and <paramref name="receiver"/>, or null.</summary>
    public NotificationLogEntry? Query(string groupKey, NotificationReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(groupKey);
        ArgumentNullException.ThrowIfNull(receiver);
        Interlocked.Increment(ref _queries);
        lock (_lock)
        {
            return _entries.GetValueOrDefault(StateKey(groupKey, receiver));
        }
    }

    /// <summary>Every entry.</summary>
    public List<NotificationLogEntry> All()
    {
        lock (_lock)
        {
            return [.. _entries.Values];
        }
    }

    /// <summary>Drops expired entries; returns how many.</summary>
    public int CollectGarbage()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var removed = 0;
            foreach (var (key, entry) in _entries)
            {
                if (entry.ExpiresAt < now)
                {
                    _entries.Remove(key);
                    removed++;
                }
            }
            return removed;
        }
    }

    // Alertmanager's stateKey: "groupKey:receiver/integration/index".
    private static string StateKey(string groupKey, NotificationReceiver receiver) => groupKey + ":" + receiver;

    /// <summary>Writes every entry to <paramref name="path"/> atomically.</summary>
    public void Snapshot(string path)
    {
        lock (_snapshotLock)
        {
            var all = All(); // taken under the snapshot lock, so a later snapshot never holds older state
            SnapshotFile.Write(path, stream =>
            {
                using var json = new Utf8JsonWriter(stream);
                json.WriteStartObject();
                json.WriteNumber("version", 1);
                json.WriteStartArray("entries");
                foreach (var e in all)
                {
                    json.WriteStartObject();
                    json.WriteString("groupKey", e.GroupKey);
                    json.WriteString("receiver", e.Receiver.GroupName);
                    json.WriteString("integration", e.Receiver.Integration);
                    json.WriteNumber("index", e.Receiver.Index);
                    json.WriteString("timestamp", e.Timestamp.UtcDateTime);
                    json.WriteStartArray("firingAlerts");
                    foreach (var h in e.FiringAlerts)
                    {
                        json.WriteNumberValue(h);
                    }
                    json.WriteEndArray();
                    json.WriteStartArray("resolvedAlerts");
                    foreach (var h in e.ResolvedAlerts)
                    {
                        json.WriteNumberValue(h);
                    }
                    json.WriteEndArray();
                    json.WriteString("expiresAt", e.ExpiresAt.UtcDateTime);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            });
        }
    }

    /// <summary>Replaces the entries with the snapshot at <paramref name="path"/> (none when absent), dropping expired ones.</summary>
    public int Load(string path)
    {
        var bytes = SnapshotFile.ReadIfExists(path);
        var loaded = new List<NotificationLogEntry>();
        if (bytes is not null)
        {
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                foreach (var e in doc.RootElement.GetProperty("entries").EnumerateArray())
                {
                    loaded.Add(new NotificationLogEntry
                    {
                        GroupKey = e.GetProperty("groupKey").GetString()!,
                        Receiver = new NotificationReceiver(e.GetProperty("receiver").GetString()!, e.GetProperty("integration").GetString()!, e.GetProperty("index").GetInt32()),
                        Timestamp = e.GetProperty("timestamp").GetDateTimeOffset(),
                        FiringAlerts = [.. e.GetProperty("firingAlerts").EnumerateArray().Select(static h => h.GetUInt64())],
                        ResolvedAlerts = [.. e.GetProperty("resolvedAlerts").EnumerateArray().Select(static h => h.GetUInt64())],
                        ExpiresAt = e.GetProperty("expiresAt").GetDateTimeOffset(),
                    });
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{path}: unreadable notification log snapshot: {e.Message}", e);
            }
        }
        lock (_lock)
        {
            _entries.Clear();
            foreach (var e in loaded)
            {
                _entries[StateKey(e.GroupKey, e.Receiver)] = e;
            }
        }
        CollectGarbage();
        return loaded.Count;
    }
}
