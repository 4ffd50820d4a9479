using System.Diagnostics;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Amtool;

/// <summary>A real prometheus-alertmanager 0.25 on 127.0.0.1 with a temp storage path and no cluster; stopped by PID.</summary>
public sealed class AlertmanagerInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _dir;

    private AlertmanagerInstance(Process process, TempDirectory dir, int port)
    {
        _process = process;
        _dir = dir;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseAddress { get; }

    public static async Task<AlertmanagerInstance> StartAsync(string config)
    {
        var binary = ExternalTool.Require("prometheus-alertmanager", "prometheus-alertmanager");
        var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("alertmanager.yml"), config);
        var port = FreePort.Next();
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[$"--config.file={dir.File("alertmanager.yml")}", $"--storage.path={dir.File("data")}", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="])
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var instance = new AlertmanagerInstance(process, dir, port);
        using var http = new HttpClient { BaseAddress = instance.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync("/-/ready")).IsSuccessStatusCode)
                {
                    return instance;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        await instance.DisposeAsync();
        throw new TimeoutException("alertmanager was not ready within 30 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _dir.Dispose();
    }
}
