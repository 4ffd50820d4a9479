using System.Text;
using System.Text.Json;
using Vigil.Model;
using Vigil.Tsdb;

namespace Vigil.Server.Api;

/// <summary>
/// <c>status/tsdb</c>: the head's statistics and its cardinality tops, computed as Prometheus's
/// <c>MemPostings.Stats</c> does: series per metric name, distinct values per label name, bytes of distinct values
/// per label name, and series per label pair; the top <see cref="DefaultLimit"/> of each, largest first.
/// </summary>
public sealed class TsdbStatus
{
    /// <summary>How many entries each top list holds (Prometheus 2.42 has no <c>limit</c> parameter).</summary>
    public const int DefaultLimit = 10;

    private TsdbStatus()
    {
    }

    /// <summary>Series in the head.</summary>
    public long NumSeries { get; private init; }

    /// <summary>Distinct label pairs in the head.</summary>
    public long NumLabelPairs { get; private init; }

    /// <summary>Chunks in the head.</summary>
    public long ChunkCount { get; private init; }

    /// <summary>The head's lowest timestamp (<see cref="long.MaxValue"/> when empty, as in Prometheus).</summary>
    public long MinTime { get; private init; }

    /// <summary>The head's highest timestamp (<see cref="long.MinValue"/> when empty).</summary>
    public long MaxTime { get; private init; }

    /// <summary>Series per metric name.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> SeriesCountByMetricName { get; private init; } = [];

    /// <summary>Distinct values per label name.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> LabelValueCountByLabelName { get; private init; } = [];

    /// <summary>Bytes of the distinct values per label name.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> MemoryInBytesByLabelName { get; private init; } = [];

    /// <summary>Series per <c>name=value</c> pair.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> SeriesCountByLabelValuePair { get; private init; } = [];

    /// <summary>Reads <paramref name="head"/>'s series once and tallies them.</summary>
    public static TsdbStatus Compute(Head head, int limit)
    {
        ArgumentNullException.ThrowIfNull(head);
        // name -> value -> series count
        var pairs = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        using (var querier = head.Querier(long.MinValue, long.MaxValue))
        {
            foreach (var name in querier.LabelNames([]))
            {
                var values = new Dictionary<string, long>(StringComparer.Ordinal);
                var set = querier.Select(false, [LabelMatcher.Create(LabelMatchType.Regex, name, ".+")]);
                while (set.Next())
                {
                    var v = set.At().Labels.Get(name);
                    values[v] = values.GetValueOrDefault(v) + 1;
                }
                pairs[name] = values;
            }
        }

        var byMetric = pairs.TryGetValue(Label.MetricName, out var metricNames) ? metricNames.ToList() : [];
        var valueCounts = new List<KeyValuePair<string, long>>(pairs.Count);
        var valueBytes = new List<KeyValuePair<string, long>>(pairs.Count);
        var pairCounts = new List<KeyValuePair<string, long>>();
        long numPairs = 0;
        foreach (var (name, values) in pairs)
        {
            valueCounts.Add(new(name, values.Count));
            numPairs += values.Count;
            long bytes = 0;
            foreach (var (value, count) in values)
            {
                bytes += Encoding.UTF8.GetByteCount(value);
                pairCounts.Add(new(name + "=" + value, count));
            }
            valueBytes.Add(new(name, bytes));
        }
        return new TsdbStatus
        {
            NumSeries = head.NumSeries,
            NumLabelPairs = numPairs,
            ChunkCount = head.Stats.ChunksCreated - head.Stats.ChunksRemoved,
            MinTime = head.MinTime,
            MaxTime = head.MaxTime,
            SeriesCountByMetricName = Top(byMetric, limit),
            LabelValueCountByLabelName = Top(valueCounts, limit),
            MemoryInBytesByLabelName = Top(valueBytes, limit),
            SeriesCountByLabelValuePair = Top(pairCounts, limit),
        };
    }

    /// <summary>The <paramref name="limit"/> largest, largest first; ties (unordered in Prometheus) by name.</summary>
    private static List<KeyValuePair<string, long>> Top(List<KeyValuePair<string, long>> all, int limit)
    {
        all.Sort(static (a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : LabelText.CompareUtf8(a.Key, b.Key));
        if (all.Count > limit)
        {
            all.RemoveRange(limit, all.Count - limit);
        }
        return all;
    }

    /// <summary>Writes Prometheus's <c>tsdbStatus</c> object.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("headStats"u8);
        writer.WriteNumber("numSeries"u8, NumSeries);
        writer.WriteNumber("numLabelPairs"u8, NumLabelPairs);
        writer.WriteNumber("chunkCount"u8, ChunkCount);
        writer.WriteNumber("minTime"u8, MinTime);
        writer.WriteNumber("maxTime"u8, MaxTime);
        writer.WriteEndObject();
        WriteStats(writer, "seriesCountByMetricName"u8, SeriesCountByMetricName);
        WriteStats(writer, "labelValueCountByLabelName"u8, LabelValueCountByLabelName);
        WriteStats(writer, "memoryInBytesByLabelName"u8, MemoryInBytesByLabelName);
        WriteStats(writer, "seriesCountByLabelValuePair"u8, SeriesCountByLabelValuePair);
        writer.WriteEndObject();
    }

    private static void WriteStats(Utf8JsonWriter writer, ReadOnlySpan<byte> property, IReadOnlyList<KeyValuePair<string, long>> stats)
    {
        writer.WriteStartArray(property);
        foreach (var (name, value) in stats)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, name);
            writer.WriteNumber("value"u8, value);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
