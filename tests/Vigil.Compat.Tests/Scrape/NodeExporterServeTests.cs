using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Scrape;

/// <summary>
/// End to end, as a user would run it: Debian's prometheus-node-exporter on loopback, <c>vigil serve
/// --config.file</c> scraping it every second, and Vigil's HTTP API showing the result.
/// </summary>
public sealed class NodeExporterServeTests
{
    [Fact]
    public async Task Vigil_serve_scrapes_node_exporter_and_the_api_shows_it_up_with_hundreds_of_node_series()
    {
        var exporterPath = ExternalTool.Require("prometheus-node-exporter", "prometheus-node-exporter");
        using var dir = new TempDirectory("vigil-node");
        var port = FreePort.Next();
        var psi = new ProcessStartInfo(exporterPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        using var exporter = Process.Start(psi) ?? throw new InvalidOperationException("could not start node_exporter");
        exporter.OutputDataReceived += (_, _) => { };
        exporter.ErrorDataReceived += (_, _) => { };
        exporter.BeginOutputReadLine();
        exporter.BeginErrorReadLine();
        try
        {
            await WaitForPortAsync(port);
            var config = dir.File("prometheus.yml");
            File.WriteAllText(config, $"""
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: node
                    static_configs:
                      - targets: ['127.0.0.1:{port}']

                """);
            await using var vigil = await VigilProcess.StartServeAsync(dir.File("data"), $"--config.file={config}");
            using var http = new HttpClient { BaseAddress = vigil.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

            var up = await WaitForResultAsync(http, "up{job=\"node\"} == 1", vigil);
            Assert.Equal($"127.0.0.1:{port}", up[0].GetProperty("metric").GetProperty("instance").GetString());

            var count = await WaitForResultAsync(http, "count({__name__=~\"node_.+\", job=\"node\"})", vigil);
            var series = double.Parse(count[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(series >= 200, $"only {series} node_* series");

            using var targets = JsonDocument.Parse(await http.GetStringAsync("/api/v1/targets"));
            var active = Assert.Single(targets.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray());
            Assert.Equal("up", active.GetProperty("health").GetString());
            Assert.Equal($"http://127.0.0.1:{port}/metrics", active.GetProperty("scrapeUrl").GetString());

            using var metadata = JsonDocument.Parse(await http.GetStringAsync("/api/v1/targets/metadata?metric=node_cpu_seconds_total"));
            Assert.Equal("counter", Assert.Single(metadata.RootElement.GetProperty("data").EnumerateArray()).GetProperty("type").GetString());

            Assert.Equal(0, await vigil.TerminateAsync());
        }
        finally
        {
            if (!exporter.HasExited)
            {
                exporter.Kill();
                await exporter.WaitForExitAsync();
            }
        }
    }

    private static async Task<JsonElement> WaitForResultAsync(HttpClient http, string query, VigilProcess vigil)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (true)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query)));
            var result = doc.RootElement.GetProperty("data").GetProperty("result");
            if (result.GetArrayLength() > 0)
            {
                return result.Clone();
            }
            Assert.True(DateTime.UtcNow < deadline, $"no result for {query} within 45 s:\n{vigil.Output}");
            await Task.Delay(200);
        }
    }

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
