using System.Diagnostics;
using System.Globalization;
using Vigil.Model;
using Vigil.Testing;
using Vigil.Tsdb.Tests.Head;

namespace Vigil.Tsdb.Tests.Db;

/// <summary>
/// A child process appends and acknowledges batches; it is SIGKILLed at a random moment; the store
/// reopens and every acknowledged sample is there (and nothing that was never written).
/// </summary>
public sealed class CrashTests
{
    private const int Series = 20;
    private const int PerBatch = 10;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_acknowledged_sample_survives_SIGKILL(int seed)
    {
        using var dir = new TempDirectory();
        var random = new Random(seed);
        long acked = -1;
        for (var round = 0; round < 3; round++)
        {
            acked = Math.Max(acked, await RunAndKillAsync(dir.Path, TimeSpan.FromMilliseconds(300 + random.Next(700))));
        }
        Assert.True(acked >= 0, "the child acknowledged nothing before it was killed");

        using var db = TimeSeriesDb.Open(dir.Path);
        var data = HeadTests.ReadAll(db);
        Assert.Equal(Series, data.Count);
        foreach (var (labels, samples) in data)
        {
            var s = int.Parse(labels.Get("series"), CultureInfo.InvariantCulture);
            var expectedAtLeast = (acked + 1) * PerBatch;
            Assert.True(samples.Count >= expectedAtLeast, $"series {s}: {samples.Count} samples, but {expectedAtLeast} were acknowledged");
            for (var i = 0; i < samples.Count; i++)
            {
                // No gaps, no garbage: sample i is t=i with value t+s.
                Assert.Equal(i, samples[i].TimestampMs);
                Assert.Equal(i + s, samples[i].Value);
            }
        }
    }

    private static async Task<long> RunAndKillAsync(string dataDir, TimeSpan after)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Vigil.Tsdb.CrashWriter.dll"), dataDir, Series.ToString(CultureInfo.InvariantCulture), PerBatch.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }
        using var child = Process.Start(psi)!;
        long last = -1;
        var firstAck = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("ack ", StringComparison.Ordinal))
                {
                    Interlocked.Exchange(ref last, long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture));
                    firstAck.TrySetResult();
                }
            }
        });
        var stderr = child.StandardError.ReadToEndAsync();
        try
        {
            await Task.WhenAny(firstAck.Task, child.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(firstAck.Task.IsCompleted, $"child did not acknowledge a batch (exited: {child.HasExited})");
            await Task.Delay(after);
        }
        finally
        {
            // Never leave the child running: an orphan would keep the test host's pipes open.
            child.Kill(); // SIGKILL
            await child.WaitForExitAsync();
        }
        await reader.WaitAsync(TimeSpan.FromSeconds(30));
        _ = stderr;
        return Interlocked.Read(ref last);
    }
}
