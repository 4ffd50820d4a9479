using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Wal;

/// <summary>One segment file found on disk.</summary>
/// <param name="Directory">The directory it is in (the WAL or a checkpoint).</param>
/// <param name="Index">Its index, parsed from the name.</param>
/// <param name="Length">Its length when listed.</param>
internal readonly record struct SegmentFile(string Directory, int Index, long Length)
{
    public string Path => System.IO.Path.Combine(Directory, WalFormat.SegmentName(Index));
}

/// <summary>Listing segments and checkpoints in a WAL directory.</summary>
internal static class WalDirectory
{
    /// <summary>
    /// The segments in <paramref name="directory"/> in index order. Indices must be consecutive: a gap means a
    /// segment was lost, and replaying across it would silently drop records, so it is a corruption.
    /// </summary>
    public static List<SegmentFile> ListSegments(IFileSystem fs, string directory)
    {
        var segments = new List<SegmentFile>();
        if (!fs.DirectoryExists(directory))
        {
            return segments;
        }
        foreach (var name in fs.ListFiles(directory))
        {
            if (WalFormat.TryParseSegmentName(name, out var index))
            {
                segments.Add(new SegmentFile(directory, index, fs.GetFileLength(System.IO.Path.Combine(directory, name))));
            }
        }
        segments.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        for (var i = 1; i < segments.Count; i++)
        {
            if (segments[i].Index == segments[i - 1].Index)
            {
                throw new CorruptionException(new WalCorruption(directory, segments[i].Index, 0, 0, "two segment files have the same index (names differ only in leading zeros)"));
            }
            if (segments[i].Index != segments[i - 1].Index + 1)
            {
                throw new CorruptionException(new WalCorruption(directory, segments[i - 1].Index + 1, 0, 0,
                    $"segment is missing: segments are not consecutive ({WalFormat.SegmentName(segments[i - 1].Index)} is followed by {WalFormat.SegmentName(segments[i].Index)})"));
            }
        }
        return segments;
    }

    /// <summary>The newest complete checkpoint, or null.</summary>
    public static (int Index, string Path)? LastCheckpoint(IFileSystem fs, string directory)
    {
        (int Index, string Path)? last = null;
        foreach (var (index, path) in ListCheckpoints(fs, directory))
        {
            if (last is null || index > last.Value.Index)
            {
                last = (index, path);
            }
        }
        return last;
    }

    /// <summary>All complete checkpoints (not <c>.tmp</c>), in no particular order.</summary>
    public static List<(int Index, string Path)> ListCheckpoints(IFileSystem fs, string directory)
    {
        var list = new List<(int, string)>();
        if (!fs.DirectoryExists(directory))
        {
            return list;
        }
        foreach (var name in fs.ListDirectories(directory))
        {
            if (WalFormat.TryParseCheckpointName(name, out var index))
            {
                list.Add((index, System.IO.Path.Combine(directory, name)));
            }
        }
        return list;
    }

    /// <summary>Deletes checkpoint directories a crash left half-written.</summary>
    public static void DeleteTempCheckpoints(IFileSystem fs, string directory)
    {
        if (!fs.DirectoryExists(directory))
        {
            return;
        }
        foreach (var name in fs.ListDirectories(directory))
        {
            if (WalFormat.IsTempCheckpoint(name))
            {
                fs.DeleteDirectory(System.IO.Path.Combine(directory, name));
            }
        }
    }
}
