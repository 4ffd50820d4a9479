using System.Diagnostics;
using System.Globalization;
using System.Text;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Differential;

/// <summary>
/// A real Prometheus 2.42 (<c>/usr/bin/prometheus</c>) over a given data directory, with a configuration that
/// scrapes nothing (or one given), on a free loopback port; ready once <c>/-/ready</c> answers 200, stopped by PID with SIGTERM.
/// </summary>
public sealed class PrometheusInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PrometheusInstance(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The configuration both servers run with: no scrape jobs, a 1 m evaluation interval.</summary>
    public const string EmptyConfig = "global:\n  evaluation_interval: 1m\nscrape_configs: []\n";

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    public int Pid => _process.Id;

    /// <summary>Everything it logged so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts Prometheus on <paramref name="dataPath"/>, writing its configuration into <paramref name="configDirectory"/>.</summary>
    public static Task<PrometheusInstance> StartAsync(string dataPath, string configDirectory, TimeSpan? readyTimeout = null, params string[] extraArgs)
        => StartWithConfigAsync(dataPath, configDirectory, EmptyConfig, readyTimeout, extraArgs);

    /// <summary>Starts Prometheus on <paramref name="dataPath"/> with <paramref name="configYaml"/> as its configuration.</summary>
    public static async Task<PrometheusInstance> StartWithConfigAsync(string dataPath, string configDirectory, string configYaml, TimeSpan? readyTimeout = null, params string[] extraArgs)
    {
        var prometheus = ExternalTool.Require("prometheus", "prometheus");
        var config = Path.Combine(configDirectory, "prometheus.yml");
        await File.WriteAllTextAsync(config, configYaml);
        var port = FreePort.Next();
        var psi = new ProcessStartInfo(prometheus)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[$"--config.file={config}", $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", $"--storage.tsdb.path={dataPath}", .. extraArgs])
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start prometheus");
        var server = new PrometheusInstance(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (readyTimeout ?? TimeSpan.FromSeconds(120));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {process.ExitCode}:\n{server.Output}");
            }
            try
            {
                if ((await http.GetAsync("/-/ready")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new TimeoutException($"prometheus was not ready in time:\n{server.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM by PID, so Prometheus closes its TSDB cleanly.
            await ExternalTool.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
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
}
