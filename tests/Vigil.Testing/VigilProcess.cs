using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Testing;

/// <summary>
/// A real <c>vigil</c> process (the vigil.dll copied next to the test assembly), started with
/// <c>dotnet vigil.dll ...</c> on a free loopback port and stopped by PID with SIGTERM.
/// </summary>
public sealed partial class VigilProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private VigilProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public int Pid => _process.Id;

    /// <summary>Everything the process printed so far (stdout and stderr interleaved).</summary>
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

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "vigil.dll");

    /// <summary>Runs <c>vigil args...</c> to completion (for commands that exit).</summary>
    public static Task<ExternalTool.Result> RunAsync(params string[] args)
        => ExternalTool.RunAsync("dotnet", [DllPath, .. args], timeout: TimeSpan.FromSeconds(60));

    /// <summary>Starts <c>vigil serve</c> with a free port and the given data dir, and waits until /-/ready answers 200.</summary>
    public static async Task<VigilProcess> StartServeAsync(string dataPath, params string[] extraArgs)
    {
        var port = FreePort.Next();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[DllPath, "serve", $"--web.listen-address=127.0.0.1:{port}", $"--storage.tsdb.path={dataPath}", .. extraArgs])
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start vigil");
        var vigil = new VigilProcess(process, port);
        process.OutputDataReceived += (_, e) => vigil.Append(e.Data);
        process.ErrorDataReceived += (_, e) => vigil.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = vigil.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"vigil exited with {process.ExitCode} before it was ready:\n{vigil.Output}");
            }
            try
            {
                var response = await http.GetAsync("/-/ready");
                if (response.IsSuccessStatusCode)
                {
                    return vigil;
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
        await vigil.DisposeAsync();
        throw new TimeoutException($"vigil was not ready within 60 s:\n{vigil.Output}");
    }

    /// <summary>Sends SIGTERM and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
