using System.Threading.Channels;
using Vigil.Scrape.Discovery;

namespace Vigil.Scrape.Tests.Discovery;

/// <summary>Runs one discoverer and keeps the current groups by source, applying updates as TargetDiscovery does.</summary>
public sealed class DiscoveryProbe : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TargetGroup> _groups = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private readonly Task _pump;

    public DiscoveryProbe(ITargetDiscoverer discoverer)
    {
        var channel = Channel.CreateUnbounded<IReadOnlyList<TargetGroup>>();
        _run = Task.Run(() => discoverer.RunAsync(channel.Writer, _stop.Token));
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in channel.Reader.ReadAllAsync(_stop.Token))
                {
                    lock (_gate)
                    {
                        Batches++;
                        foreach (var group in batch)
                        {
                            if (group.Targets.Count == 0)
                            {
                                _groups.Remove(group.Source);
                            }
                            else
                            {
                                _groups[group.Source] = group;
                            }
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public int Batches { get; private set; }

    public IReadOnlyDictionary<string, TargetGroup> Groups
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, TargetGroup>(_groups, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Waits (real time, up to 10 s) until <paramref name="condition"/> holds, calling <paramref name="poke"/> (e.g. advancing a clock) between checks.</summary>
    public async Task<IReadOnlyDictionary<string, TargetGroup>> WaitAsync(Func<IReadOnlyDictionary<string, TargetGroup>, bool> condition, Action? poke = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var groups = Groups;
            if (condition(groups))
            {
                return groups;
            }
            if (_run.IsFaulted)
            {
                await _run;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what ?? "the condition"}; groups now: {string.Join(" | ", groups.Values)}");
            }
            poke?.Invoke();
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        await _pump;
        _stop.Dispose();
    }
}
