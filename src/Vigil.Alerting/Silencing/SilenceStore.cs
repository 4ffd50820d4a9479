using System.Text.Json;
using Vigil.Alerting.Matching;
using Vigil.Model;

namespace Vigil.Alerting.Silencing;

/// <summary>Why a silence operation failed; <see cref="NotFound"/> is Alertmanager's <c>silence.ErrNotFound</c>.</summary>
public sealed class SilenceException(string message, bool notFound = false) : Exception(message)
{
    /// <summary>The silence does not exist (HTTP 404).</summary>
    public bool NotFound { get; } = notFound;
}

/// <summary>
/// The silences (Alertmanager 0.25's <c>silence.Silences</c>): create, update in place or replace, expire, query, and
/// decide which silences mute a label set. Expired silences are kept for the retention period after their end
/// (<c>--data.retention</c>, 120h by default), then garbage-collected. The state is saved as a snapshot file
/// (<see cref="SnapshotFile"/>, format in docs/format/alerting-state.md) and loaded at start.
/// </summary>
public sealed class SilenceStore
{
    private readonly Lock _lock = new();
    private readonly Lock _snapshotLock = new(); // one writer of the snapshot file at a time
    private readonly Dictionary<string, Silence> _silences = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;
    private long _version;

    /// <summary>Creates an empty store.</summary>
    public SilenceStore(TimeProvider time, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _retention = retention;
    }

    /// <summary>Incremented on every change (so callers can cache what silences mute).</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Called after every change, with the silence as stored.</summary>
    public event Action<Silence>? Changed;

    /// <summary>
    /// Alertmanager's <c>Silences.Set</c>: with an ID, updates that silence in place when allowed (same matchers; an
    /// active one keeps its start and does not end in the past; a pending one does not start in the past), else
    /// expires it (unless already expired) and stores the change as a new silence with a new ID. Without an ID,
    /// creates one. A new silence never starts in the past (its start is moved to now). Returns the ID.
    /// </summary>
    public string Set(Silence silence)
    {
        ArgumentNullException.ThrowIfNull(silence);
        Silence stored;
        lock (_lock)
        {
            stored = SetLocked(silence, _time.GetUtcNow());
        }
        Changed?.Invoke(stored);
        return stored.Id;
    }

    private Silence SetLocked(Silence silence, DateTimeOffset now)
    {
        var found = _silences.TryGetValue(silence.Id, out var previous);
        if (silence.Id.Length > 0 && !found)
        {
            throw new SilenceException("silence not found", notFound: true);
        }
        if (previous is not null)
        {
            if (CanUpdate(previous, silence, now))
            {
                return Store(silence, now);
            }
            if (previous.StateAt(now) != SilenceState.Expired)
            {
                // The change cannot be made in place: expire the old silence and store the change as a new one.
                ExpireLocked(previous, now);
            }
        }
        var created = silence with
        {
            Id = Guid.NewGuid().ToString(),
            StartsAt = silence.StartsAt < now ? now : silence.StartsAt,
        };
        return Store(created, now);
    }

    /// <summary>Alertmanager's <c>Silences.Expire</c>: ends an active silence now; a pending one starts and ends now.</summary>
    public void Expire(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Silence stored;
        lock (_lock)
        {
            if (!_silences.TryGetValue(id, out var silence))
            {
                throw new SilenceException("silence not found", notFound: true);
            }
            var now = _time.GetUtcNow();
            if (silence.StateAt(now) == SilenceState.Expired)
            {
                throw new SilenceException($"silence {id} already expired");
            }
            stored = ExpireLocked(silence, now);
        }
        Changed?.Invoke(stored);
    }

