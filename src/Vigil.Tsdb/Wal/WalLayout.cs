using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Wal;

/// <summary>
/// Read-only views of a WAL directory for readers outside the TSDB (the remote-write WAL watcher): which segments
/// and which checkpoint exist right now. Unlike replay, a gap between segments is not an error here: a tailer that
/// fell behind sees segments deleted by a truncation and decides itself what to do.
/// </summary>
public static class WalLayout
{
    /// <summary>The indices of the segment files in <paramref name="directory"/>, ascending (empty when it does not exist).</summary>
    public static IReadOnlyList<int> SegmentIndices(string directory, IFileSystem? fileSystem = null)
    {
        var fs = fileSystem ?? PhysicalFileSystem.Instance;
        var indices = new List<int>();
        if (!fs.DirectoryExists(directory))
        {
            return indices;
        }
        foreach (var name in fs.ListFiles(directory))
        {
            if (WalFormat.TryParseSegmentName(name, out var index))
            {
                indices.Add(index);
            }
        }
        indices.Sort();
        return indices;
    }

    /// <summary>The newest complete checkpoint (<c>checkpoint.NNNNNNNN</c>, not <c>.tmp</c>): the last segment it covers and its directory; null when there is none.</summary>
    public static (int Index, string Path)? LastCheckpoint(string directory, IFileSystem? fileSystem = null)
        => WalDirectory.LastCheckpoint(fileSystem ?? PhysicalFileSystem.Instance, directory);

    /// <summary>The path of segment <paramref name="index"/> in <paramref name="directory"/>.</summary>
    public static string SegmentPath(string directory, int index) => Path.Combine(directory, WalFormat.SegmentName(index));

    /// <summary>A reader over every segment of a checkpoint directory, in order.</summary>
    /// <exception cref="CorruptionException">The checkpoint's segments are not consecutive.</exception>
    public static WalReader OpenCheckpoint(string checkpointDirectory, IFileSystem? fileSystem = null)
        => WalReader.Open(checkpointDirectory, fileSystem: fileSystem);
}
