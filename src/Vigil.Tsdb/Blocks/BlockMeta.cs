using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// A block's <c>meta.json</c> (Prometheus tsdb/block.go, <c>BlockMeta</c>): identity, time range
/// [<see cref="MinTime"/>, <see cref="MaxTime"/>) (max exclusive), statistics and compaction lineage.
/// Written as Prometheus writes it (tab-indented, zero statistics omitted, no trailing newline); fields
/// this type does not know (Thanos's <c>thanos</c> section, for one) are kept and written back.
/// </summary>
public sealed class BlockMeta
{
    /// <summary>The file name.</summary>
    public const string FileName = "meta.json";

    /// <summary>The only meta version Prometheus writes and reads.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions s_options = new()
    {
        WriteIndented = true,
        IndentCharacter = '\t',
        IndentSize = 1,
    };

    /// <summary>The block's identity, also its directory name.</summary>
    [JsonPropertyName("ulid")]
    public Ulid Ulid { get; set; }

    /// <summary>The earliest timestamp the block may hold, ms (inclusive).</summary>
    [JsonPropertyName("minTime")]
    public long MinTime { get; set; }

    /// <summary>The end of the block's range, ms (exclusive).</summary>
    [JsonPropertyName("maxTime")]
    public long MaxTime { get; set; }

    /// <summary>Counts of what the block holds.</summary>
    [JsonPropertyName("stats")]
    public BlockStats Stats { get; set; } = new();

    /// <summary>Where the block came from.</summary>
    [JsonPropertyName("compaction")]
    public BlockCompaction Compaction { get; set; } = new();

    /// <summary>The meta format version; 1.</summary>
    [JsonPropertyName("version")]
    public int Version { get; set; } = CurrentVersion;

    /// <summary>Fields not modelled here, kept as they were read.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The JSON text, formatted as Prometheus formats it.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_options);

    /// <summary>Parses meta.json text; <paramref name="path"/> names the file in errors.</summary>
    /// <exception cref="BlockFormatException">Not valid JSON, not a meta, or an unknown version.</exception>
    public static BlockMeta Parse(string json, string path = FileName)
    {
        ArgumentNullException.ThrowIfNull(json);
        BlockMeta? meta;
        try
        {
            meta = JsonSerializer.Deserialize<BlockMeta>(json, s_options);
        }
        catch (JsonException e)
        {
            throw new BlockFormatException(path, "JSON", e.BytePositionInLine ?? -1, $"line {(e.LineNumber ?? -1) + 1}: {e.Message}");
        }
        if (meta is null)
        {
            throw new BlockFormatException(path, "JSON", 0, "null instead of an object");
        }
        if (meta.Version != CurrentVersion)
        {
            throw new BlockFormatException(path, "version", 0, $"unsupported meta version {meta.Version}, expected {CurrentVersion}");
        }
        return meta;
    }

    /// <summary>Reads <c>meta.json</c> from a block directory.</summary>
    /// <exception cref="BlockFormatException">See <see cref="Parse"/>.</exception>
    public static BlockMeta Read(string blockDirectory)
    {
        ArgumentNullException.ThrowIfNull(blockDirectory);
        var path = Path.Combine(blockDirectory, FileName);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>
    /// Writes <c>meta.json</c> into a block directory atomically, as Prometheus does: to <c>meta.json.tmp</c>,
    /// fsync, rename over <c>meta.json</c>, fsync the directory.
    /// </summary>
    public void Write(string blockDirectory, IFileSystem? fileSystem = null)
    {
        ArgumentNullException.ThrowIfNull(blockDirectory);
        AtomicFile.Write(fileSystem ?? PhysicalFileSystem.Instance, Path.Combine(blockDirectory, FileName), System.Text.Encoding.UTF8.GetBytes(ToJson()));
    }
}

/// <summary>What a block holds (Prometheus's <c>BlockStats</c>); zero counts are omitted from the JSON.</summary>
public sealed class BlockStats
{
    /// <summary>Samples in all chunks.</summary>
    [JsonPropertyName("numSamples")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong NumSamples { get; set; }

    /// <summary>Series in the index.</summary>
    [JsonPropertyName("numSeries")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong NumSeries { get; set; }

    /// <summary>Chunks in the segments.</summary>
    [JsonPropertyName("numChunks")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong NumChunks { get; set; }

    /// <summary>Tombstone intervals.</summary>
    [JsonPropertyName("numTombstones")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong NumTombstones { get; set; }

    /// <summary>Fields not modelled here (newer Prometheus versions add some), kept as they were read.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A block's lineage (Prometheus's <c>BlockMetaCompaction</c>).</summary>
public sealed class BlockCompaction
{
    /// <summary>1 for a block cut from the head, +1 per compaction.</summary>
    [JsonPropertyName("level")]
    public int Level { get; set; } = 1;

    /// <summary>The level-1 blocks this one was compacted from (itself, for level 1).</summary>
    [JsonPropertyName("sources")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<Ulid>? Sources { get; set; }

    /// <summary>Set when compaction produced an empty block, to be deleted.</summary>
    [JsonPropertyName("deletable")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Deletable { get; set; }

    /// <summary>The blocks directly compacted into this one.</summary>
    [JsonPropertyName("parents")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<BlockDescription>? Parents { get; set; }

    /// <summary>Set when compacting this block failed, so it is not retried.</summary>
    [JsonPropertyName("failed")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Failed { get; set; }

    /// <summary>Compactor hints (e.g. "from-out-of-order").</summary>
    [JsonPropertyName("hints")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Hints { get; set; }

    /// <summary>Fields not modelled here, kept as they were read.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A parent block in <see cref="BlockCompaction.Parents"/> (Prometheus's <c>BlockDesc</c>).</summary>
public sealed class BlockDescription
{
    /// <summary>The parent's ULID.</summary>
    [JsonPropertyName("ulid")]
    public Ulid Ulid { get; set; }

    /// <summary>The parent's minimum time.</summary>
    [JsonPropertyName("minTime")]
    public long MinTime { get; set; }

    /// <summary>The parent's maximum time (exclusive).</summary>
    [JsonPropertyName("maxTime")]
    public long MaxTime { get; set; }
}