    /// <summary>The silence with <paramref name="id"/>, or null.</summary>
    public Silence? Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_lock)
        {
            return _silences.GetValueOrDefault(id);
        }
    }

    /// <summary>Every silence (not yet garbage-collected).</summary>
    public List<Silence> All()
    {
        lock (_lock)
        {
            return [.. _silences.Values];
        }
    }

    /// <summary>The IDs of the silences active now that match <paramref name="labels"/>, sorted.</summary>
    public List<string> Muting(Labels labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var ids = new List<string>();
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            foreach (var silence in _silences.Values)
            {
                if (silence.StateAt(now) == SilenceState.Active && silence.Matches(labels))
                {
                    ids.Add(silence.Id);
                }
            }
        }
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>How many silences are in each state now (<c>alertmanager_silences{state}</c>).</summary>
    public (int Active, int Pending, int Expired) CountByState()
    {
        int active = 0, pending = 0, expired = 0;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            foreach (var silence in _silences.Values)
            {
                switch (silence.StateAt(now))
                {
                    case SilenceState.Active: active++; break;
                    case SilenceState.Pending: pending++; break;
                    default: expired++; break;
                }
            }
        }
        return (active, pending, expired);
    }

    /// <summary>Drops silences that ended more than the retention ago; returns how many.</summary>
    public int CollectGarbage()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var removed = 0;
            foreach (var (id, silence) in _silences)
            {
                if (silence.EndsAt + _retention < now)
                {
                    _silences.Remove(id);
                    removed++;
                }
            }
            if (removed > 0)
            {
                Interlocked.Increment(ref _version);
            }
            return removed;
        }
    }

    private static bool CanUpdate(Silence a, Silence b, DateTimeOffset now)
    {
        if (!Silence.SameMatchers(a.Matchers, b.Matchers))
        {
            return false;
        }
        switch (a.StateAt(now))
        {
            case SilenceState.Active:
                return b.StartsAt == a.StartsAt && b.EndsAt >= now;
            case SilenceState.Pending:
                return b.StartsAt >= now;
            default:
                return false;
        }
    }

    private Silence ExpireLocked(Silence silence, DateTimeOffset now)
    {
        var expired = silence.StateAt(now) == SilenceState.Pending
            ? silence with { StartsAt = now, EndsAt = now }
            : silence with { EndsAt = now };
        return Store(expired, now);
    }

    private Silence Store(Silence silence, DateTimeOffset now)
    {
        var stored = silence with { UpdatedAt = now };
        if (SilenceValidation.Validate(stored) is { } error)
        {
            throw new SilenceException("silence invalid: " + error);
        }
        _silences[stored.Id] = stored;
        Interlocked.Increment(ref _version);
        return stored;
    }

    // ---- snapshots ----

    /// <summary>Writes every silence to <paramref name="path"/> atomically.</summary>
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
                json.WriteStartArray("silences");
                foreach (var s in all)
                {
                    json.WriteStartObject();
                    json.WriteString("id", s.Id);
                    json.WriteStartArray("matchers");
                    foreach (var m in s.Matchers)
                    {
                        json.WriteStartObject();
                        json.WriteString("type", Matcher.OperatorText(m.Type));
                        json.WriteString("name", m.Name);
                        json.WriteString("value", m.Value);
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                    json.WriteString("startsAt", s.StartsAt.UtcDateTime);
                    json.WriteString("endsAt", s.EndsAt.UtcDateTime);
                    json.WriteString("updatedAt", s.UpdatedAt.UtcDateTime);
                    json.WriteString("createdBy", s.CreatedBy);
                    json.WriteString("comment", s.Comment);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            });
        }
    }

    /// <summary>
    /// Replaces the silences with those in the snapshot at <paramref name="path"/> (none when it does not exist),
    /// dropping those past retention. Throws <see cref="InvalidDataException"/> naming the file when it is unreadable.
    /// </summary>
    public int Load(string path)
    {
        var bytes = SnapshotFile.ReadIfExists(path);
        var loaded = new List<Silence>();
        if (bytes is not null)
        {
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                foreach (var s in doc.RootElement.GetProperty("silences").EnumerateArray())
                {
                    var matchers = new List<Matcher>();
                    foreach (var m in s.GetProperty("matchers").EnumerateArray())
                    {
                        var type = m.GetProperty("type").GetString() switch
                        {
                            "=" => LabelMatchType.Equal,
                            "!=" => LabelMatchType.NotEqual,
                            "=~" => LabelMatchType.Regex,
                            "!~" => LabelMatchType.NotRegex,
                            var other => throw new InvalidDataException($"unknown matcher type \"{other}\""),
                        };
                        matchers.Add(Matcher.Create(type, m.GetProperty("name").GetString()!, m.GetProperty("value").GetString()!));
                    }
                    loaded.Add(new Silence
                    {
                        Id = s.GetProperty("id").GetString()!,
                        Matchers = matchers,
                        StartsAt = s.GetProperty("startsAt").GetDateTimeOffset(),
                        EndsAt = s.GetProperty("endsAt").GetDateTimeOffset(),
                        UpdatedAt = s.GetProperty("updatedAt").GetDateTimeOffset(),
                        CreatedBy = s.GetProperty("createdBy").GetString()!,
                        Comment = s.GetProperty("comment").GetString()!,
                    });
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
            {
                throw new InvalidDataException($"{path}: unreadable silences snapshot: {e.Message}", e);
            }
        }
        lock (_lock)
        {
            _silences.Clear();
            foreach (var s in loaded)
            {
                _silences[s.Id] = s;
            }
            Interlocked.Increment(ref _version);
        }
        CollectGarbage();
        return loaded.Count;
    }
}
