using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Rules;

/// <summary>
/// The real <c>vigil serve</c> process restarted on the same data directory while an alert is pending: the alert's
/// <c>for</c> state is restored from <c>ALERTS_FOR_STATE</c> (Prometheus 2.42's <c>RestoreForState</c>) with the
/// downtime not counted, and it fires at the first evaluation at least <c>for</c> after its restored activeAt —
/// not earlier, not later. Checked from the values Vigil reports (activeAt, sample timestamps), not from wall-clock timing.
/// </summary>
public sealed class RuleRestartTests
{
    private static readonly TimeSpan s_for = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task A_pending_alert_resumes_after_a_restart_and_fires_on_time()
    {
        using var dir = new TempDirectory("vigil-rule-restart");
        File.WriteAllText(dir.File("rules.yml"), """
            groups:
              - name: restart
                interval: 1s
                rules:
                  - alert: Slow
                    expr: vector(1)
                    for: 12s
            """);
        var config = dir.File("vigil.yml");
        File.WriteAllText(config, "rule_files: [rules.yml]\n");
        var data = Path.Combine(dir.Path, "data");
        string[] args = [$"--config.file={config}", "--rules.alert.for-grace-period=1s"];

        DateTimeOffset originalActiveAt;
        await using (var first = await VigilProcess.StartServeAsync(data, args))
        {
            using var client = new HttpClient { BaseAddress = first.BaseAddress };
            // Pending for a few evaluations, with ALERTS_FOR_STATE written (from the second evaluation on).
            var alert = await WaitForAlertAsync(client, a => a.State == "pending" && (a.Now - a.ActiveAt) >= TimeSpan.FromSeconds(4));
            originalActiveAt = alert.ActiveAt;
            Assert.Equal(0, await first.TerminateAsync());
        }
        await using var second = await VigilProcess.StartServeAsync(data, args);
        using var http = new HttpClient { BaseAddress = second.BaseAddress };
        var forState = await QueryRangeSamplesAsync(http, "ALERTS_FOR_STATE");
        var downAtMs = forState.Where(s => s.Value == originalActiveAt.ToUnixTimeSeconds()).Max(s => s.TimestampMs);

        var fired = await WaitForAlertAsync(http, a => a.State == "firing");
        // The restored activeAt moved forward by at least the downtime (from the last for-state sample to the restart).
        Assert.True(fired.ActiveAt > originalActiveAt, $"activeAt {fired.ActiveAt:O} was not moved past {originalActiveAt:O}");
        var firstAfterRestartMs = (await QueryRangeSamplesAsync(http, "ALERTS")).Where(s => s.TimestampMs > downAtMs).Min(s => s.TimestampMs);
        // ALERTS is written again from the first evaluation after the restore, which follows the second evaluation after
        // the restart: the restore instant is within two intervals before that sample.
        var shift = fired.ActiveAt - originalActiveAt;
        var downtimeAtLeast = TimeSpan.FromMilliseconds(firstAfterRestartMs - downAtMs) - TimeSpan.FromSeconds(2);
        Assert.True(shift >= downtimeAtLeast, $"activeAt shifted by {shift}, less than the downtime ({downtimeAtLeast})");

        // Fired at the first evaluation at least `for` after the restored activeAt: not early, not late.
        var firing = await QueryRangeSamplesAsync(http, "ALERTS{alertstate=\"firing\"}");
        var firedAt = DateTimeOffset.FromUnixTimeMilliseconds(firing.Min(s => s.TimestampMs));
        Assert.True(firedAt + TimeSpan.FromMilliseconds(1) - fired.ActiveAt >= s_for, $"fired at {firedAt:O}, before activeAt {fired.ActiveAt:O} + {s_for}");
        Assert.True(firedAt - TimeSpan.FromSeconds(1) - fired.ActiveAt < s_for, $"fired at {firedAt:O}, an evaluation later than activeAt {fired.ActiveAt:O} + {s_for}");
    }

    private sealed record AlertView(string State, DateTimeOffset ActiveAt, DateTimeOffset Now);

    private static async Task<AlertView> WaitForAlertAsync(HttpClient client, Func<AlertView, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var body = await client.GetFromJsonAsync<JsonElement>("/api/v1/alerts");
            foreach (var a in body.GetProperty("data").GetProperty("alerts").EnumerateArray())
            {
                var view = new AlertView(
                    a.GetProperty("state").GetString()!,
                    DateTimeOffset.Parse(a.GetProperty("activeAt").GetString()!, CultureInfo.InvariantCulture),
                    DateTimeOffset.UtcNow);
                if (condition(view))
                {
                    return view;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"alert condition not met within 60 s: {body}");
            await Task.Delay(200);
        }
    }

    private static async Task<List<(long TimestampMs, double Value)>> QueryRangeSamplesAsync(HttpClient client, string selector)
    {
        var body = await client.GetFromJsonAsync<JsonElement>("/api/v1/query?query=" + Uri.EscapeDataString(selector + "[10m]"));
        var samples = new List<(long, double)>();
        foreach (var series in body.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            foreach (var v in series.GetProperty("values").EnumerateArray())
            {
                var ms = (long)Math.Round(v[0].GetDouble() * 1000);
                samples.Add((ms, double.Parse(v[1].GetString()!, CultureInfo.InvariantCulture)));
            }
        }
        return samples;
    }
}
