using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Amtool;

/// <summary>The same requests to a real Alertmanager 0.25 and to Vigil give the same JSON (times the server sets and IDs aside).</summary>
public sealed class SideBySideTests
{
    private const string Config = """
        route:
          receiver: default
          group_by: [alertname]
          routes:
            - matchers: [team="a"]
              receiver: team-a
        receivers:
          - name: default
          - name: team-a
        inhibit_rules:
          - source_matchers: [severity="critical"]
            target_matchers: [severity="warning"]
            equal: [alertname]
        """;

    [Fact]
    public async Task Alerts_groups_silences_receivers_and_status_have_Alertmanagers_shapes()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("alertmanager.yml"), Config);
        await using var real = await AlertmanagerInstance.StartAsync(Config);
        await using var vigil = await VigilProcess.StartServeAsync(dir.File("data"), $"--alertmanager.config.file={dir.File("alertmanager.yml")}");
        using var am = new HttpClient { BaseAddress = real.BaseAddress };
        using var vg = new HttpClient { BaseAddress = vigil.BaseAddress };

        var start = DateTimeOffset.UtcNow.AddMinutes(-5);
        var end = DateTimeOffset.UtcNow.AddHours(1);
        var alerts = new object[]
        {
            new { labels = new Dictionary<string, string> { ["alertname"] = "Disk", ["severity"] = "critical", ["team"] = "a", ["job"] = "node" }, annotations = new Dictionary<string, string> { ["summary"] = "full", ["empty"] = "" }, startsAt = start, endsAt = end, generatorURL = "http://prom/graph" },
            new { labels = new Dictionary<string, string> { ["alertname"] = "Disk", ["severity"] = "warning", ["team"] = "a", ["job"] = "node", ["drop"] = "" }, startsAt = start, endsAt = end },
            new { labels = new Dictionary<string, string> { ["alertname"] = "Load", ["instance"] = "b" }, startsAt = start, endsAt = end },
            new { labels = new Dictionary<string, string> { ["alertname"] = "Load", ["instance"] = "a" }, startsAt = start, endsAt = end },
        };
        var silence = new { matchers = new object[] { new { name = "alertname", value = "Load", isRegex = false }, new { name = "instance", value = "b|c", isRegex = true, isEqual = true } }, startsAt = start, endsAt = end, createdBy = "me", comment = "side by side" };
        foreach (var http in new[] { am, vg })
        {
            (await http.PostAsJsonAsync("/api/v2/alerts", alerts)).EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync("/api/v2/silences", silence)).EnsureSuccessStatusCode();
        }

        foreach (var path in new[] { "/api/v2/alerts", "/api/v2/alerts?silenced=false&inhibited=false", "/api/v2/alerts?filter=alertname%3D%22Disk%22", "/api/v2/alerts?receiver=team-.*", "/api/v2/alerts/groups", "/api/v2/silences", "/api/v2/receivers" })
        {
            var expected = Normalize(await am.GetStringAsync(path));
            var actual = Normalize(await vg.GetStringAsync(path));
            Assert.True(expected == actual, $"{path}\nalertmanager: {expected}\nvigil:        {actual}");
        }

        Assert.Equal(4, JsonNode.Parse(await vg.GetStringAsync("/api/v2/alerts"))!.AsArray().Count);
        Assert.Equal(2, JsonNode.Parse(await vg.GetStringAsync("/api/v2/alerts?silenced=false&inhibited=false"))!.AsArray().Count);

        var amStatus = JsonNode.Parse(await am.GetStringAsync("/api/v2/status"))!;
        var vgStatus = JsonNode.Parse(await vg.GetStringAsync("/api/v2/status"))!;
        Assert.Equal(amStatus["cluster"]!.ToJsonString(), vgStatus["cluster"]!.ToJsonString());
        Assert.Equal(Keys(amStatus), Keys(vgStatus));
        Assert.Equal(Keys(amStatus["versionInfo"]!), Keys(vgStatus["versionInfo"]!));
        Assert.Equal("0.25.0", vgStatus["versionInfo"]!["version"]!.GetValue<string>());
    }

    private static string Keys(JsonNode node) => string.Join(",", node.AsObject().Select(static p => p.Key));

    // Times the server sets (updatedAt, a silence's start moved to now) and random silence IDs differ by nature.
    private static string Normalize(string json)
    {
        var node = JsonNode.Parse(json)!;
        Walk(node);
        return node.ToJsonString();

        static void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var key in new[] { "updatedAt", "id" })
                    {
                        if (o.ContainsKey(key))
                        {
                            o[key] = "X";
                        }
                    }
                    if (o["silencedBy"] is JsonArray s)
                    {
                        for (var i = 0; i < s.Count; i++)
                        {
                            s[i] = "X";
                        }
                    }
                    if (o.ContainsKey("createdBy") && o.ContainsKey("startsAt"))
                    {
                        o["startsAt"] = "X";
                    }
                    foreach (var p in o.ToList())
                    {
                        Walk(p.Value);
                    }
                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Walk(item);
                    }
                    break;
            }
        }
    }
}
