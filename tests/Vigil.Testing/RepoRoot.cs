namespace Vigil.Testing;

/// <summary>The repository's root directory (where Vigil.slnx is), found from the test binary's location.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Vigil.slnx")))
        {
            dir = dir.Parent;
        }
        if (dir is not null)
        {
            return dir.FullName;
        }
        // Built elsewhere (--artifacts-path): fall back to where the source was at build time.
        var baked = typeof(RepoRoot).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "VigilRepoRoot")?.Value;
        return baked is not null && File.Exists(System.IO.Path.Combine(baked, "Vigil.slnx"))
            ? baked.TrimEnd('/')
            : throw new InvalidOperationException($"Vigil.slnx not found above {AppContext.BaseDirectory}");
    }
}
