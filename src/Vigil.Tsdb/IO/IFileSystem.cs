namespace Vigil.Tsdb.IO;

/// <summary>
/// The file operations the TSDB's durable parts (the WAL, checkpoints) need, and nothing more. Every byte
/// the WAL writes and every fsync it asks for goes through this seam, so tests can wrap it to tear a write
/// part-way, fail an fsync or fail writes outright (see tests/Vigil.Tsdb.Tests/Wal/FaultInjectingFileSystem.cs).
/// Paths are ordinary OS paths; names returned by the list methods are file names, not paths.
/// </summary>
public interface IFileSystem
{
    /// <summary>Opens a file for appending, positioned at its end; creates it when <paramref name="create"/> is set and it does not exist.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist and <paramref name="create"/> is false.</exception>
    IWritableFile OpenAppend(string path, bool create);

    /// <summary>Opens an existing file for reading at arbitrary offsets.</summary>
    IReadableFile OpenRead(string path);

    /// <summary>Whether a regular file exists at <paramref name="path"/>.</summary>
    bool FileExists(string path);

    /// <summary>Whether a directory exists at <paramref name="path"/>.</summary>
    bool DirectoryExists(string path);

    /// <summary>The length of a file in bytes.</summary>
    long GetFileLength(string path);

    /// <summary>Creates a directory and any missing parents; does nothing when it exists.</summary>
    void CreateDirectory(string path);

    /// <summary>The names of the regular files directly in <paramref name="directory"/>, in no particular order.</summary>
    IReadOnlyList<string> ListFiles(string directory);

    /// <summary>The names of the directories directly in <paramref name="directory"/>, in no particular order.</summary>
    IReadOnlyList<string> ListDirectories(string directory);

    /// <summary>Cuts a file to <paramref name="length"/> bytes (no fsync; open it and call <see cref="IWritableFile.Sync"/>, or sync its directory).</summary>
    void TruncateFile(string path, long length);

    /// <summary>Renames a file or a directory; a file at the destination is replaced, a directory at the destination must not exist.</summary>
    void Rename(string source, string destination);

    /// <summary>Deletes a file; does nothing when it does not exist.</summary>
    void DeleteFile(string path);

    /// <summary>Deletes a directory and everything in it; does nothing when it does not exist.</summary>
    void DeleteDirectory(string path);

    /// <summary>Makes the directory's entries (creations, renames, deletions) durable: fsync of the directory on POSIX, nothing on Windows.</summary>
    void SyncDirectory(string path);
}
