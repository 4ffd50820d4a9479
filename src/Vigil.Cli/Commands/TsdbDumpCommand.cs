using System.CommandLine;
using System.Globalization;
using Vigil.Model;
using Vigil.Model.Exposition;
using Vigil.Storage;
using Vigil.Tsdb;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil tsdb dump DIR</c>: every sample of the store (blocks and head), one line each, in
/// <c>promtool tsdb dump</c>'s format: <c>fmt.Printf("%s %g %d\n", labels, value, ts)</c>, i.e.
/// <c>{__name__="up", job="node"} 1 1700000000000</c> with Go's shortest <c>%g</c> for the value.
/// </summary>
public static class TsdbDumpCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var dir = new Argument<string>("DIR") { Description = "Data directory (as --storage.tsdb.path); must not be in use by a running server." };
        var match = new Option<string[]>("--match")
        {
            Description = "Series selector, e.g. 'up{job=\"node\"}'; repeat for the union of several. Default: every series.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var minTime = new Option<long>("--min-time")
        {
            Description = "Minimum timestamp to dump, in milliseconds since the epoch.",
            DefaultValueFactory = _ => long.MinValue,
        };
        var maxTime = new Option<long>("--max-time")
        {
            Description = "Maximum timestamp to dump, in milliseconds since the epoch.",
            DefaultValueFactory = _ => long.MaxValue,
        };
        var command = new Command("dump", "Dump samples from a data directory (like promtool tsdb dump).")
        {
            dir, match, minTime, maxTime,
        };
        command.SetAction(parse =>
        {
            var selectors = new List<IReadOnlyList<LabelMatcher>>();
            foreach (var text in parse.GetValue(match) ?? [])
            {
                if (!TsdbSeriesSelector.TryParse(text, out var matchers, out var selectorError))
                {
                    return TsdbCommand.Fail(error, $"--match \"{text}\": {selectorError}");
                }
                selectors.Add(matchers);
            }
            if (selectors.Count == 0)
            {
                selectors.Add([]);
            }
            var mint = parse.GetValue(minTime);
            var maxt = parse.GetValue(maxTime);
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
                using var querier = db.Querier(mint, maxt);
                var seen = new HashSet<Labels>();
                foreach (var matchers in selectors)
                {
                    var set = querier.Select(true, matchers);
                    ISampleIterator? iterator = null;
                    while (set.Next())
                    {
                        var series = set.At();
                        if (selectors.Count > 1 && !seen.Add(series.Labels))
                        {
                            continue;
                        }
                        var prefix = series.Labels.ToString();
                        iterator = series.Iterator(iterator);
                        while (iterator.Next())
                        {
                            var sample = iterator.At();
                            if (sample.TimestampMs >= mint && sample.TimestampMs <= maxt)
                            {
                                WriteLine(output, prefix, sample);
                            }
                        }
                        if (iterator.Error is { } iteratorError)
                        {
                            return TsdbCommand.Fail(error, $"reading {prefix}: {iteratorError.Message}");
                        }
                    }
                    if (set.Error is { } setError)
                    {
                        return TsdbCommand.Fail(error, setError.Message);
                    }
                }
            }
            output.Flush();
            return VigilCommand.Ok;
        });
        return command;
    }

    /// <summary>One line without allocating per sample: the labels, Go's <c>%g</c> value and the timestamp.</summary>
    private static void WriteLine(TextWriter output, string labels, Sample sample)
    {
        Span<byte> number = stackalloc byte[GoFloat.MaxLength];
        Span<char> line = stackalloc char[GoFloat.MaxLength + 24];
        GoFloat.TryFormat(sample.Value, number, out var n);
        line[0] = ' ';
        for (var i = 0; i < n; i++)
        {
            line[i + 1] = (char)number[i];
        }
        var pos = n + 1;
        line[pos++] = ' ';
        sample.TimestampMs.TryFormat(line[pos..], out var tn, default, CultureInfo.InvariantCulture);
        pos += tn;
        line[pos++] = '\n';
        output.Write(labels);
        output.Write(line[..pos]);
    }
}
