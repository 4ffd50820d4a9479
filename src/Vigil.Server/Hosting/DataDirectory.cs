namespace Vigil.Server.Hosting;

/// <summary>Prepares the data directory: creates it when missing and proves it is writable before anything is accepted.</summary>
public static class DataDirectory
{
    /// <summary>Creates <paramref name="path"/> if needed and checks it can be written; returns the full path.</summary>
    public static string Prepare(string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".write-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new StartupException($"opening storage failed: data directory \"{path}\" (--storage.tsdb.path) is not usable: {e.Message}", e);
        }
        return full;
    }
}
