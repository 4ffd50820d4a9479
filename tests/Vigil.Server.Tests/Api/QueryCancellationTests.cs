using Microsoft.Extensions.DependencyInjection;
using Vigil.PromQL.Engine;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Hosting;
using Vigil.Storage;

namespace Vigil.Server.Tests.Api;

/// <summary>A client that goes away cancels its query on the server (Prometheus passes the request's context to the engine).</summary>
public sealed class QueryCancellationTests
{
    [Fact]
    public async Task A_disconnected_client_takes_its_queued_query_with_it()
    {
        await using var vigil = await TestVigil.StartAsync(v => new ServerOptions { DataPath = v.DataPath, QueryMaxConcurrency = 1 });
        var engine = vigil.App.Services.GetRequiredService<QueryEngine>();

        // Hold the only query slot with a query whose storage blocks until released.
        using var blocker = new BlockingStorage();
        var holding = engine.InstantAsync(blocker, "up", 0);
        await blocker.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, engine.ActiveQueries);
        Assert.Contains("prometheus_engine_queries 1", await vigil.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);

        // An HTTP query now waits in the queue; its client gives up.
        using var cts = new CancellationTokenSource();
        var request = vigil.Client.GetAsync("/api/v1/query?query=vector(1)", cts.Token);
        await WaitUntilAsync(() => engine.ActiveQueries == 2);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        // The server-side query leaves the queue without ever running.
        await WaitUntilAsync(() => engine.ActiveQueries == 1);
        blocker.Release();
        await holding;
        Assert.Equal(0, engine.ActiveQueries);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 30 s");
            await Task.Delay(20);
        }
    }

    private sealed class BlockingStorage : IQueryableStorage, IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _release.Set();

        public IQuerier Querier(long minTimeMs, long maxTimeMs)
        {
            _entered.TrySetResult();
            _release.Wait(TimeSpan.FromSeconds(60));
            return new MemoryStorage().Querier(minTimeMs, maxTimeMs);
        }

        public void Dispose()
        {
            _release.Set();
            _release.Dispose();
        }
    }
}
