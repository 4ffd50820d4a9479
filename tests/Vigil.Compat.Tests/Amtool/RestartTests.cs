using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Amtool;

/// <summary>
/// Silences and the notification log survive a restart, even a kill -9, so a restarted Vigil does not notify again
/// what it notified before (outside the documented loss window: the notification log is written within a second).
/// </summary>
public sealed class RestartTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Silences_and_notification_log_survive_a_restart_and_nothing_is_notified_twice(bool sigkill)
    {
        using var sink = new WebhookSink();
        using var dir = new TempDirectory();
        var config = dir.File("alertmanager.yml");
        await File.WriteAllTextAsync(config, $"""
            route:
              receiver: hook
              group_by: [alertname]
              group_wait: 1s
              group_interval: 1m
              repeat_interval: 4h
            receivers:
              - name: hook
                webhook_configs:
                  - url: {sink.Url}
            """);
        var alert = new[] { new { labels = new Dictionary<string, string> { ["alertname"] = "Restart", ["instance"] = "a" }, startsAt = DateTimeOffset.UtcNow.AddMinutes(-1), endsAt = DateTimeOffset.UtcNow.AddHours(1) } };
        string silenceId;
        await using (var vigil = await VigilProcess.StartServeAsync(dir.File("data"), $"--alertmanager.config.file={config}"))
        {
            using var http = new HttpClient { BaseAddress = vigil.BaseAddress };
            (await http.PostAsJsonAsync("/api/v2/alerts", alert)).EnsureSuccessStatusCode();
            var silence = new { matchers = new[] { new { name = "alertname", value = "Other", isRegex = false } }, startsAt = DateTimeOffset.UtcNow, endsAt = DateTimeOffset.UtcNow.AddHours(1), createdBy = "me", comment = "survives" };
            var created = await (await http.PostAsJsonAsync("/api/v2/silences", silence)).Content.ReadFromJsonAsync<JsonElement>();
            silenceId = created.GetProperty("silenceID").GetString()!;
            await sink.WaitForAsync(1);
            // The notification log is written within a second of the notification; wait until it is on disk.
            await WaitUntilAsync(() => File.Exists(dir.File("data/alertmanager/nflog")) && File.ReadAllText(dir.File("data/alertmanager/nflog")).Contains("Restart", StringComparison.Ordinal));
            if (!sigkill)
            {
                Assert.Equal(0, await vigil.TerminateAsync());
            }
            // Disposing a live process kills it with SIGKILL.
        }

        await using (var vigil = await VigilProcess.StartServeAsync(dir.File("data"), $"--alertmanager.config.file={config}"))
        {
            using var http = new HttpClient { BaseAddress = vigil.BaseAddress };
            var silence = await (await http.GetAsync($"/api/v2/silence/{silenceId}")).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("survives", silence.GetProperty("comment").GetString());
            Assert.Equal("active", silence.GetProperty("status").GetProperty("state").GetString());

            (await http.PostAsJsonAsync("/api/v2/alerts", alert)).EnsureSuccessStatusCode();
            // The alert is older than group_wait, so its group flushes at once; the dedup stage queries the log.
            await WaitUntilAsync(async () => (await http.GetStringAsync("/metrics")).Contains("alertmanager_nflog_queries_total 1", StringComparison.Ordinal));
            Assert.Single(sink.Payloads);
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met within 60 s");
            }
            await Task.Delay(50);
        }
    }
}
