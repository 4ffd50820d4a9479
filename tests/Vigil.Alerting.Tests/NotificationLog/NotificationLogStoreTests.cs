using Vigil.Alerting.NotificationLog;
using Vigil.Testing;

namespace Vigil.Alerting.Tests.NotificationLog;

public sealed class NotificationLogStoreTests
{
    [Fact]
    public void Entries_are_kept_per_group_and_receiver_integration_survive_a_snapshot_and_expire()
    {
        using var dir = new TempDirectory();
        var clock = new ManualClock();
        var log = new NotificationLogStore(clock, TimeSpan.FromHours(1));
        var hook0 = new NotificationReceiver("team", "webhook", 0);
        var hook1 = new NotificationReceiver("team", "webhook", 1);
        log.Log(hook0, "{}:{alertname=\"A\"}", [1, 2], []);
        log.Log(hook1, "{}:{alertname=\"A\"}", [1], [2]);
        log.Log(hook0, "{}:{alertname=\"A\"}", [1], [2]); // replaces the first
        Assert.Equal(2, log.Count);
        log.Snapshot(dir.File("nflog"));

        var loaded = new NotificationLogStore(clock, TimeSpan.FromHours(1));
        Assert.Equal(2, loaded.Load(dir.File("nflog")));
        var entry = loaded.Query("{}:{alertname=\"A\"}", hook0)!;
        Assert.Equal([1UL], entry.FiringAlerts);
        Assert.Equal([2UL], entry.ResolvedAlerts);
        Assert.True(entry.IsFiringSubset(new HashSet<ulong> { 1 }));
        Assert.False(entry.IsFiringSubset(new HashSet<ulong> { 1, 3 }));
        Assert.Null(loaded.Query("{}:{alertname=\"B\"}", hook0));

        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(2, loaded.CollectGarbage());
    }
}
