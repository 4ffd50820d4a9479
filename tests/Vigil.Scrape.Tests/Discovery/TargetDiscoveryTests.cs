using System.Threading.Channels;
using Vigil.Model;
using Vigil.Scrape.Discovery;
using Vigil.Testing;

namespace Vigil.Scrape.Tests.Discovery;

public sealed class TargetDiscoveryTests
{
    /// <summary>A discoverer the test drives by hand.</summary>
    private sealed class ScriptedDiscoverer : ITargetDiscoverer
    {
        private readonly TaskCompletionSource<ChannelWriter<IReadOnlyList<TargetGroup>>> _writer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string? LastError => null;

        public bool Cancelled { get; private set; }

        public async Task RunAsync(ChannelWriter<IReadOnlyList<TargetGroup>> updates, CancellationToken cancellationToken)
        {
            _writer.TrySetResult(updates);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                Cancelled = true;
            }
        }

        public async Task SendAsync(params TargetGroup[] groups) => await (await _writer.Task).WriteAsync(groups);
    }

    private static TargetGroup Group(string source, params string[] addresses)
        => new(source, addresses.Select(a => Labels.Of("__address__", a)).ToList());

    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<TargetGroup>>> NextAsync(TargetDiscovery discovery, Action? poke = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var read = discovery.Updates.WaitToReadAsync(timeout.Token).AsTask();
            while (!read.IsCompleted)
            {
                poke?.Invoke();
                await Task.WhenAny(read, Task.Delay(20));
            }
            await read;
            if (discovery.Updates.TryRead(out var update))
            {
                return update;
            }
        }
    }

    [Fact]
    public async Task Coalesces_updates_and_publishes_each_jobs_full_set_at_most_once_per_interval()
    {
        var clock = new ManualClock();
        await using var discovery = new TargetDiscovery(clock, TimeSpan.FromSeconds(5));
        var a = new ScriptedDiscoverer();
        var b = new ScriptedDiscoverer();
        discovery.ApplyConfig(new Dictionary<string, IReadOnlyList<ITargetDiscoverer>>
        {
            ["node"] = [a, new StaticDiscoverer([StaticDiscoverer.Group(["localhost:9100"], Labels.Of("env", "dev"))])],
            ["api"] = [b],
        });
        await a.SendAsync(Group("s1", "x:1"), Group("s2", "y:1"));
        await b.SendAsync(Group("s1", "z:1"));
        await Task.Delay(100);
        Assert.False(discovery.Updates.TryPeek(out _), "nothing is published before the interval elapses");

        var update = await NextAsync(discovery, () => clock.Advance(TimeSpan.FromSeconds(1)));
        Assert.Equal(["api", "node"], update.Keys.Order());
        Assert.Equal(["0", "s1", "s2"], update["node"].Select(g => g.Source).Order());
        Assert.Equal("env", update["node"].Single(g => g.Source == "0").Labels[0].Name);
        Assert.Equal("z:1", update["api"].Single().Targets[0].Get("__address__"));

        // Replace one group, remove another with an empty group of the same source.
        await a.SendAsync(Group("s1", "x:2"));
        await a.SendAsync(TargetGroup.Empty("s2"));
        update = await NextAsync(discovery, () => clock.Advance(TimeSpan.FromSeconds(1)));
        Assert.Equal(["0", "s1"], update["node"].Select(g => g.Source).Order());
        Assert.Equal("x:2", update["node"].Single(g => g.Source == "s1").Targets[0].Get("__address__"));
        Assert.Same(update, discovery.Current);

        // A new config stops the old discoverers; a job without discoverers is published empty; dropped jobs vanish.
        discovery.ApplyConfig(new Dictionary<string, IReadOnlyList<ITargetDiscoverer>> { ["api"] = [] });
        update = await NextAsync(discovery, () => clock.Advance(TimeSpan.FromSeconds(1)));
        Assert.Equal(["api"], update.Keys);
        Assert.Empty(update["api"]);
        await WaitForAsync(() => a.Cancelled && b.Cancelled);
    }

    [Fact]
    public async Task With_a_zero_interval_every_change_is_published_at_once()
    {
        await using var discovery = new TargetDiscovery(new ManualClock(), TimeSpan.Zero);
        var a = new ScriptedDiscoverer();
        discovery.ApplyConfig(new Dictionary<string, IReadOnlyList<ITargetDiscoverer>> { ["job"] = [a] });
        await a.SendAsync(Group("s", "h:1"));
        var update = await NextAsync(discovery);
        while (update["job"].Count == 0)
        {
            update = await NextAsync(discovery);
        }
        Assert.Equal("h:1", update["job"].Single().Targets.Single().Get("__address__"));
    }

    [Fact]
    public void Merged_targets_let_the_target_label_win_over_the_group_label()
    {
        var group = new TargetGroup("s", [Labels.Of("__address__", "a:1", "env", "canary"), Labels.Of("__address__", "b:1")], Labels.Of("env", "prod", "team", "x"));
        Assert.Equal(
        [
            Labels.Of("__address__", "a:1", "env", "canary", "team", "x"),
            Labels.Of("__address__", "b:1", "env", "prod", "team", "x"),
        ], group.MergedTargets());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
