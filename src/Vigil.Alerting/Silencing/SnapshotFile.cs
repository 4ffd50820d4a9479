namespace Vigil.Alerting.Silencing;

/// <summary>
/// Writes a state file atomically, as DESIGN.md asks of alerting state: the bytes go to <c>name.tmp</c>, which is
/// flushed to disk (fsync) and renamed over <c>name</c>; the directory is then synced so the rename survives a crash.
/// A reader therefore sees the previous complete snapshot or the new one, never a torn file.
/// </summary>
public static class SnapshotFile
{
    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> writes.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        SyncDirectory(directory);
    }

    /// <summary>The contents of <paramref name="path"/>, or null when it does not exist.</summary>
    public static byte[]? ReadIfExists(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows cannot open a directory as a file; NTFS journals the rename.
        }
        try
        {
            using var handle = File.OpenHandle(directory, FileMode.Open, FileAccess.Read);
            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Some file systems refuse to open directories; the rename is still atomic, only its durability is weaker.
        }
    }
}
