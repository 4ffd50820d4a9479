using Vigil.Testing;

namespace Vigil.Tsdb.Tests.Blocks;

/// <summary>The real promtool (Prometheus 2.42, Debian package <c>prometheus</c>); missing means failing, never skipping.</summary>
public sealed class PromtoolFixture
{
    public string Path { get; } = ExternalTool.Require("promtool", "prometheus");

    public async Task<ExternalTool.Result> RunAsync(params string[] args)
    {
        var result = await ExternalTool.RunAsync(Path, args, timeout: TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, $"promtool {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Output}");
        return result;
    }
}

[CollectionDefinition(Name)]
public sealed class PromtoolBlocksCollection : ICollectionFixture<PromtoolFixture>
{
    public const string Name = "Blocks: promtool oracle";
}
