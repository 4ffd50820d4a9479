using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Blocks;

/// <summary>Replaces a small file atomically: write <c>NAME.tmp</c>, fsync, rename over NAME, fsync the directory.</summary>
internal static class AtomicFile
{
    public static void Write(IFileSystem fileSystem, string path, ReadOnlySpan<byte> content)
    {
        var tmp = path + ".tmp";
        fileSystem.DeleteFile(tmp);
        try
        {
            using (var file = fileSystem.OpenAppend(tmp, create: true))
            {
                file.Append(content);
                file.Sync();
            }
            fileSystem.Rename(tmp, path);
        }
        catch
        {
            try
            {
                fileSystem.DeleteFile(tmp);
            }
            catch (IOException)
            {
                // Best effort: the original failure is the one to report.
            }
            throw;
        }
        fileSystem.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
