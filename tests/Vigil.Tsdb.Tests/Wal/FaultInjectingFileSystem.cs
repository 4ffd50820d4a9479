using Vigil.Testing;
using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Tests.Wal;

/// <summary>
/// Wraps an <see cref="IFileSystem"/> and asks a <see cref="FileFaults"/> schedule before every write, fsync
/// and other operation: tears writes, fails fsyncs and writes. (It lives here rather than in Vigil.Testing
/// because that project does not reference Vigil.Tsdb, where the seam is.)
/// </summary>
public sealed class FaultInjectingFileSystem(IFileSystem inner, FileFaults faults) : IFileSystem
{
    public FileFaults Faults => faults;

    public IWritableFile OpenAppend(string path, bool create)
    {
        faults.BeforeOperation("open", path);
        return new Writable(inner.OpenAppend(path, create), faults);
    }

    public IReadableFile OpenRead(string path)
    {
        faults.BeforeOperation("open", path);
        return inner.OpenRead(path);
    }

    public bool FileExists(string path) => inner.FileExists(path);

    public bool DirectoryExists(string path) => inner.DirectoryExists(path);

    public long GetFileLength(string path) => inner.GetFileLength(path);

    public void CreateDirectory(string path)
    {
        faults.BeforeOperation("mkdir", path);
        inner.CreateDirectory(path);
    }

    public IReadOnlyList<string> ListFiles(string directory) => inner.ListFiles(directory);

    public IReadOnlyList<string> ListDirectories(string directory) => inner.ListDirectories(directory);

    public void TruncateFile(string path, long length)
    {
        faults.BeforeOperation("truncate", path);
        inner.TruncateFile(path, length);
    }

    public void Rename(string source, string destination)
    {
        faults.BeforeOperation("rename", source);
        inner.Rename(source, destination);
    }

    public void DeleteFile(string path)
    {
        faults.BeforeOperation("delete", path);
        inner.DeleteFile(path);
    }

    public void DeleteDirectory(string path)
    {
        faults.BeforeOperation("delete", path);
        inner.DeleteDirectory(path);
    }

    public void SyncDirectory(string path)
    {
        faults.BeforeSync(path);
        inner.SyncDirectory(path);
    }

    private sealed class Writable(IWritableFile file, FileFaults faults) : IWritableFile
    {
        public string Path => file.Path;

        public long Length => file.Length;

        public void Append(ReadOnlySpan<byte> data)
        {
            var (count, failure) = faults.BeforeWrite(file.Path, data.Length);
            if (count > 0)
            {
                file.Append(data[..count]);
            }
            if (failure is not null)
            {
                throw failure;
            }
        }

        public void Sync()
        {
            faults.BeforeSync(file.Path);
            file.Sync();
        }

        public void Truncate(long length)
        {
            faults.BeforeOperation("truncate", file.Path);
            file.Truncate(length);
        }

        public void Dispose() => file.Dispose();
    }
}
