using Vigil.Alerting.Alerts;
using Vigil.Model;
using Vigil.Testing;

namespace Vigil.Alerting.Tests.Alerts;

public sealed class AlertStoreTests
{
    [Theory]
    [InlineData("cea107b8f6befe35", "alertname", "A", "severity", "critical", "team", "a")]
    [InlineData("9096a31b56518752", "alertname", "A", "severity", "warning", "team", "a")]
    [InlineData("4fbce442ddbd975b", "alertname", "V1")]
    public void Fingerprints_are_those_a_real_Alertmanager_serves(string expected, params string[] labels)
        => Assert.Equal(expected, AlertFingerprint.Format(AlertFingerprint.Of(Labels.Of(labels))));

    [Fact]
    public void A_re_sent_alert_keeps_its_first_start_and_takes_the_newer_end()
    {
        var clock = new ManualClock();
        var store = new AlertStore(clock, new AlertMarker());
        var ingestion = new AlertIngestion(store, clock);
        var labels = Labels.Of("alertname", "A");
        var t0 = clock.GetUtcNow();
        Assert.Empty(ingestion.Ingest([new PostedAlert(labels, Alert.NoAnnotations, DateTimeOffset.MinValue, DateTimeOffset.MinValue, "")], TimeSpan.FromMinutes(5)));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(ingestion.Ingest([new PostedAlert(labels, Alert.NoAnnotations, DateTimeOffset.MinValue, DateTimeOffset.MinValue, "")], TimeSpan.FromMinutes(5)));
        var alert = store.Get(AlertFingerprint.Of(labels))!;
        Assert.Equal(t0, alert.StartsAt);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(5), alert.EndsAt);
        Assert.True(alert.Timeout);
        Assert.Equal(2, ingestion.ReceivedFiring);
    }

    [Fact]
    public void An_explicit_end_is_not_replaced_by_a_timeout_and_resolved_alerts_are_collected()
    {
        var clock = new ManualClock();
        var marker = new AlertMarker();
        var store = new AlertStore(clock, marker);
        var ingestion = new AlertIngestion(store, clock);
        var labels = Labels.Of("alertname", "A");
        var end = clock.GetUtcNow() + TimeSpan.FromMinutes(30);
        ingestion.Ingest([new PostedAlert(labels, Alert.NoAnnotations, clock.GetUtcNow(), end, "")], TimeSpan.FromMinutes(5));
        clock.Advance(TimeSpan.FromMinutes(1));
        ingestion.Ingest([new PostedAlert(labels, Alert.NoAnnotations, DateTimeOffset.MinValue, DateTimeOffset.MinValue, "")], TimeSpan.FromMinutes(5));
        Assert.Equal(end, store.Get(AlertFingerprint.Of(labels))!.EndsAt);
        Assert.False(store.Get(AlertFingerprint.Of(labels))!.Timeout);

        marker.SetSilenced(AlertFingerprint.Of(labels), ["x"]);
        Assert.Equal(0, store.CollectGarbage());
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(1, store.CollectGarbage());
        Assert.Equal(0, store.Count);
        Assert.Equal(AlertState.Unprocessed, marker.Status(AlertFingerprint.Of(labels)).State);
    }

    [Fact]
    public void Invalid_alerts_are_refused_with_Alertmanagers_messages_and_counted()
    {
        var clock = new ManualClock();
        var store = new AlertStore(clock, new AlertMarker());
        var ingestion = new AlertIngestion(store, clock);
        var now = clock.GetUtcNow();
        var errors = ingestion.Ingest(
        [
            new PostedAlert(Labels.Of("alertname", "A", "bad-name", "x"), Alert.NoAnnotations, DateTimeOffset.MinValue, DateTimeOffset.MinValue, ""),
            new PostedAlert(Labels.Empty, Alert.NoAnnotations, DateTimeOffset.MinValue, DateTimeOffset.MinValue, ""),
            new PostedAlert(Labels.Of("a", "b"), Alert.NoAnnotations, now + TimeSpan.FromHours(1), now - TimeSpan.FromHours(1), ""),
            new PostedAlert(Labels.Of("a", "c"), Alert.NoAnnotations, DateTimeOffset.MinValue, DateTimeOffset.MinValue, ""),
        ], TimeSpan.FromMinutes(5));
        Assert.Equal(["invalid label set: invalid name \"bad-name\"", "at least one label pair required", "start time must be before end time"], errors);
        Assert.Equal(3, ingestion.Invalid);
        Assert.Equal(1, store.Count);
    }
}
