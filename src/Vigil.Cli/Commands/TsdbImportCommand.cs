using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Model;
using Vigil.Tsdb.Blocks;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil tsdb import openmetrics FILE DIR</c>: writes the samples of an OpenMetrics file as blocks,
/// like <c>promtool tsdb create-blocks-from openmetrics</c>. The file is read and checked whole before
/// the first block is written, so a refused file leaves DIR untouched.
/// </summary>
public static class TsdbImportCommand
{
    /// <summary>Builds <c>import</c> with its one format subcommand.</summary>
    public static Command Create(TextWriter output, TextWriter error) => new("import", "Import samples from a file into new TSDB blocks.")
    {
        CreateOpenMetrics(output, error),
    };

    private static Command CreateOpenMetrics(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("FILE") { Description = "OpenMetrics file to read; every sample needs a timestamp, and the file ends with # EOF." };
        var dir = new Argument<string>("DIR") { Description = "Directory to write the blocks into (created if missing)." };
        var blockDuration = new Option<string>("--block-duration")
        {
            Description = "Duration of each block; blocks are aligned to multiples of it (units: y, w, d, h, m, s, ms).",
            DefaultValueFactory = _ => "2h",
        };
        var command = new Command("openmetrics", "Create blocks from an OpenMetrics file (like promtool tsdb create-blocks-from openmetrics).")
        {
            file, dir, blockDuration,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var target = parse.GetValue(dir)!;
            if (!PromDuration.TryParse(parse.GetValue(blockDuration), out var duration, out var durationError))
            {
                return TsdbCommand.Fail(error, $"--block-duration: {durationError}");
            }
            var durationMs = (long)duration.TotalMilliseconds;
            if (durationMs <= 0)
            {
                return TsdbCommand.Fail(error, "--block-duration: must be positive");
            }
            byte[] body;
            try
            {
                body = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return TsdbCommand.Fail(error, $"cannot read {path}: {e.Message}");
            }
            if (!TsdbImporter.TryRead(body, out var series, out var importError))
            {
                return TsdbCommand.Fail(error, $"{path}:{importError}");
            }
            try
            {
                Directory.CreateDirectory(target);
                var starts = TsdbImporter.BlockStarts(series, durationMs);
                var writer = new BlockWriter(TimeProvider.System, Random.Shared);
                var written = new List<BlockMeta>(starts.Count);
                if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected)
                {
                    AnsiConsole.Progress().Start(ctx =>
                    {
                        var task = ctx.AddTask("Writing blocks", maxValue: Math.Max(1, starts.Count));
                        foreach (var start in starts)
                        {
                            written.Add(writer.Write(target, TsdbImporter.Chunked(series, start, start + durationMs)));
                            task.Increment(1);
                        }
                    });
                    foreach (var meta in written)
                    {
                        output.WriteLine(Describe(meta));
                    }
                }
                else
                {
                    foreach (var start in starts)
                    {
                        var meta = writer.Write(target, TsdbImporter.Chunked(series, start, start + durationMs));
                        output.WriteLine(Describe(meta));
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return TsdbCommand.Fail(error, $"writing blocks to {target}: {e.Message}");
            }
            return VigilCommand.Ok;
        });
        return command;
    }

    private static string Describe(BlockMeta meta) => string.Create(CultureInfo.InvariantCulture,
        $"wrote block {meta.Ulid} ({meta.MinTime}–{meta.MaxTime}, {meta.Stats.NumSeries} series, {meta.Stats.NumSamples} samples)");
}
