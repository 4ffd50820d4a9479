using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Vigil.Tsdb.IO;

/// <summary>
/// The real <see cref="IFileSystem"/>: <see cref="RandomAccess"/> over <see cref="SafeFileHandle"/>s, so an
/// append is one <c>pwrite</c> with no buffering in this process (when <see cref="IWritableFile.Append"/>
/// returns, the bytes are the kernel's) and <see cref="IWritableFile.Sync"/> is <c>fsync</c>.
/// </summary>
public sealed partial class PhysicalFileSystem : IFileSystem
{
    /// <summary>The one instance; the type has no state.</summary>
    public static PhysicalFileSystem Instance { get; } = new();

    private PhysicalFileSystem()
    {
    }

    /// <inheritdoc/>
    public IWritableFile OpenAppend(string path, bool create)
    {
        var handle = File.OpenHandle(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        return new WritableFile(path, handle);
    }

    /// <inheritdoc/>
    public IReadableFile OpenRead(string path)
        => new ReadableFile(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));

    /// <inheritdoc/>
    public bool FileExists(string path) => File.Exists(path);

    /// <inheritdoc/>
    public bool DirectoryExists(string path) => Directory.Exists(path);

    /// <inheritdoc/>
    public long GetFileLength(string path) => new FileInfo(path).Length;

    /// <inheritdoc/>
    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    /// <inheritdoc/>
    public IReadOnlyList<string> ListFiles(string directory)
    {
        var names = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            names.Add(System.IO.Path.GetFileName(path));
        }
        return names;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> ListDirectories(string directory)
    {
        var names = new List<string>();
        foreach (var path in Directory.EnumerateDirectories(directory))
        {
            names.Add(System.IO.Path.GetFileName(path));
        }
        return names;
    }

    /// <inheritdoc/>
    public void TruncateFile(string path, long length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.SetLength(handle, length);
    }

    /// <inheritdoc/>
    public void Rename(string source, string destination)
    {
        if (Directory.Exists(source))
        {
            Directory.Move(source, destination);
        }
        else
        {
            File.Move(source, destination, overwrite: true);
        }
    }

    /// <inheritdoc/>
    public void DeleteFile(string path) => File.Delete(path);

    /// <inheritdoc/>
    public void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <inheritdoc/>
    public void SyncDirectory(string path)
    {
        // .NET cannot open a directory as a file, and a new or renamed entry is only durable once its
        // directory is fsynced (POSIX), so this goes to libc. Windows has no such step.
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var fd = NativeMethods.Open(path, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"open directory \"{path}\" for fsync failed: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (NativeMethods.Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory \"{path}\" failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        internal static partial int Fsync(int fd);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);
    }

    private sealed class WritableFile(string path, SafeFileHandle handle) : IWritableFile
    {
        private long _length = RandomAccess.GetLength(handle);

        public string Path { get; } = path;

        public long Length => _length;

        public void Append(ReadOnlySpan<byte> data)
        {
            try
            {
                RandomAccess.Write(handle, data, _length);
                _length += data.Length;
            }
            catch (IOException)
            {
                // Part of the data may have landed: trust the file system about where the end is now.
                _length = RandomAccess.GetLength(handle);
                throw;
            }
        }

        public void Sync() => RandomAccess.FlushToDisk(handle);

        public void Truncate(long length)
        {
            RandomAccess.SetLength(handle, length);
            _length = length;
        }

        public void Dispose() => handle.Dispose();
    }

    private sealed class ReadableFile(SafeFileHandle handle) : IReadableFile
    {
        public long Length { get; } = RandomAccess.GetLength(handle);

        public int ReadAt(long offset, Span<byte> destination) => RandomAccess.Read(handle, destination, offset);

        public void Dispose() => handle.Dispose();
    }
}
