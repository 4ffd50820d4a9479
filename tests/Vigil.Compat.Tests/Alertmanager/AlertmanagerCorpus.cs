using Vigil.Testing;

namespace Vigil.Compat.Tests.Alertmanager;

/// <summary>The Alertmanager configuration corpus: valid files in tests/conformance/alertmanager, invalid ones under invalid/.</summary>
internal static class AlertmanagerCorpus
{
    public static string Directory => RepoRoot.Combine("tests", "conformance", "alertmanager");

    public static string Amtool => ExternalTool.Require("amtool", "prometheus-alertmanager");

    public static IEnumerable<string> ValidFiles()
        => System.IO.Directory.EnumerateFiles(Directory, "*.yml").Order(StringComparer.Ordinal);

    public static IEnumerable<string> InvalidFiles()
        => System.IO.Directory.EnumerateFiles(Path.Combine(Directory, "invalid"), "*.yml").Order(StringComparer.Ordinal);

    public static TheoryData<string> Names(IEnumerable<string> files)
    {
        var data = new TheoryData<string>();
        foreach (var file in files)
        {
            data.Add(Path.GetRelativePath(Directory, file));
        }
        return data;
    }

    /// <summary>Runs many amtool invocations at once (each takes ~30 ms, mostly start-up).</summary>
    public static async Task<ExternalTool.Result[]> RunAmtoolAsync(IReadOnlyList<string[]> argLists)
    {
        using var gate = new SemaphoreSlim(Math.Max(2, Environment.ProcessorCount * 2));
        var tasks = argLists.Select(async args =>
        {
            await gate.WaitAsync();
            try
            {
                return await ExternalTool.RunAsync(Amtool, args);
            }
            finally
            {
                gate.Release();
            }
        });
        return await Task.WhenAll(tasks);
    }
}
