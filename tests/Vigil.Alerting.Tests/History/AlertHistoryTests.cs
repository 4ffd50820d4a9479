using Vigil.Alerting.Alerts;
using Vigil.Alerting.History;
using Vigil.Alerting.Matching;
using Vigil.Model;
using Vigil.Testing;

namespace Vigil.Alerting.Tests.History;

public sealed class AlertHistoryTests
{
    private static Alert Firing(ManualClock clock, string name) => new(Labels.Of("alertname", name), Alert.NoAnnotations, clock.GetUtcNow(), clock.GetUtcNow() + TimeSpan.FromMinutes(5), "", clock.GetUtcNow(), true);

    [Fact]
    public void Events_survive_reopening_a_torn_file_and_retention_keeps_the_newest()
    {
        using var dir = new TempDirectory();
        var clock = new ManualClock();
        using (var history = new AlertHistory(clock, maxEvents: 3, maxAge: TimeSpan.FromDays(1), dir.File("history.jsonl")))
        {
            foreach (var name in new[] { "A", "B", "C", "D" })
            {
                history.RecordAlert(Firing(clock, name));
                clock.Advance(TimeSpan.FromMinutes(1));
            }
            history.RecordAlert(Firing(clock, "D")); // no change: not recorded again
            Assert.Equal(3, history.Count);
            history.Flush();
        }
        File.AppendAllText(dir.File("history.jsonl"), "{\"time\":\"2026-"); // a torn append
        using (var reopened = new AlertHistory(clock, maxEvents: 3, maxAge: TimeSpan.FromDays(1), dir.File("history.jsonl")))
        {
            var all = reopened.Query([], DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
            Assert.Equal(["B", "C", "D"], all.Select(e => e.Labels.Get("alertname")));
            var d = reopened.Query([Matcher.Create(LabelMatchType.Equal, "alertname", "D")], DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
            Assert.Equal(HistoryEventKind.Firing, Assert.Single(d).Kind);

            clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));
            reopened.Flush();
            Assert.Equal(0, reopened.Count);
        }
    }
}
