using System.Globalization;
using System.Runtime.InteropServices;
using Vigil.Model;
using Vigil.Model.Exposition;
using Vigil.Tsdb.Blocks;
using Vigil.Tsdb.Chunks;

namespace Vigil.Cli.Commands;

/// <summary>Why an import input was refused: a 1-based line, the column when the parser knows it, and the reason.</summary>
public sealed record TsdbImportError(int Line, int? Column, string Message)
{
    /// <summary><c>LINE:COLUMN: message</c> (or <c>LINE: message</c>), to follow a file name.</summary>
    public override string ToString() => Column is { } column
        ? string.Create(CultureInfo.InvariantCulture, $"{Line}:{column}: {Message}")
        : string.Create(CultureInfo.InvariantCulture, $"{Line}: {Message}");
}

/// <summary>One series read from an import file: its labels and its samples in timestamp order.</summary>
public sealed class TsdbImportSeries(Labels labels)
{
    /// <summary>The series' labels.</summary>
    public Labels Labels { get; } = labels;

    /// <summary>Sample timestamps (ms), strictly increasing.</summary>
    public List<long> Timestamps { get; } = [];

    /// <summary>Sample values, parallel to <see cref="Timestamps"/>.</summary>
    public List<double> Values { get; } = [];
}

/// <summary>
/// The work of <c>vigil tsdb import openmetrics</c>, as <c>promtool tsdb create-blocks-from openmetrics</c>
/// does it (prometheus <c>cmd/promtool/backfill.go</c>): every sample needs a timestamp, samples of one
/// series must come in time order, and blocks are cut at multiples of the block duration so that no
/// chunk crosses a block boundary.
/// </summary>
public static class TsdbImporter
{
    /// <summary>
    /// Reads a whole OpenMetrics body into series (sorted by <see cref="Utf8Order"/>), or returns the
    /// first problem. Nothing is written, so a refused file leaves no partial blocks behind.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out List<TsdbImportSeries> series, out TsdbImportError? error)
    {
        // Keyed by the raw series bytes so a repeated series skips label parsing; a second map by labels
        // joins spellings that differ only in label order or escaping.
        var byRaw = new Dictionary<byte[], TsdbImportSeries>(ByteArrayComparer.Instance);
        var rawLookup = byRaw.GetAlternateLookup<ReadOnlySpan<byte>>();
        var byLabels = new Dictionary<Labels, TsdbImportSeries>();
        var builder = new LabelsBuilder();
        var parser = new ExpositionParser(body, ExpositionFormat.OpenMetrics);
        var line = 1;
        var counted = 0;
        series = [];
        while (true)
        {
            var start = parser.Position;
            line += body[counted..start].Count((byte)'\n');
            counted = start;
            var entry = parser.Next();
            if (entry == ExpositionEntry.Eof)
            {
                break;
            }
            if (entry == ExpositionEntry.Error)
            {
                var e = parser.Error!;
                error = new TsdbImportError(e.Line, e.Column, e.Message);
                return false;
            }
            if (entry != ExpositionEntry.Series)
            {
                continue;
            }
            if (!rawLookup.TryGetValue(parser.Series, out var s))
            {
                parser.Labels(builder);
                var labels = builder.ToLabels();
                if (!byLabels.TryGetValue(labels, out s))
                {
                    s = new TsdbImportSeries(labels);
                    byLabels.Add(labels, s);
                }
                byRaw.Add(parser.Series.ToArray(), s);
            }
            if (parser.TimestampMs is not { } t)
            {
                error = new TsdbImportError(line, null, $"expected timestamp for series {s.Labels}, got none");
                return false;
            }
            var ts = s.Timestamps;
            if (ts.Count > 0 && t <= ts[^1])
            {
                var what = t == ts[^1] ? "duplicate" : "out-of-order";
                error = new TsdbImportError(line, null, string.Create(CultureInfo.InvariantCulture,
                    $"{what} sample for series {s.Labels}: timestamp {t} is not after {ts[^1]} (samples of a series must be sorted by time)"));
                return false;
            }
            ts.Add(t);
            s.Values.Add(parser.Value);
        }
        series = [.. byLabels.Values];
        series.Sort(static (a, b) => Utf8Order.Compare(a.Labels, b.Labels));
        error = null;
        return true;
    }

    /// <summary>The start of every block-duration-aligned window holding at least one sample, ascending.</summary>
    public static List<long> BlockStarts(IReadOnlyList<TsdbImportSeries> series, long blockDurationMs)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockDurationMs);
        var starts = new SortedSet<long>();
        foreach (var s in series)
        {
            long last = long.MinValue;
            foreach (var t in s.Timestamps)
            {
                var start = AlignDown(t, blockDurationMs);
                if (start != last)
                {
                    starts.Add(start);
                    last = start;
                }
            }
        }
        return [.. starts];
    }

    /// <summary>
    /// The series' samples in <c>[start, end)</c> as XOR chunks of at most
    /// <see cref="XorChunk.TargetSamplesPerChunk"/> samples, produced lazily while the block writer reads them.
    /// </summary>
    public static IEnumerable<ChunkedSeries> Chunked(IReadOnlyList<TsdbImportSeries> series, long start, long end)
    {
        ArgumentNullException.ThrowIfNull(series);
        foreach (var s in series)
        {
            var ts = CollectionsMarshal.AsSpan(s.Timestamps);
            var from = LowerBound(ts, start);
            var to = LowerBound(ts, end);
            if (from == to)
            {
                continue;
            }
            var chunks = new List<EncodedChunk>((to - from + XorChunk.TargetSamplesPerChunk - 1) / XorChunk.TargetSamplesPerChunk);
            for (var i = from; i < to; i += XorChunk.TargetSamplesPerChunk)
            {
                var n = Math.Min(XorChunk.TargetSamplesPerChunk, to - i);
                var chunk = new XorChunk();
                var appender = chunk.Appender();
                for (var k = i; k < i + n; k++)
                {
                    appender.Append(s.Timestamps[k], s.Values[k]);
                }
                chunks.Add(new EncodedChunk(s.Timestamps[i], s.Timestamps[i + n - 1], (byte)ChunkEncoding.Xor, chunk.Memory));
            }
            yield return new ChunkedSeries(s.Labels, chunks);
        }
    }

    /// <summary>The largest multiple of <paramref name="step"/> not above <paramref name="t"/> (also for negative times).</summary>
    public static long AlignDown(long t, long step) => t - (((t % step) + step) % step);

    private static int LowerBound(ReadOnlySpan<long> sorted, long value)
    {
        var index = sorted.BinarySearch(value);
        return index >= 0 ? index : ~index;
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
