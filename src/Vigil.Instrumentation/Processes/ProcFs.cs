using System.Globalization;

namespace Vigil.Instrumentation.Processes;

/// <summary>
/// Reads the Linux <c>/proc/&lt;pid&gt;</c> files client_golang's process collector reads. The directory is
/// a constructor argument so tests can point it at fixture files.
/// </summary>
internal sealed class ProcFs
{
    public ProcFs(string directory) => Directory = directory;

    /// <summary>This process's <c>/proc/self</c>.</summary>
    public static ProcFs Self { get; } = new("/proc/self");

    public string Directory { get; }

    /// <summary>Whether the directory looks like a procfs process directory.</summary>
    public bool Exists => File.Exists(Path.Combine(Directory, "stat"));

    /// <summary>
    /// <c>vsize</c> (bytes) and <c>rss</c> (pages) from <c>stat</c> (proc(5): fields 23 and 24), or null when
    /// unreadable. The command name (field 2) may hold spaces and parentheses, so fields are counted from
    /// the last <c>)</c>.
    /// </summary>
    public (long VirtualBytes, long ResidentPages)? ReadStat()
    {
        if (!TryRead("stat", out var text))
        {
            return null;
        }
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        const int VsizeIndex = 23 - 3;
        const int RssIndex = 24 - 3;
        if (fields.Length <= RssIndex
            || !long.TryParse(fields[VsizeIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var vsize)
            || !long.TryParse(fields[RssIndex], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var rss))
        {
            return null;
        }
        return (vsize, rss);
    }

    /// <summary>The number of entries in <c>fd/</c>, or null when unreadable.</summary>
    public int? CountOpenFds()
    {
        try
        {
            return System.IO.Directory.EnumerateFileSystemEntries(Path.Combine(Directory, "fd")).Count();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The soft limit on open files from <c>limits</c>; null when unreadable or unlimited.</summary>
    public long? ReadMaxFds()
    {
        if (!TryRead("limits", out var text))
        {
            return null;
        }
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                continue;
            }
            var columns = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return columns.Length > 0 && long.TryParse(columns[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
        }
        return null;
    }

    private bool TryRead(string name, out string text)
    {
        try
        {
            text = File.ReadAllText(Path.Combine(Directory, name));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            text = "";
            return false;
        }
    }
}
