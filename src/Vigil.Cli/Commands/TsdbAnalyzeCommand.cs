using System.CommandLine;
using System.Globalization;
using Vigil.Model;
using Vigil.Storage;
using Vigil.Tsdb;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil tsdb analyze DIR</c>: blocks and head, then cardinality over the whole store, in the spirit of
/// <c>promtool tsdb analyze</c> (which looks at one block): label names with the most values, metric names
/// with the most series and the label pairs on the most series.
/// </summary>
public static class TsdbAnalyzeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var dir = new Argument<string>("DIR") { Description = "Data directory (as --storage.tsdb.path); must not be in use by a running server." };
        var limit = new Option<int>("--limit")
        {
            Description = "How many items to show in each list.",
            DefaultValueFactory = _ => 20,
        };
        var command = new Command("analyze", "Analyze churn, label pair cardinality and series counts of a data directory (like promtool tsdb analyze).")
        {
            dir, limit,
        };
        command.SetAction(parse =>
        {
            var top = parse.GetValue(limit);
            if (top < 0)
            {
                return TsdbCommand.Fail(error, "--limit: must not be negative");
            }
            TimeSeriesDb db;
            try
            {
                db = TimeSeriesDb.Open(parse.GetValue(dir)!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return TsdbCommand.Fail(error, e.Message);
            }
            using (db)
            {
                return Analyze(db, top, output, error);
            }
        });
        return command;
    }

    private static int Analyze(TimeSeriesDb db, int top, TextWriter output, TextWriter error)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine("BLOCK ULID                  MIN TIME       MAX TIME       NUM SERIES   NUM SAMPLES");
        foreach (var meta in db.Blocks)
        {
            output.WriteLine(string.Create(inv, $"{meta.Ulid,-27} {meta.MinTime,-14} {meta.MaxTime,-14} {meta.Stats.NumSeries,-12} {meta.Stats.NumSamples}"));
        }
        if (db.Head.NumSeries > 0)
        {
            using var headQuerier = db.Head.Querier(long.MinValue, long.MaxValue);
            var (headSeries, headSamples, headError) = Count(headQuerier.Select(false, []));
            if (headError is not null)
            {
                return TsdbCommand.Fail(error, $"reading the head: {headError.Message}");
            }
            if (headSeries > 0)
            {
                output.WriteLine(string.Create(inv, $"{"head",-27} {db.Head.MinTime,-14} {db.Head.MaxTime + 1,-14} {headSeries,-12} {headSamples}"));
            }
        }

        var valuesByName = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var seriesByMetric = new Dictionary<string, int>(StringComparer.Ordinal);
        var seriesByPair = new Dictionary<Label, int>();
        long totalSeries = 0, totalPairs = 0;
        using (var querier = db.Querier(long.MinValue, long.MaxValue))
        {
            var set = querier.Select(false, []);
            while (set.Next())
            {
                var labels = set.At().Labels;
                totalSeries++;
                foreach (var l in labels.AsSpan())
                {
                    totalPairs++;
                    if (!valuesByName.TryGetValue(l.Name, out var values))
                    {
                        values = new HashSet<string>(StringComparer.Ordinal);
                        valuesByName.Add(l.Name, values);
                    }
                    values.Add(l.Value);
                    seriesByPair[l] = seriesByPair.GetValueOrDefault(l) + 1;
                }
                var metric = labels.MetricName;
                seriesByMetric[metric] = seriesByMetric.GetValueOrDefault(metric) + 1;
            }
            if (set.Error is { } setError)
            {
                return TsdbCommand.Fail(error, setError.Message);
            }
        }

        output.WriteLine();
        output.WriteLine(string.Create(inv, $"Total series: {totalSeries}"));
        output.WriteLine(string.Create(inv, $"Label names: {valuesByName.Count}"));
        output.WriteLine(string.Create(inv, $"Postings (unique label pairs): {seriesByPair.Count}"));
        output.WriteLine(string.Create(inv, $"Postings entries (total label pairs): {totalPairs}"));
        PrintTop(output, "Highest cardinality labels:", valuesByName.Select(kv => (kv.Key, kv.Value.Count)), top);
        PrintTop(output, "Highest cardinality metric names:", seriesByMetric.Select(kv => (kv.Key, kv.Value)), top);
        PrintTop(output, "Most common label pairs:", seriesByPair.Select(kv => ($"{kv.Key.Name}={kv.Key.Value}", kv.Value)), top);
        return VigilCommand.Ok;
    }

    private static (long Series, long Samples, Exception? Error) Count(ISeriesSet set)
    {
        long series = 0, samples = 0;
        ISampleIterator? iterator = null;
        while (set.Next())
        {
            iterator = set.At().Iterator(iterator);
            var any = false;
            while (iterator.Next())
            {
                samples++;
                any = true;
            }
            if (iterator.Error is { } e)
            {
                return (series, samples, e);
            }
            series += any ? 1 : 0;
        }
        return (series, samples, set.Error);
    }

    /// <summary>promtool's layout: a heading, then <c>COUNT NAME</c> lines, largest first (ties by name).</summary>
    private static void PrintTop(TextWriter output, string heading, IEnumerable<(string Name, int Count)> items, int top)
    {
        output.WriteLine();
        output.WriteLine(heading);
        foreach (var (name, count) in items.OrderByDescending(i => i.Count).ThenBy(i => i.Name, StringComparer.Ordinal).Take(top))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} {name}"));
        }
    }
}
