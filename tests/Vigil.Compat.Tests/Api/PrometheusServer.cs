using System.Diagnostics;
using System.Text;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Api;

/// <summary>
/// A real Prometheus 2.42 (Debian's /usr/bin/prometheus) on a free loopback port over a given data directory,
/// with an empty configuration (no scraping); stopped by PID with SIGTERM.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PrometheusServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

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

    /// <summary>Starts Prometheus with an empty configuration (<c>global: {}</c>).</summary>
    public static Task<PrometheusServer> StartAsync(string dataPath, string configDirectory, params string[] extraArgs)
        => StartWithConfigAsync(dataPath, configDirectory, "global: {}\n", extraArgs);

    /// <summary>Starts Prometheus with <paramref name="configYaml"/> as its configuration and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartWithConfigAsync(string dataPath, string configDirectory, string configYaml, params string[] extraArgs)
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
        foreach (var a in (string[])[$"--config.file={config}", $"--web.listen-address=127.0.0.1:{port}", $"--storage.tsdb.path={dataPath}", .. extraArgs])
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start prometheus");
        var server = new PrometheusServer(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
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
        throw new TimeoutException($"prometheus was not ready within 60 s:\n{server.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM by PID, so Prometheus shuts its TSDB down cleanly.
            await ExternalTool.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
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
