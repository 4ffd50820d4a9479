using System.Runtime.InteropServices;

namespace Vigil.Tsdb.IO;

/// <summary>Hard links (POSIX <c>link(2)</c>), for snapshots that share immutable block files instead of copying them.</summary>
internal static partial class HardLink
{
    /// <summary>Creates <paramref name="link"/> as a second name of <paramref name="existing"/>; copies the file where links are not possible.</summary>
    public static void Create(string existing, string link)
    {
        if (!OperatingSystem.IsWindows() && Link(existing, link) == 0)
        {
            return;
        }
        // Different file system, or no link support: a copy is slower but just as correct.
        File.Copy(existing, link);
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string link);
}
