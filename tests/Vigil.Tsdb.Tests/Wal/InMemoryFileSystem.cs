using Vigil.Tsdb.IO;

namespace Vigil.Tsdb.Tests.Wal;

/// <summary>
/// An <see cref="IFileSystem"/> in memory, so crash tests can copy a whole WAL and tear it at every byte
/// cheaply. Paths are compared as strings; use <see cref="Path.Combine(string, string)"/> consistently.
/// </summary>
public sealed class InMemoryFileSystem : IFileSystem
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MemoryFile> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);

    public InMemoryFileSystem Clone()
    {
        lock (_gate)
        {
            var copy = new InMemoryFileSystem();
            foreach (var (path, file) in _files)
            {
                copy._files[path] = new MemoryFile { Data = file.Data[..file.Length].ToArray(), Length = file.Length };
            }
            copy._directories.UnionWith(_directories);
            return copy;
        }
    }

    /// <summary>The file's bytes, a copy.</summary>
    public byte[] ReadAllBytes(string path)
    {
        lock (_gate)
        {
            var file = Get(path);
            return file.Data[..file.Length].ToArray();
        }
    }

    /// <summary>Replaces the file's bytes.</summary>
    public void WriteAllBytes(string path, byte[] bytes)
    {
        lock (_gate)
        {
            _files[path] = new MemoryFile { Data = bytes.ToArray(), Length = bytes.Length };
        }
    }

    public IWritableFile OpenAppend(string path, bool create)
    {
        lock (_gate)
        {
            if (!_files.TryGetValue(path, out var file))
            {
                if (!create)
                {
                    throw new FileNotFoundException("no such file", path);
                }
                RequireDirectory(Path.GetDirectoryName(path)!);
                file = new MemoryFile();
                _files[path] = file;
            }
            return new Writable(this, path);
        }
    }

    public IReadableFile OpenRead(string path)
    {
        lock (_gate)
        {
            return new Readable(this, path, Get(path).Length);
        }
    }

    public bool FileExists(string path)
    {
        lock (_gate)
        {
            return _files.ContainsKey(path);
        }
    }

    public bool DirectoryExists(string path)
    {
        lock (_gate)
        {
            return _directories.Contains(path);
        }
    }

    public long GetFileLength(string path)
    {
        lock (_gate)
        {
            return Get(path).Length;
        }
    }

    public void CreateDirectory(string path)
    {
        lock (_gate)
        {
            for (var p = path; !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
            {
                _directories.Add(p);
            }
        }
    }

    public IReadOnlyList<string> ListFiles(string directory)
    {
        lock (_gate)
        {
            RequireDirectory(directory);
            return _files.Keys.Where(k => Path.GetDirectoryName(k) == directory).Select(Path.GetFileName).ToList()!;
        }
    }

    public IReadOnlyList<string> ListDirectories(string directory)
    {
        lock (_gate)
        {
            RequireDirectory(directory);
            return _directories.Where(d => Path.GetDirectoryName(d) == directory).Select(Path.GetFileName).ToList()!;
        }
    }

    public void TruncateFile(string path, long length)
    {
        lock (_gate)
        {
            Get(path).SetLength(length);
        }
    }

    public void Rename(string source, string destination)
    {
        lock (_gate)
        {
            if (_directories.Contains(source))
            {
                if (_directories.Contains(destination))
                {
                    throw new IOException($"directory exists: {destination}");
                }
                foreach (var d in _directories.Where(d => d == source || d.StartsWith(source + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList())
                {
                    _directories.Remove(d);
                    _directories.Add(destination + d[source.Length..]);
                }
                foreach (var f in _files.Keys.Where(f => f.StartsWith(source + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList())
                {
                    _files[destination + f[source.Length..]] = _files[f];
                    _files.Remove(f);
                }
                return;
            }
            var file = Get(source);
            _files.Remove(source);
            _files[destination] = file;
        }
    }

    public void DeleteFile(string path)
    {
        lock (_gate)
        {
            _files.Remove(path);
        }
    }

    public void DeleteDirectory(string path)
    {
        lock (_gate)
        {
            _directories.RemoveWhere(d => d == path || d.StartsWith(path + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            foreach (var f in _files.Keys.Where(f => f.StartsWith(path + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList())
            {
                _files.Remove(f);
            }
        }
    }

    public void SyncDirectory(string path)
    {
        lock (_gate)
        {
            RequireDirectory(path);
        }
    }

    private MemoryFile Get(string path)
        => _files.TryGetValue(path, out var file) ? file : throw new FileNotFoundException("no such file", path);

    private void RequireDirectory(string path)
    {
        if (!_directories.Contains(path))
        {
            throw new DirectoryNotFoundException(path);
        }
    }

    private sealed class MemoryFile
    {
        public byte[] Data = [];
        public int Length;

        public void SetLength(long length)
        {
            if (length > Data.Length)
            {
                Array.Resize(ref Data, (int)Math.Max(length, Data.Length * 2L));
            }
            if (length > Length)
            {
                Array.Clear(Data, Length, (int)length - Length);
            }
            Length = (int)length;
        }
    }

    private sealed class Writable(InMemoryFileSystem fs, string path) : IWritableFile
    {
        public string Path => path;

        public long Length
        {
            get
            {
                lock (fs._gate)
                {
                    return fs.Get(path).Length;
                }
            }
        }

        public void Append(ReadOnlySpan<byte> data)
        {
            lock (fs._gate)
            {
                var file = fs.Get(path);
                var start = file.Length;
                file.SetLength(start + data.Length);
                data.CopyTo(file.Data.AsSpan(start));
            }
        }

        public void Sync()
        {
        }

        public void Truncate(long length)
        {
            lock (fs._gate)
            {
                fs.Get(path).SetLength(length);
            }
        }

        public void Dispose()
        {
        }
    }

    private sealed class Readable(InMemoryFileSystem fs, string path, long length) : IReadableFile
    {
        public long Length => length;

        public int ReadAt(long offset, Span<byte> destination)
        {
            lock (fs._gate)
            {
                var file = fs.Get(path);
                if (offset >= file.Length)
                {
                    return 0;
                }
                var n = (int)Math.Min(destination.Length, file.Length - offset);
                file.Data.AsSpan((int)offset, n).CopyTo(destination);
                return n;
            }
        }

        public void Dispose()
        {
        }
    }
}
