using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vigil.Remote.Send;

/// <summary>
/// How far a remote write got, kept across restarts (docs/format/remote-write-progress.md): the WAL position up to which
/// every sample is settled, and for series delivered further, the newest timestamp delivered. Written atomically
/// (temporary file, fsync, rename) in the data directory's <c>remote_write/</c>, one file per destination.
/// </summary>
/// <param name="Position">Resume here.</param>
/// <param name="DeliveredAhead">Series ref → newest timestamp (ms) already delivered from records after <paramref name="Position"/>.</param>
/// <param name="ReadUntil">How far the writer had read: <paramref name="DeliveredAhead"/> only concerns records before it.</param>
public sealed record ProgressMarker(WalPosition Position, IReadOnlyList<KeyValuePair<ulong, long>> DeliveredAhead, WalPosition ReadUntil)
{
    /// <summary>The directory under the data directory that holds the markers.</summary>
    public const string DirectoryName = "remote_write";

    private const int Version = 1;

    /// <summary>The marker file for a destination: <c>progress-</c> and a hash of <paramref name="key"/> (name and URL).</summary>
    public static string PathFor(string directory, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return Path.Combine(directory, "progress-" + Convert.ToHexStringLower(hash.AsSpan(0, 8)) + ".json");
    }

    /// <summary>Writes the marker to <paramref name="path"/> atomically: a crash leaves the old or the new one, never a torn file.</summary>
    public void Write(string path, string key)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteNumber("version", Version);
                json.WriteString("destination", key);
                json.WriteNumber("segment", Position.Segment);
                json.WriteNumber("offset", Position.Offset);
                json.WriteNumber("read_until_segment", ReadUntil.Segment);
                json.WriteNumber("read_until_offset", ReadUntil.Offset);
                json.WriteStartArray("delivered_ahead");
                foreach (var (reference, timestamp) in DeliveredAhead)
                {
                    json.WriteStartArray();
                    json.WriteNumberValue(reference);
                    json.WriteNumberValue(timestamp);
                    json.WriteEndArray();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        Tsdb.IO.PhysicalFileSystem.Instance.SyncDirectory(directory);
    }

    /// <summary>
    /// Reads a marker; null when there is none. A file that cannot be read or parsed is reported through
    /// <paramref name="error"/> (path and reason) and treated as absent.
    /// </summary>
    public static ProgressMarker? Read(string path, out string? error)
    {
        error = null;
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            var version = root.GetProperty("version").GetInt32();
            if (version != Version)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"{path}: unsupported progress marker version {version} (expected {Version})");
                return null;
            }
            var segment = root.GetProperty("segment").GetInt32();
            var offset = root.GetProperty("offset").GetInt64();
            if (segment < 0 || offset < 0)
            {
                error = $"{path}: negative segment or offset";
                return null;
            }
            var ahead = new List<KeyValuePair<ulong, long>>();
            foreach (var pair in root.GetProperty("delivered_ahead").EnumerateArray())
            {
                ahead.Add(new(pair[0].GetUInt64(), pair[1].GetInt64()));
            }
            var readUntil = new WalPosition(root.GetProperty("read_until_segment").GetInt32(), root.GetProperty("read_until_offset").GetInt64());
            return new ProgressMarker(new WalPosition(segment, offset), ahead, readUntil);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            error = $"{path}: unreadable progress marker ({e.Message})";
            return null;
        }
    }
}
