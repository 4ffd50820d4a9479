using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Vigil.Server.Hosting;
using Vigil.Testing;

namespace Vigil.Server.Tests.Hosting;

/// <summary>A Vigil host on an in-memory TestServer with its own temp data dir.</summary>
public sealed class TestVigil : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("vigil-server");

    private TestVigil()
    {
    }

    public WebApplication App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string DataPath => Path.Combine(_dir.Path, "data");

    public string Dir => _dir.Path;

    public static async Task<TestVigil> StartAsync(Func<TestVigil, ServerOptions>? options = null)
    {
        var vigil = new TestVigil();
        var o = options?.Invoke(vigil) ?? new ServerOptions { DataPath = vigil.DataPath };
        vigil.App = VigilHost.Build(o, b => b.WebHost.UseTestServer());
        await vigil.App.StartAsync();
        vigil.Client = vigil.App.GetTestClient();
        return vigil;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        _dir.Dispose();
    }
}
