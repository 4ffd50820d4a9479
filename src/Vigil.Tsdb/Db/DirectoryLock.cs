using System.Globalization;

namespace Vigil.Tsdb;

/// <summary>
/// An exclusive lock on a data directory, so two processes never open the same TSDB. It is the
/// <c>lock</c> file held open with <see cref="FileShare.None"/> (an advisory <c>flock</c> on Linux):
/// the kernel drops it when the process dies, so a crash never leaves a stale lock behind.
/// </summary>
public sealed class DirectoryLock : IDisposable
{
    /// <summary>The lock file's name inside the data directory.</summary>
    public const string FileName = "lock";

    private readonly FileStream _stream;

    private DirectoryLock(FileStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock or throws <see cref="IOException"/> naming the directory and the holder's PID.</summary>
    public static DirectoryLock Acquire(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            string holder;
            try
            {
                using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var text = new StreamReader(reader);
                holder = text.ReadToEnd().Trim();
            }
            catch (IOException)
            {
                holder = "";
            }
            throw new IOException($"data directory \"{directory}\" is locked by another process{(holder.Length > 0 ? $" (pid {holder})" : "")}: {e.Message}", e);
        }
        stream.SetLength(0);
        var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        stream.Write(pid);
        stream.Flush(flushToDisk: true);
        return new DirectoryLock(stream, path);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();
}
