using System.Diagnostics;
using System.Net.Sockets;
using Vigil.Model;
using Vigil.Scrape.Scraping;
using Vigil.Storage;
using Vigil.Testing;
using Vigil.Tsdb;

namespace Vigil.Compat.Tests.Scrape;

/// <summary>Debian's prometheus-node-exporter as a real target, scraped through a scrape pool into a TSDB head.</summary>
public sealed class NodeExporterScrapeTests
{
    [Fact]
    public async Task Node_exporter_is_up_and_exposes_hundreds_of_node_series()
    {
        var exporter = ExternalTool.Require("prometheus-node-exporter", "prometheus-node-exporter");
        var port = FreePort.Next();
        var psi = new ProcessStartInfo(exporter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node_exporter");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitForPortAsync(port);

            var clock = new ManualClock();
            var head = new Head();
            var url = new Uri($"http://127.0.0.1:{port}/metrics");
            var labels = Labels.Of(
                "job", "node",
                "instance", url.Authority,
                ScrapeLabels.Address, url.Authority,
                ScrapeLabels.Scheme, "http",
                ScrapeLabels.MetricsPath, "/metrics");
            var interval = TimeSpan.FromSeconds(15);
            await using var pool = new ScrapePool("node", head, new ScrapePoolOptions { TimeProvider = clock });
            await pool.SyncAsync([new ScrapeTarget { Labels = labels, Url = url, Interval = interval, Timeout = TimeSpan.FromSeconds(10) }]);

            for (var i = 0; i < 3; i++)
            {
                clock.Advance(interval);
                var expected = clock.GetUtcNow();
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (pool.Targets()[0].LastScrape != expected)
                {
                    Assert.True(DateTime.UtcNow < deadline, "node_exporter was not scraped in time");
                    await Task.Delay(20);
                }
            }

            var status = Assert.Single(pool.Targets());
            Assert.Equal((TargetHealth.Up, ""), (status.Health, status.LastError));

            using var querier = head.Querier(long.MinValue, long.MaxValue);
            var up = querier.Select(false, [LabelMatcher.Create(LabelMatchType.Equal, Label.MetricName, "up"), LabelMatcher.Create(LabelMatchType.Equal, "job", "node")]);
            Assert.True(up.Next());
            var it = up.At().Iterator();
            var ups = new List<double>();
            while (it.Next())
            {
                ups.Add(it.At().Value);
            }
            Assert.Equal([1.0, 1, 1], ups);

            var nodeSeries = 0;
            var set = querier.Select(false, [LabelMatcher.Create(LabelMatchType.Regex, Label.MetricName, "node_.+"), LabelMatcher.Create(LabelMatchType.Equal, "job", "node")]);
            while (set.Next())
            {
                Assert.Equal(url.Authority, set.At().Labels.Get("instance"));
                nodeSeries++;
            }
            Assert.True(nodeSeries >= 200, $"only {nodeSeries} node_* series");

            Assert.Contains(pool.Metadata(), m => m is { Metric: "node_cpu_seconds_total", Type: MetricType.Counter });
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
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
