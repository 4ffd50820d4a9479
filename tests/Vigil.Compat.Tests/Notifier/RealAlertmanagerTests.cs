using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Vigil.Model;
using Vigil.Rules.Alerts;
using Vigil.Scrape.Config;
using Vigil.Server.Notifier;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Notifier;

/// <summary>
/// Vigil's <see cref="AlertmanagerNotifier"/> delivers rule alerts to a real Alertmanager 0.25
/// (<c>prometheus-alertmanager</c> on a free loopback port, temp storage, no cluster), which lists them on
/// <c>GET /api/v2/alerts</c> with the external labels and relabeling applied.
/// </summary>
public sealed class RealAlertmanagerTests
{
    [Fact]
    public async Task Alerts_sent_by_the_notifier_are_visible_in_alertmanager()
    {
        using var dir = new TempDirectory();
        await using var am = await AlertmanagerProcess.StartAsync(dir);
        Assert.True(ConfigLoader.TryLoad($$"""
            global:
              external_labels: {cluster: eu1}
            alerting:
              alert_relabel_configs:
              - source_labels: [severity]
                regex: debug
                action: drop
              alertmanagers:
              - static_configs:
                - targets: ['127.0.0.1:{{am.Port}}']
            """, null, out var config, out var errors), ConfigLoader.Describe(errors));
        await using var notifier = new AlertmanagerNotifier();
        await notifier.ApplyConfigAsync(config!);
        notifier.Start();
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        notifier.Send(
        [
            new OutgoingAlert(Labels.Of("alertname", "HighLatency", "job", "api", "severity", "page"), Labels.Of("summary", "p99 > 1s"),
                start, start.AddMinutes(10), "http://vigil:9090/graph?g0.expr=latency&g0.tab=1"),
            new OutgoingAlert(Labels.Of("alertname", "Chatty", "severity", "debug"), Labels.Empty, start, start.AddMinutes(10), ""),
        ]);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{am.Port}") };
        JsonElement alerts = default;
        for (var i = 0; i < 200; i++)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/v2/alerts"));
            alerts = doc.RootElement.Clone();
            if (alerts.GetArrayLength() > 0)
            {
                break;
            }
            await Task.Delay(50);
        }
        var alert = Assert.Single(alerts.EnumerateArray());
        var labels = alert.GetProperty("labels");
        Assert.Equal("HighLatency", labels.GetProperty("alertname").GetString());
        Assert.Equal("eu1", labels.GetProperty("cluster").GetString());
        Assert.Equal("api", labels.GetProperty("job").GetString());
        Assert.Equal("p99 > 1s", alert.GetProperty("annotations").GetProperty("summary").GetString());
        Assert.Equal("http://vigil:9090/graph?g0.expr=latency&g0.tab=1", alert.GetProperty("generatorURL").GetString());
        Assert.Equal("active", alert.GetProperty("status").GetProperty("state").GetString());
        Assert.Equal(start.ToUnixTimeMilliseconds(), DateTimeOffset.Parse(alert.GetProperty("startsAt").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        var url = $"http://127.0.0.1:{am.Port}/api/v2/alerts";
        Assert.Equal(1, notifier.Stats[url].Sent);
        Assert.Equal(0, notifier.Stats[url].Errors);
        Assert.Equal(0, notifier.Dropped);

        // Resolving: the same alert with an end in the past leaves Alertmanager's active list.
        notifier.Send([new OutgoingAlert(Labels.Of("alertname", "HighLatency", "job", "api", "severity", "page"), Labels.Of("summary", "p99 > 1s"),
            start, DateTimeOffset.UtcNow.AddSeconds(-1), "http://vigil:9090/graph?g0.expr=latency&g0.tab=1")]);
        for (var i = 0; i < 200; i++)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/v2/alerts?active=true"));
            alerts = doc.RootElement.Clone();
            if (alerts.GetArrayLength() == 0)
            {
                break;
            }
            await Task.Delay(50);
        }
        Assert.Equal(0, alerts.GetArrayLength());
    }

    private sealed class AlertmanagerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private AlertmanagerProcess(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public static async Task<AlertmanagerProcess> StartAsync(TempDirectory dir)
        {
            var binary = ExternalTool.Require("prometheus-alertmanager", "prometheus-alertmanager");
            var config = dir.File("alertmanager.yml");
            await File.WriteAllTextAsync(config, "route:\n  receiver: none\nreceivers:\n- name: none\n");
            Directory.CreateDirectory(dir.File("data"));
            var port = FreePort.Next();
            var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in (string[])[$"--config.file={config}", $"--storage.path={dir.File("data")}", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="])
            {
                psi.ArgumentList.Add(a);
            }
            var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start prometheus-alertmanager");
            var am = new AlertmanagerProcess(process, port);
            process.OutputDataReceived += (_, e) => am.Append(e.Data);
            process.ErrorDataReceived += (_, e) => am.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            for (var i = 0; i < 300; i++)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"alertmanager exited with {process.ExitCode}:\n{am._output}");
                }
                try
                {
                    if ((await http.GetAsync($"http://127.0.0.1:{port}/-/ready")).IsSuccessStatusCode)
                    {
                        return am;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                await Task.Delay(100);
            }
            await am.DisposeAsync();
            throw new TimeoutException($"alertmanager was not ready:\n{am._output}");
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                await ExternalTool.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill();
                    await _process.WaitForExitAsync();
                }
            }
            _process.Dispose();
        }
    }
}
