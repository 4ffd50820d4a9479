using System.Collections.Immutable;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Config;
using Vigil.Alerting.Pipeline;
using Vigil.Model;

namespace Vigil.Alerting.Tests.Receivers;

/// <summary>
/// The notification a real Alertmanager 0.25 was observed sending (receiver "all", grouped by alertname and job, one
/// alert firing and one resolved, external URL http://am.example:9093); the expected payloads in these tests are
/// the bodies it POSTed to a capturing server, with only the firing alert's start time changed to .NET precision.
/// </summary>
internal static class Scenario
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 18, 3, 37, TimeSpan.Zero);

    public static readonly DateTimeOffset FiringStart = DateTimeOffset.Parse("2026-11-23T18:03:36.8507493Z", System.Globalization.CultureInfo.InvariantCulture);

    public static NotificationContext Context(string receiver = "all") => new()
    {
        Receiver = receiver,
        GroupKey = "{}:{alertname=\"Down\", job=\"api\"}",
        GroupLabels = Labels.Of("alertname", "Down", "job", "api"),
        ExternalUrl = "http://am.example:9093",
        Now = Now,
    };

    public static Alert Firing => new(
        Labels.Of("alertname", "Down", "instance", "a:1", "job", "api", "severity", "page"),
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["summary"] = "API down", ["description"] = "it is down" }),
        FiringStart, DateTimeOffset.MinValue, "http://prom/graph?g0.expr=up", Now, false);

    public static Alert Resolved => new(
        Labels.Of("alertname", "Down", "instance", "b:1", "job", "api", "severity", "page"),
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["summary"] = "API down" }),
        new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 18, 1, 0, TimeSpan.Zero), "", Now, false);

    public static IReadOnlyList<Alert> Both => [Firing, Resolved];

    public static AlertmanagerConfig Load(string yaml, string? directory = null)
    {
        if (!AlertmanagerConfigLoader.TryLoad(yaml, "alertmanager.yml", directory, out var config, out var errors))
        {
            throw new InvalidOperationException(string.Join("\n", errors));
        }
        return config;
    }

    public static string Config(string receivers) => $"""
        route:
          receiver: all
          group_by: [alertname, job]
        receivers:
        - name: all
        {receivers}
        """;
}
